// What the end-to-end tests need before anything starts: Debian's chromium, JupyterLab in the
// venv, and the extension built and installed into it. Each script is idempotent and quick when
// nothing changed, so running them from a test costs little.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './paths.js';

let done = false;

/** Runs scripts/setup-browser.sh and extension/build.sh once per test process. */
export function ensureSetUp(): void {
  if (done) return;
  for (const script of ['scripts/setup-browser.sh', 'extension/build.sh']) {
    execFileSync('bash', [join(REPO_ROOT, script)], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
      timeout: 900_000,
    });
  }
  done = true;
}
