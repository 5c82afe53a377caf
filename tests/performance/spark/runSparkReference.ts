// Runs the Spark reference of the ingest benchmark (medallion_stream.py: PySpark Structured
// Streaming writing the four Delta tables of DESIGN.md) as a child process of the benchmark, with
// the project venv's Python (scripts/setup-python.sh requirements-bench.txt installs pyspark and
// delta-spark). See docs/spark-reference.md.
//
//   const spark = await startSparkReference({ bootstrap: '127.0.0.1:9092', topic, outDir });
//   await spark.ready;            // the three streaming queries are running
//   ...                           // spark.progress holds every micro-batch's progress so far
//   const summary = await spark.stop();   // SIGTERM: queries stop between batches, session ends

import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync, type WriteStream } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');

/** The Spark job. */
export const SPARK_REFERENCE_SCRIPT = path.join(here, 'medallion_stream.py');

/** The project venv's Python ($VENV_DIR or <repo>/.venv). */
export function venvPython(): string {
  return path.join(process.env['VENV_DIR'] ?? path.join(repoRoot, '.venv'), 'bin', 'python');
}

export interface SparkReferenceOptions {
  /** Kafka bootstrap servers, `host:port[,host:port]`. */
  bootstrap: string;
  topic: string;
  /** Directory of the four Delta tables (bronze_events, silver_events, quarantine_events, gold_kpis). */
  outDir: string;
  /** Appends the job's stderr (Spark's log) and stdout to this file. */
  logFile?: string;
  startingOffsets?: 'earliest' | 'latest';
  /** Cap on Kafka records per bronze micro-batch (default: none). */
  maxOffsetsPerTrigger?: number;
  /** Processing-time trigger in ms (default 0: micro-batches back to back). */
  triggerMs?: number;
  /** The job stops by itself after this many seconds. */
  runSeconds?: number;
  /** The job stops by itself once every query has been idle this long (after some input). */
  idleSeconds?: number;
  /** On stop, let silver and gold process what bronze already holds first. */
  drainOnStop?: boolean;
  driverMemory?: string;
  /** Rejects `ready` after this long (default 300 s: the first run resolves jars from Maven). */
  readyTimeoutMs?: number;
  /** SIGKILLs the job's process group when it has not exited this long after SIGTERM (default 120 s). */
  stopTimeoutMs?: number;
  /** Called with each micro-batch's progress. */
  onProgress?: (progress: SparkProgress) => void;
  python?: string;
}

/** One micro-batch of one query (a subset of Spark's StreamingQueryProgress). */
export interface SparkProgress {
  name: 'bronze' | 'silver' | 'gold';
  batchId: number;
  /** Trigger start, ISO 8601. */
  timestamp: string;
  numInputRows: number;
  inputRowsPerSecond?: number;
  processedRowsPerSecond?: number;
  durationMs: Record<string, number>;
  eventTime?: Record<string, string>;
  stateRows: number[];
  sink?: number;
}

export interface SparkReady {
  pid: number;
  pyspark: string;
  delta_spark: string;
  startupSeconds: number;
  tables: Record<'bronze_events' | 'silver_events' | 'quarantine_events' | 'gold_kpis', string>;
  checkpoints: string;
}

export interface SparkQueryTotals {
  batches: number;
  rows: number;
  first_batch_at: string | null;
  last_batch_at: string | null;
  trigger_ms: number;
}

export interface SparkSummary {
  reason: string;
  queries: Partial<Record<'bronze' | 'silver' | 'gold', SparkQueryTotals>>;
  goldLateEvents: number;
  runSeconds: number;
  stopSeconds: number;
  error: string | null;
}

export interface SparkReference {
  /** The Python process (the Spark JVM is its child, in the same process group). */
  pid: number;
  /** Resolves once the streaming queries run; rejects when the job exits or times out first. */
  ready: Promise<SparkReady>;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; summary?: SparkSummary }>;
  /** Every progress report received so far. */
  readonly progress: SparkProgress[];
  /** CPU seconds (user + system) used so far by the job: the Python process and the Spark JVM. */
  cpuSeconds(): Promise<number>;
  /** Stops the job (SIGTERM; SIGKILL to the process group after stopTimeoutMs) and waits for it. */
  stop(): Promise<SparkSummary | undefined>;
}

/** Launches medallion_stream.py; see SparkReferenceOptions. */
export async function startSparkReference(options: SparkReferenceOptions): Promise<SparkReference> {
  const python = options.python ?? venvPython();
  if (!existsSync(python)) {
    throw new Error(`${python} not found: run scripts/setup-python.sh requirements-bench.txt`);
  }
  const args = [
    '-u',
    SPARK_REFERENCE_SCRIPT,
    '--bootstrap',
    options.bootstrap,
    '--topic',
    options.topic,
    '--out',
    path.resolve(options.outDir),
    '--starting-offsets',
    options.startingOffsets ?? 'earliest',
  ];
  if (options.maxOffsetsPerTrigger)
    args.push('--max-offsets-per-trigger', String(options.maxOffsetsPerTrigger));
  if (options.triggerMs) args.push('--trigger-ms', String(options.triggerMs));
  if (options.runSeconds) args.push('--run-seconds', String(options.runSeconds));
  if (options.idleSeconds) args.push('--idle-seconds', String(options.idleSeconds));
  if (options.drainOnStop) args.push('--drain-on-stop');
  if (options.driverMemory) args.push('--driver-memory', options.driverMemory);

  let log: WriteStream | undefined;
  if (options.logFile) {
    log = createWriteStream(options.logFile, { flags: 'a' });
    await once(log, 'open');
  }
  // detached: its own process group, so a forced stop reaches the Spark JVM too.
  const child = spawn(python, args, {
    cwd: repoRoot,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PYTHONUNBUFFERED: '1' },
  });
  const pid = child.pid;
  if (pid === undefined) {
    await once(child, 'error').catch((e: unknown) => {
      throw e;
    });
    throw new Error(`could not start ${python}`);
  }
  const killGroup = () => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.on('exit', killGroup);

  const progress: SparkProgress[] = [];
  const stderrTail: string[] = [];
  let summary: SparkSummary | undefined;
  let resolveReady!: (r: SparkReady) => void;
  let rejectReady!: (e: Error) => void;
  let isReady = false;
  const ready = new Promise<SparkReady>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  ready.catch(() => {}); // observed by the caller; never an unhandled rejection here

  createInterface({ input: child.stdout }).on('line', (line) => {
    log?.write(`${line}\n`);
    const space = line.indexOf(' ');
    const tag = space > 0 ? line.slice(0, space) : line;
    const json = () => JSON.parse(line.slice(space + 1));
    try {
      if (tag === 'SPARK_PROGRESS') {
        const p = json() as SparkProgress;
        progress.push(p);
        options.onProgress?.(p);
      } else if (tag === 'SPARK_REFERENCE_READY') {
        isReady = true;
        resolveReady(json() as SparkReady);
      } else if (tag === 'SPARK_REFERENCE_SUMMARY') {
        summary = json() as SparkSummary;
      }
    } catch (e) {
      log?.write(`[runSparkReference] unreadable line: ${(e as Error).message}\n`);
    }
  });
  createInterface({ input: child.stderr }).on('line', (line) => {
    log?.write(`${line}\n`);
    stderrTail.push(line);
    if (stderrTail.length > 40) stderrTail.shift();
  });

  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; summary?: SparkSummary }>(
    (resolve) => {
      child.on('exit', (code, signal) => {
        process.off('exit', killGroup);
        killGroup(); // the JVM, should it outlive the Python process
        if (!isReady) {
          rejectReady(
            new Error(
              `the Spark reference exited (${signal ?? `code ${code}`}) before its queries ran:\n${stderrTail.join('\n')}`,
            ),
          );
        }
        // Let readline deliver the last lines before reporting the summary.
        setImmediate(() => {
          log?.end();
          resolve({ code, signal, ...(summary ? { summary } : {}) });
        });
      });
    },
  );

  const readyTimeout = setTimeout(() => {
    if (!isReady) {
      rejectReady(
        new Error(`the Spark reference was not ready within ${options.readyTimeoutMs ?? 300_000} ms`),
      );
      killGroup();
    }
  }, options.readyTimeoutMs ?? 300_000);
  readyTimeout.unref();
  void ready.finally(() => clearTimeout(readyTimeout)).catch(() => {});

  let stopping: Promise<SparkSummary | undefined> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          // exited meanwhile
        }
        const timer = setTimeout(killGroup, options.stopTimeoutMs ?? 120_000);
        await exited;
        clearTimeout(timer);
      }
      return (await exited).summary;
    })();
    return stopping;
  };

  return { pid, ready, exited, progress, stop, cpuSeconds: () => processTreeCpuSeconds(pid) };
}

/** CPU seconds (user + system, from /proc) of a process and all its descendants that are alive. */
export async function processTreeCpuSeconds(root: number): Promise<number> {
  const ticksPerSecond = 100; // USER_HZ on Linux
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue;
    const text = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // pid (comm) state ppid ... utime(14) stime(15): comm may hold spaces, so split after ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    if (fields.length < 13) continue;
    stats.set(Number(entry), { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
  }
  let ticks = 0;
  const pending = [root];
  while (pending.length > 0) {
    const pid = pending.pop()!;
    ticks += stats.get(pid)?.ticks ?? 0;
    for (const [child, s] of stats) if (s.ppid === pid) pending.push(child);
  }
  return ticks / ticksPerSecond;
}

/** Whether the venv has pyspark and delta-spark and a Java 17+ is on PATH (nothing is started). */
export async function sparkAvailable(
  python = venvPython(),
): Promise<{ ok: boolean; reason?: string; pyspark?: string; deltaSpark?: string; java?: string }> {
  if (!existsSync(python)) {
    return { ok: false, reason: `${python} not found: run scripts/setup-python.sh requirements-bench.txt` };
  }
  let pyspark: string;
  let deltaSpark: string;
  try {
    const { stdout } = await run(python, [
      '-c',
      'import importlib.metadata as m, pyspark, delta; print(pyspark.__version__, m.version("delta_spark"))',
    ]);
    [pyspark, deltaSpark] = stdout.trim().split(' ') as [string, string];
  } catch (e) {
    const message = (e as { stderr?: string }).stderr?.trim().split('\n').at(-1) ?? (e as Error).message;
    return {
      ok: false,
      reason: `pyspark/delta-spark missing from ${python} (${message}): run scripts/setup-python.sh requirements-bench.txt`,
    };
  }
  let java: string;
  try {
    const { stderr } = await run('java', ['-version']);
    java = /version "([^"]+)"/.exec(stderr)?.[1] ?? '';
  } catch {
    return {
      ok: false,
      reason: 'java not found on PATH (Spark 4 needs Java 17 or newer)',
      pyspark,
      deltaSpark,
    };
  }
  const major = Number(java.split('.')[0]);
  if (!(major >= 17)) {
    return {
      ok: false,
      reason: `Java ${java} found; Spark 4 needs Java 17 or newer`,
      pyspark,
      deltaSpark,
      java,
    };
  }
  return { ok: true, pyspark, deltaSpark, java };
}

/**
 * Resolves the Delta and Kafka-source jars from Maven Central into the cache the job uses
 * (a no-op when cached): a setup step, so the benchmark's timed runs never wait on the network.
 */
export async function resolveSparkJars(python = venvPython()): Promise<{ dir: string; jars: string[] }> {
  const { stdout } = await run(python, [SPARK_REFERENCE_SCRIPT, '--resolve-only'], {
    cwd: repoRoot,
    maxBuffer: 16 * 1024 * 1024,
  });
  const line = stdout.split('\n').find((l) => l.startsWith('SPARK_JARS '));
  if (!line) throw new Error('medallion_stream.py --resolve-only printed no SPARK_JARS line');
  return JSON.parse(line.slice('SPARK_JARS '.length)) as { dir: string; jars: string[] };
}
