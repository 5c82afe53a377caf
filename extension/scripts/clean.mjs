// Removes the build outputs: the compiled library and the prebuilt labextension.
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const extensionDir = join(dirname(fileURLToPath(import.meta.url)), '..');
for (const path of ['lib', 'tsconfig.tsbuildinfo', 'rt_lakehouse_extension/labextension']) {
  rmSync(join(extensionDir, path), { recursive: true, force: true });
}
