// Runs deltars_helper.py (delta-rs through the `deltalake` package) in the project venv:
// one JSON request in, one JSON response out. Shared by the interop tests and the benchmark.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');

/** The venv interpreter scripts/setup-python.sh creates. */
export const venvPython = path.join(repoRoot, '.venv', 'bin', 'python');
const helperScript = path.join(here, 'deltars_helper.py');
const SETUP_HINT = 'run scripts/setup-python.sh (creates .venv with the packages of requirements-test.txt)';

/**
 * Sends `request` to deltars_helper.py and returns its response. Throws with the helper's
 * error and Python traceback when the command fails.
 */
export function runDeltaRs<T = Record<string, unknown>>(request: Record<string, unknown>): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(venvPython, [helperScript], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (error) =>
      reject(new Error(`cannot run ${venvPython}: ${error.message}; ${SETUP_HINT}`)),
    );
    child.on('close', (code) => {
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      let response: { ok?: boolean; error?: string; trace?: string } & Record<string, unknown>;
      try {
        response = JSON.parse(stdout);
      } catch {
        reject(new Error(`deltars_helper.py exited with ${code} and no JSON answer:\n${stderr || stdout}`));
        return;
      }
      if (!response.ok) {
        reject(
          new Error(
            `delta-rs ${String(request['command'])} failed: ${response.error}\n${response.trace ?? ''}`,
          ),
        );
        return;
      }
      resolve(response as T);
    });
    child.stdin.end(JSON.stringify(request));
  });
}

/**
 * Checks that the venv and `deltalake` are installed and returns their versions. Throws an
 * error that says to run scripts/setup-python.sh when they are not.
 */
export async function checkDeltaRs(): Promise<{ python: string; deltalake: string; pyarrow: string }> {
  if (!existsSync(venvPython)) throw new Error(`${venvPython} is missing: ${SETUP_HINT}`);
  try {
    return await runDeltaRs({ command: 'check' });
  } catch (error) {
    throw new Error(
      `delta-rs is not usable from ${venvPython} (${(error as Error).message.split('\n')[0]}): ${SETUP_HINT}`,
    );
  }
}
