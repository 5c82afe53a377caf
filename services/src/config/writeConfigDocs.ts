// `npm run config:docs`: writes .env.example, docs/configuration.md and README.md's
// configuration table from the registry. `--check` writes nothing and exits 1 when a file is
// out of date (CI and the registry's test use the same comparison).
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { envRegistry } from './envRegistry.js';
import { renderConfigurationDoc, renderEnvExample, replaceReadmeTable } from './renderConfigDocs.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The generated files: path relative to the repository → wanted content. */
export async function configDocs(repoRoot = root): Promise<Map<string, string>> {
  const readme = await readFile(path.join(repoRoot, 'README.md'), 'utf8');
  return new Map([
    ['.env.example', renderEnvExample(envRegistry)],
    ['docs/configuration.md', renderConfigurationDoc(envRegistry)],
    ['README.md', replaceReadmeTable(readme, envRegistry)],
  ]);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const [file, wanted] of await configDocs()) {
    const target = path.join(root, file);
    const current = await readFile(target, 'utf8').catch(() => '');
    if (current === wanted) continue;
    stale++;
    if (check) console.error(`${file} is out of date: run npm run config:docs`);
    else {
      await writeFile(target, wanted);
      console.log(`wrote ${file}`);
    }
  }
  if (check && stale > 0) process.exit(1);
  if (stale === 0) console.log('configuration docs are up to date');
}
