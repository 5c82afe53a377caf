// One service of the stack as a child process: started in its own process group (so a Ctrl-C in
// the terminal reaches only `lakehouse up`, which stops the children in order), output appended
// to its log file, restarted with a growing pause when it crashes, stopped with SIGTERM and —
// after the grace period — SIGKILL to its whole group (JupyterLab's kernels included).
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { ServiceSpec } from './serviceSpecs.js';
import type { ServiceState } from './stackState.js';

const FIRST_RESTART_PAUSE_MS = 1_000;
const MAX_RESTART_PAUSE_MS = 30_000;
/** A run this long resets the restart pause. */
const STABLE_AFTER_MS = 60_000;

export class SupervisedProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private restartTimer: NodeJS.Timeout | undefined;
  private pauseMs = FIRST_RESTART_PAUSE_MS;
  private stopping = false;
  readonly state: ServiceState;

  constructor(
    readonly spec: ServiceSpec,
    readonly logFile: string,
    private readonly cwd: string,
    private readonly onChange: (service: SupervisedProcess) => void,
  ) {
    this.state = {
      name: spec.name,
      log: logFile,
      state: 'starting',
      restarts: 0,
      optional: spec.optional,
      commandMarker: spec.commandMarker,
      ...(spec.url ? { url: spec.url } : {}),
      ...(spec.healthUrl ? { healthUrl: spec.healthUrl } : {}),
    };
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get alive(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  start(): void {
    mkdirSync(path.dirname(this.logFile), { recursive: true });
    const fd = openSync(this.logFile, 'a');
    writeSync(fd, `\n--- ${new Date().toISOString()} lakehouse up: starting ${this.spec.name}\n`);
    const startedAt = Date.now();
    const child = spawn(this.spec.command, this.spec.args, {
      cwd: this.cwd,
      env: this.spec.env as NodeJS.ProcessEnv,
      stdio: ['ignore', fd, fd],
      detached: true,
    });
    closeSync(fd);
    this.child = child;
    this.state.pid = child.pid;
    this.state.state = 'starting';
    this.exited = new Promise((resolve) => {
      child.once('error', (error) => {
        this.state.lastExit = `could not start: ${error.message}`;
      });
      // 'close' also follows a failed spawn ('error' without 'exit'), so a restart is planned then too.
      child.once('close', (code, signal) => {
        this.state.lastExit = signal ? `signal ${signal}` : `exit code ${code}`;
        delete this.state.pid;
        if (this.stopping) this.state.state = 'stopped';
        else if (this.spec.mayFinish && code === 0) this.state.state = 'finished';
        else {
          if (Date.now() - startedAt > STABLE_AFTER_MS) this.pauseMs = FIRST_RESTART_PAUSE_MS;
          this.state.state = 'restarting';
          this.restartTimer = setTimeout(() => {
            this.restartTimer = undefined;
            if (this.stopping) return;
            this.state.restarts++;
            this.start();
            this.onChange(this);
          }, this.pauseMs);
          this.pauseMs = Math.min(MAX_RESTART_PAUSE_MS, this.pauseMs * 2);
        }
        this.onChange(this);
        resolve();
      });
    });
    this.onChange(this);
  }

  /** Marks the service running once its health answers (or at once when it has no health URL). */
  markRunning(): void {
    if (this.state.state === 'starting') {
      this.state.state = 'running';
      this.onChange(this);
    }
  }

  /** SIGTERM to the process group, SIGKILL after `graceMs`; resolves once it has exited. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    if (!this.alive) {
      if (this.state.state !== 'finished') this.state.state = 'stopped';
      return;
    }
    this.state.state = 'stopping';
    this.onChange(this);
    const pid = this.child!.pid!;
    signalGroup(pid, 'SIGTERM');
    const killer = setTimeout(() => signalGroup(pid, 'SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(killer);
    // Whatever the service left in its group (a kernel that ignored SIGTERM) goes too.
    signalGroup(pid, 'SIGKILL');
  }

  /** Resolves when the current process has exited. */
  waitExit(): Promise<void> {
    return this.exited;
  }
}

export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}
