// Builds the prebuilt (federated) labextension into rt_lakehouse_extension/labextension with
// @jupyter/builder, against the JupyterLab core metadata of @jupyterlab/core-meta: no Python and
// no network needed (`jupyter labextension build` would do the same through the venv).
//
//   node scripts/buildLabextension.mjs [--development]
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const extensionDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(extensionDir, 'package.json'));
const builder = join(
  dirname(require.resolve('@jupyter/builder/package.json')),
  'lib',
  'build-labextension.js',
);
const corePackageFile = require.resolve('@jupyterlab/core-meta/core.package.json');

const args = [builder, '--core-package-file', corePackageFile, ...process.argv.slice(2), extensionDir];
const result = spawnSync(process.execPath, args, { stdio: 'inherit', cwd: extensionDir });
process.exit(result.status ?? 1);
