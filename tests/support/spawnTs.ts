// Starting a TypeScript script of this repository as a separate Node process (through tsx,
// resolving workspace packages to their sources), for multi-process and crash tests.
import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';

/** Spawns `node --conditions=source --import tsx <script> ...args`. */
export function spawnTs(script: string, args: string[] = [], options: SpawnOptions = {}): ChildProcess {
  return spawn(process.execPath, ['--conditions=source', '--import', 'tsx', script, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...options,
  });
}

/** Resolves with the exit code and collected output once the process ends. */
export function waitForExit(
  child: ChildProcess,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
