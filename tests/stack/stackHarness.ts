// Running the stack the way a person does — `./start.sh` or `lakehouse up` as a child process —
// and watching it from the outside: its output, its state file, its HTTP services, and the
// processes it leaves (none, after a stop).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, promises as fs, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { sharedPath } from '../support/sharedData.js';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');

/** A free TCP port on 127.0.0.1 (closed again at once, so the stack can take it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface StackPorts {
  assistant: number;
  pipelines: number;
  scheduler: number;
  jupyter: number;
}

export async function freePorts(): Promise<StackPorts> {
  return {
    assistant: await freePort(),
    pipelines: await freePort(),
    scheduler: await freePort(),
    jupyter: await freePort(),
  };
}

export function portEnv(ports: StackPorts): Record<string, string> {
  return {
    ASSISTANT_PORT: String(ports.assistant),
    PIPELINES_PORT: String(ports.pipelines),
    SCHEDULER_PORT: String(ports.scheduler),
    JUPYTER_PORT: String(ports.jupyter),
  };
}

/** The test's own environment minus what would point the stack at the suite's broker or ports. */
export function baseEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env))
    if (
      /^(KAFKA_|PRODUCER_|PIPELINE|LAKEHOUSE_|ASSISTANT_|SCHEDULER_|JUPYTER_|OPENAI_|API_TOKEN|RTL_)/.test(
        name,
      )
    )
      delete env[name];
  // vitest's own markers would make a child think it is a test.
  for (const name of ['VITEST', 'VITEST_POOL_ID', 'VITEST_WORKER_ID', 'NODE_ENV']) delete env[name];
  for (const [k, v] of Object.entries(extra))
    if (v === undefined) delete env[k];
    else env[k] = v;
  env['LAKEHOUSE_NO_BROWSER'] = '1';
  return env;
}

export class StackProcess {
  output = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(readonly child: ChildProcess) {
    const collect = (d: Buffer) => {
      this.output += d.toString();
      if (process.env['STACK_TEST_VERBOSE']) process.stderr.write(d);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    this.exited = new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code, signal) => resolve({ code, signal }));
    });
  }

  /** Resolves with the output once it matches `pattern`; rejects when the process ends first or on timeout. */
  async waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    let ended = false;
    void this.exited.then(() => {
      ended = true;
    });
    for (;;) {
      const match = this.output.match(pattern);
      if (match) return match;
      if (ended) throw new Error(`the stack ended before ${pattern}:\n${this.output}`);
      if (Date.now() > deadline) throw new Error(`no ${pattern} within ${timeoutMs} ms:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** Ctrl-C: SIGINT to the `lakehouse up` process (start.sh execs into it). */
  interrupt(): void {
    this.child.kill('SIGINT');
  }
}

/** `bash start.sh ...args` in `cwd`. */
export function startScript(cwd: string, args: string[], env: NodeJS.ProcessEnv): StackProcess {
  return new StackProcess(
    spawn('bash', ['./start.sh', ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] }),
  );
}

/** `lakehouse up ...args` from this repository, without the set-up steps (for fault tests). */
export function lakehouseUp(args: string[], env: NodeJS.ProcessEnv): StackProcess {
  return new StackProcess(
    spawn(
      process.execPath,
      [
        '--conditions=source',
        '--import',
        'tsx',
        path.join(REPO_ROOT, 'services/src/cli/lakehouse.ts'),
        'up',
        ...args,
      ],
      { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
    ),
  );
}

/** Runs `lakehouse <args>` from `repoRoot` to the end. */
export function lakehouseCli(
  repoRoot: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--conditions=source',
        '--import',
        'tsx',
        path.join(repoRoot, 'services/src/cli/lakehouse.ts'),
        ...args,
      ],
      { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Live processes whose command line, working folder or environment mentions `marker`. */
export function processesMentioning(marker: string): { pid: number; cmd: string }[] {
  const found: { pid: number; cmd: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
      if (cmd === '') continue; // a zombie or a kernel thread
      let cwd = '';
      try {
        cwd = readlinkSync(`/proc/${pid}/cwd`);
      } catch {}
      let environ = '';
      try {
        environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
      } catch {}
      if (cmd.includes(marker) || cwd.startsWith(marker) || environ.includes(marker))
        found.push({ pid, cmd });
    } catch {
      // Gone while we looked.
    }
  }
  return found;
}

/** Waits until no process mentions `marker` (processes take a moment to be reaped). */
export async function orphansOf(marker: string, waitMs = 5_000): Promise<{ pid: number; cmd: string }[]> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const left = processesMentioning(marker);
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function readState(dataDir: string): Promise<{
  pid: number;
  mode: string;
  services: { name: string; pid?: number; state: string; restarts: number }[];
} | null> {
  try {
    return JSON.parse(await fs.readFile(path.join(dataDir, '.lakehouse', 'stack.json'), 'utf8'));
  } catch {
    return null;
  }
}

/** Where the stack test keeps what outlives a run: its venv and the extension build. */
export const CACHE_DIR =
  process.env['STACK_TEST_CACHE'] ??
  path.join(process.env['XDG_CACHE_HOME'] ?? path.join(os.homedir(), '.cache'), 'rt-lakehouse', 'stack-test');

/**
 * A clean clone of this repository (its committed files, `git clone`) at a fixed path under the
 * cache folder, made ready to start fast without sharing anything it could change:
 * - node_modules: a folder of symbolic links to this checkout's packages (read-only use), except
 *   @rt-lakehouse/*, which link to the clone's own workspaces, and the declaration shims that
 *   setup-tslab.sh writes (@types/rt-lakehouse__*), which are the clone's own;
 * - .venv: a venv of the test's own under the cache folder (the set-up writes a kernelspec and
 *   installs the extension into it, so it cannot be this checkout's), created by start.sh on the
 *   first run and reused after (its requirement stamps make pip a no-op);
 * - the extension's build output and stamp from the previous run, so extension/build.sh only
 *   rebuilds when the extension's sources changed (the stamp covers sources and venv path, and
 *   both stay put because the clone's path is fixed).
 */
export async function prepareClone(): Promise<string> {
  const clone = path.join(CACHE_DIR, 'clone');
  await fs.rm(clone, { recursive: true, force: true });
  await fs.mkdir(CACHE_DIR, { recursive: true });
  execFileSync('git', ['clone', '--quiet', '--no-hardlinks', REPO_ROOT, clone], { stdio: 'pipe' });
  const modules = path.join(clone, 'node_modules');
  await fs.mkdir(modules);
  for (const entry of readdirSync(path.join(REPO_ROOT, 'node_modules'))) {
    if (entry === '@rt-lakehouse' || entry === '@types') continue;
    await fs.symlink(path.join(REPO_ROOT, 'node_modules', entry), path.join(modules, entry));
  }
  // scripts/setup-tslab.sh writes declaration shims into @types/rt-lakehouse__*: the clone's own.
  await fs.mkdir(path.join(modules, '@types'));
  for (const entry of readdirSync(path.join(REPO_ROOT, 'node_modules', '@types'))) {
    if (entry.startsWith('rt-lakehouse__')) continue;
    await fs.symlink(
      path.join(REPO_ROOT, 'node_modules', '@types', entry),
      path.join(modules, '@types', entry),
    );
  }
  await fs.mkdir(path.join(modules, '@rt-lakehouse'));
  for (const entry of readdirSync(path.join(REPO_ROOT, 'node_modules', '@rt-lakehouse'))) {
    const target = readlinkSync(path.join(REPO_ROOT, 'node_modules', '@rt-lakehouse', entry));
    await fs.symlink(target, path.join(modules, '@rt-lakehouse', entry));
  }
  await fs.mkdir(path.join(CACHE_DIR, 'venv'), { recursive: true });
  await fs.symlink(path.join(CACHE_DIR, 'venv'), path.join(clone, '.venv'));
  const saved = path.join(CACHE_DIR, 'extension-build');
  if (existsSync(path.join(saved, '.build-stamp'))) {
    await fs.cp(path.join(saved, '.build-stamp'), path.join(clone, 'extension', '.build-stamp'));
    await fs.cp(
      path.join(saved, 'labextension'),
      path.join(clone, 'extension', 'rt_lakehouse_extension', 'labextension'),
      {
        recursive: true,
      },
    );
  }
  return clone;
}

/** Keeps the clone's extension build for the next run. */
export async function saveExtensionBuild(clone: string): Promise<void> {
  const stamp = path.join(clone, 'extension', '.build-stamp');
  const built = path.join(clone, 'extension', 'rt_lakehouse_extension', 'labextension');
  if (!existsSync(stamp) || !existsSync(built)) return;
  const saved = path.join(CACHE_DIR, 'extension-build');
  await fs.rm(saved, { recursive: true, force: true });
  await fs.mkdir(saved, { recursive: true });
  await fs.cp(stamp, path.join(saved, '.build-stamp'));
  await fs.cp(built, path.join(saved, 'labextension'), { recursive: true });
}

/** An HTTP JSON call: status and parsed body. */
export async function http(
  url: string,
  init: { method?: string; body?: unknown; token?: string; timeoutMs?: number } = {},
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are checked by the tests' assertions
): Promise<{ status: number; body: any }> {
  const response = await fetch(url, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: {
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    signal: AbortSignal.timeout(init.timeoutMs ?? 60_000),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: response.status, body };
}

/** Polls until `check` returns a truthy value; throws with `describe()` after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs: number,
  describe: () => string | Promise<string>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch {}
    if (Date.now() > deadline) throw new Error(`timed out: ${await describe()}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** The first question of the public NL set (../shared/nl2sql_public.json). */
export function publicQuestion(index = 0): string {
  const set = JSON.parse(readFileSync(sharedPath('nl2sql_public.json'), 'utf8')) as {
    cases: { q: string }[];
  };
  return set.cases[index]!.q;
}

/** A broker of the test's own (scripts/kafka-local.sh on free ports, data in `dataDir`). */
export interface TestBroker {
  brokers: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function testBroker(dataDir: string): Promise<TestBroker> {
  const port = await freePort();
  const controller = await freePort();
  const run = (command: string) =>
    new Promise<void>((resolve, reject) => {
      const child = spawn('bash', [path.join(REPO_ROOT, 'scripts', 'kafka-local.sh'), command], {
        env: {
          ...process.env,
          KAFKA_PORT: String(port),
          KAFKA_CONTROLLER_PORT: String(controller),
          KAFKA_DATA_DIR: dataDir,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (d: Buffer) => {
        output += d.toString();
      });
      child.stderr.on('data', (d: Buffer) => {
        output += d.toString();
      });
      child.once('close', (code) =>
        code === 0 ? resolve() : reject(new Error(`kafka-local.sh ${command}: ${output}`)),
      );
    });
  return { brokers: `127.0.0.1:${port}`, start: () => run('start'), stop: () => run('stop') };
}
