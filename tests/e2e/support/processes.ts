// Child processes for the end-to-end tests: free ports, processes started in their own process
// group (so a stop ends their children too) with output to a log file, and waiting for HTTP.
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface Started {
  process: ChildProcess;
  logFile: string;
  /** The log so far (for failure messages). */
  log(): string;
  /** Sends SIGTERM to the process group, then SIGKILL after `graceMs`; resolves when it exited. */
  stop(graceMs?: number): Promise<void>;
}

/** Starts `command` detached (own process group), stdout and stderr to `logFile`. */
export function startProcess(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; logFile: string },
): Started {
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = (signal: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  return {
    process: child,
    logFile: options.logFile,
    log: () => {
      try {
        return readFileSync(options.logFile, 'utf8');
      } catch {
        return '';
      }
    },
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      kill('SIGTERM');
      const timer = setTimeout(() => kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls `url` until it answers with a status `ok` accepts; @throws after `timeoutMs`. */
export async function waitForHttp(
  url: string,
  options: {
    timeoutMs?: number;
    ok?: (status: number) => boolean;
    headers?: Record<string, string>;
    alive?: () => boolean;
  } = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  const ok = options.ok ?? ((status) => status < 500);
  let last = '';
  while (Date.now() < deadline) {
    if (options.alive && !options.alive()) throw new Error(`the process behind ${url} exited (${last})`);
    try {
      const response = await fetch(url, {
        headers: options.headers ?? {},
        signal: AbortSignal.timeout(5_000),
      });
      await response.arrayBuffer();
      if (ok(response.status)) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer in time (${last})`);
}
