// Runs notebooks on a real Jupyter kernel (tslab by default) through run_notebook.py, an
// nbclient driver in the project's Python environment. The driver writes the executed notebook
// after every cell and renders HTML at the end; this side enforces a hard deadline, kills the
// driver and the kernel (both process groups) on timeout or abort, and reads the driver's
// one-JSON-object-a-line report.
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '@rt-lakehouse/kernel-helpers';
import type { NotebookExecutor, NotebookJob, NotebookJobResult } from './NotebookExecutor.js';
import type { RunError } from './RunRecord.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(HERE, '../../..');

/** The driver script: beside this module in src/, or in src/ when running from dist/. */
export function runNotebookScript(): string {
  const candidates = [
    path.join(HERE, 'run_notebook.py'),
    path.resolve(HERE, '../../src/scheduler/run_notebook.py'),
  ];
  return candidates.find((c) => existsSync(c)) ?? candidates[0]!;
}

/** The project's venv interpreter when it exists, else `python3` from PATH. */
export function defaultPython(): string {
  const venv = path.join(REPO_ROOT, '.venv', 'bin', 'python');
  return existsSync(venv) ? venv : 'python3';
}

/** How long a driver told to stop (stdin closed) has before its process groups are killed. */
const KILL_GRACE_MS = 3_000;

export interface JupyterNotebookExecutorOptions {
  /** Python with nbclient and nbconvert (and the kernel's kernelspec visible to jupyter_client). */
  python?: string;
  kernelName?: string;
  /** Time allowed for the kernel to start, on top of the run's own timeout. */
  startupTimeoutSeconds?: number;
  logger: Logger;
}

interface DriverEvent {
  event: 'kernel' | 'cell' | 'done';
  pid?: number | null;
  index?: number;
  status?: 'succeeded' | 'failed';
  error?: RunError | null;
  html?: boolean;
}

export class JupyterNotebookExecutor implements NotebookExecutor {
  private readonly python: string;
  private readonly kernelName: string;
  private readonly startupTimeoutSeconds: number;

  constructor(private readonly options: JupyterNotebookExecutorOptions) {
    this.python = options.python ?? defaultPython();
    this.kernelName = options.kernelName ?? 'tslab';
    this.startupTimeoutSeconds = options.startupTimeoutSeconds ?? 120;
  }

  async execute(job: NotebookJob): Promise<NotebookJobResult> {
    const log = createWriteStream(job.logFile, { flags: 'a' });
    const child = spawn(
      this.python,
      [
        runNotebookScript(),
        '--input',
        job.input,
        '--output',
        job.outputIpynb,
        '--html',
        job.outputHtml,
        '--kernel',
        this.kernelName,
        '--cwd',
        job.cwd,
        '--timeout',
        String(job.timeoutSeconds),
        '--startup-timeout',
        String(this.startupTimeoutSeconds),
      ],
      {
        cwd: job.cwd,
        env: { ...process.env, ...job.env, PYTHONUNBUFFERED: '1' },
        // stdin stays open for the whole run: the driver ends itself and its kernel when it closes.
        stdio: ['pipe', 'pipe', 'pipe'],
        detached: true,
      },
    );
    let kernelPid: number | undefined;
    let done: DriverEvent | undefined;
    let killedFor: 'timeout' | 'abort' | undefined;
    let stderrTail = '';
    let buffered = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
        const line = buffered.slice(0, nl).trim();
        buffered = buffered.slice(nl + 1);
        if (!line) continue;
        let event: DriverEvent;
        try {
          event = JSON.parse(line) as DriverEvent;
        } catch {
          log.write(`${line}\n`);
          continue;
        }
        if (event.event === 'kernel' && typeof event.pid === 'number') kernelPid = event.pid;
        if (event.event === 'done') done = event;
      }
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      log.write(chunk);
      stderrTail = (stderrTail + chunk).slice(-4000);
    });
    child.stdin!.on('error', () => undefined);

    let forceTimer: NodeJS.Timeout | undefined;
    const kill = (reason: 'timeout' | 'abort') => {
      if (killedFor || child.exitCode !== null) return;
      killedFor = reason;
      // Closing stdin makes the driver kill its kernel (also one still starting, whose pid only
      // the driver knows) and exit; the process groups are killed if it has not gone shortly after.
      child.stdin!.end();
      forceTimer = setTimeout(() => killGroup(child, kernelPid), KILL_GRACE_MS);
    };
    // The driver stops a run at its timeout by itself (and keeps the notebook); this deadline
    // is the backstop for a driver or kernel that does not come back (start-up included).
    const hardLimitMs = (job.timeoutSeconds + this.startupTimeoutSeconds + 30) * 1000;
    const timer = setTimeout(() => kill('timeout'), hardLimitMs);
    const onAbort = () => kill('abort');
    job.signal.addEventListener('abort', onAbort, { once: true });
    if (job.signal.aborted) onAbort();

    const exit = await new Promise<{ code: number | null; error?: Error }>((resolve) => {
      child.once('error', (error) => resolve({ code: null, error }));
      child.once('close', (code) => resolve({ code }));
    });
    clearTimeout(timer);
    clearTimeout(forceTimer);
    job.signal.removeEventListener('abort', onAbort);
    // The kernel leads its own process group: a driver that ended without its report may
    // have left it behind.
    if (kernelPid !== undefined && !done) killPid(-kernelPid);
    await new Promise<void>((resolve) => log.end(() => resolve()));

    const wrote = { ipynb: await exists(job.outputIpynb), html: await exists(job.outputHtml) };
    if (killedFor === 'abort') {
      return {
        status: 'interrupted',
        wrote,
        error: { kind: 'interrupted', message: 'the run was stopped (the scheduler is shutting down)' },
      };
    }
    if (killedFor === 'timeout') {
      return {
        status: 'failed',
        wrote,
        error: {
          kind: 'timeout',
          message: `the run did not finish within ${job.timeoutSeconds} s (plus kernel start-up); the kernel was killed`,
        },
      };
    }
    if (done?.status === 'succeeded') return { status: 'succeeded', error: null, wrote };
    if (done?.status === 'failed') {
      return { status: 'failed', wrote, error: done.error ?? { kind: 'runner', message: 'the run failed' } };
    }
    const reason = exit.error
      ? `could not start ${this.python}: ${exit.error.message}`
      : `the notebook runner exited with code ${exit.code} before finishing: ${lastLines(stderrTail)}`;
    this.options.logger.warn('notebook runner failed', { input: job.input, reason });
    return { status: 'failed', wrote, error: { kind: 'runner', message: reason } };
  }
}

function killGroup(child: ChildProcess, kernelPid: number | undefined): void {
  if (child.pid !== undefined) killPid(-child.pid);
  if (kernelPid !== undefined) killPid(-kernelPid);
}

function killPid(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

const lastLines = (text: string) => text.trim().split('\n').slice(-5).join(' | ') || '(no output)';
