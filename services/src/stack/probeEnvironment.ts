// Probes for chooseMode: a Docker engine, Java 17+, and whether a TCP port answers.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** `docker info` answers within a few seconds and the repository has a compose.yml. */
export function dockerAvailable(repoRoot: string): boolean {
  if (!existsSync(path.join(repoRoot, 'compose.yml'))) return false;
  const result = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], {
    timeout: 5_000,
    stdio: 'pipe',
  });
  return result.status === 0;
}

/** The major version of `java` on PATH, or undefined when there is none. */
export function javaMajorVersion(): number | undefined {
  const result = spawnSync('java', ['-version'], { timeout: 10_000, stdio: 'pipe', encoding: 'utf8' });
  if (result.status !== 0) return undefined;
  const match = /version "(\d+)/.exec(`${result.stderr}${result.stdout}`);
  return match ? Number(match[1]) : undefined;
}

/** Resolves true when something accepts a connection on host:port within `timeoutMs`. */
export function portOpen(port: number, host = '127.0.0.1', timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
