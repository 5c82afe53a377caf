// Starting the compactor (compactorMain.ts) as a child process, which lowers itself to the
// lowest CPU priority, and restarting it if it dies, until stopped.
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Logger } from '@rt-lakehouse/kernel-helpers';

export interface CompactorProcessOptions {
  lakehouseDir: string;
  tables: readonly string[];
  everyMs: number;
  /** Expired-log cleanup and VACUUM every this many ms (0: off; default 1 h); see startTableMaintenance. */
  cleanupEveryMs?: number;
  logger: Logger;
  /** Wait before restarting a compactor that exited on its own (ms, default 5000). */
  restartDelayMs?: number;
  /**
   * Start the process this long after the call (ms, default 0; less than everyMs), keeping the
   * first round `everyMs` after the call: its start-up (loading modules, DuckDB) then does not
   * compete with the pipelines' own start and catch-up.
   */
  startAfterMs?: number;
}

export interface CompactorProcess {
  /** The running child's pid (undefined between restarts). */
  readonly pid: number | undefined;
  /** Stops the child after its compaction round in progress. */
  stop(): Promise<void>;
}

// The sibling module, as source (.ts, through tsx as this process runs) or built (.js).
const fromSource = import.meta.url.endsWith('.ts');
const mainPath = fileURLToPath(new URL(`./compactorMain${fromSource ? '.ts' : '.js'}`, import.meta.url));
// This process's Node flags; the source needs the TypeScript loader and the workspace's
// `source` condition, which a host that transpiles by itself (a test runner) does not pass on.
const execArgv =
  fromSource && !process.execArgv.some((a) => a.includes('tsx'))
    ? [...process.execArgv, '--conditions=source', '--import', 'tsx']
    : process.execArgv;

export function startCompactorProcess(options: CompactorProcessOptions): CompactorProcess {
  let child: ChildProcess | undefined;
  let stopped = false;
  /** The pending (re)start of the child: the delayed first one, or one after it died. */
  let startTimer: NodeJS.Timeout | undefined;
  const startAfterMs = Math.min(Math.max(0, options.startAfterMs ?? 0), options.everyMs);
  const spawn = (firstRoundInMs?: number) => {
    const c = fork(
      mainPath,
      [
        '--dir',
        options.lakehouseDir,
        '--tables',
        options.tables.join(','),
        '--every-ms',
        String(options.everyMs),
        ...(options.cleanupEveryMs === undefined
          ? []
          : ['--cleanup-every-ms', String(options.cleanupEveryMs)]),
        ...(firstRoundInMs === undefined ? [] : ['--first-in-ms', String(firstRoundInMs)]),
      ],
      { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
    );
    child = c;
    c.on('exit', (code, signal) => {
      if (child === c) child = undefined;
      if (stopped) return;
      options.logger.warn('compactor exited; restarting', { code, signal });
      startTimer = setTimeout(spawn, options.restartDelayMs ?? 5_000);
      startTimer.unref();
    });
  };
  if (startAfterMs === 0) spawn();
  else {
    startTimer = setTimeout(() => spawn(options.everyMs - startAfterMs), startAfterMs);
    startTimer.unref();
  }
  return {
    get pid() {
      return child?.pid;
    },
    async stop() {
      stopped = true;
      clearTimeout(startTimer);
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
      c.kill('SIGTERM');
      await exited;
    },
  };
}
