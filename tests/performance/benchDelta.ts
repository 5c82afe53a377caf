// Cold snapshot load of a 10,000-commit Delta table with a checkpoint every 10 commits, this
// project against delta-rs (the `deltalake` package in .venv) on the same table, latest and by
// time travel. DESIGN.md target: within 2x of delta-rs.
//
//   scripts/setup-python.sh && npm run bench:delta
//
// The table is built once and cached (keyed by its parameters) because writing 10,000 commits
// through the writer would take far longer than the measurement:
//   - data: one DuckDB COPY ... PARTITION_BY writes every commit's small parquet file at once;
//     the files are then moved to distinct flat names `part-<commit>-<uuid>.parquet`;
//   - log: commit N's JSON is generated directly (commitInfo, a txn per "Kafka partition" as
//     Bronze writes, one add with stats); commit 0 also has protocol and metaData;
//   - checkpoints: written by this project's own `DeltaTable.checkpoint(snapshot)` (classic
//     parquet checkpoint + _last_checkpoint) while replaying the log, i.e. exactly what this
//     project's writer produces. delta-rs reads them as they are (the interop tests prove it).
// A cold load is a new DeltaTable (new DeltaLog, no cached snapshot) on a shared DuckDB
// instance, timed from construction to a snapshot with its file list; delta-rs is timed
// inside Python (time.perf_counter around `DeltaTable(path)`, which loads the file list
// eagerly), so interpreter start-up is excluded. Both do one warm-up load first; the OS page
// cache is warm for both.
//
// Environment: BENCH_DELTA_COMMITS (10000), BENCH_DELTA_CHECKPOINT_INTERVAL (10),
// BENCH_DELTA_REPEATS (20), BENCH_DELTA_TIME_TRAVEL_VERSION (commits / 2 + 5: a checkpoint plus
// five commits), BENCH_DELTA_CACHE_DIR (<tmp>/rt-lakehouse-bench), BENCH_DELTA_REBUILD=1.
import { randomUUID } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  type Action,
  DeltaDuckDb,
  DeltaTable,
  field,
  serializeActions,
  struct,
} from '@rt-lakehouse/kernel-helpers/delta';
import { checkDeltaRs, runDeltaRs } from '../integration/delta/deltaRsProcess.js';

const commits = Number(process.env['BENCH_DELTA_COMMITS'] ?? 10_000);
const interval = Number(process.env['BENCH_DELTA_CHECKPOINT_INTERVAL'] ?? 10);
const repeats = Number(process.env['BENCH_DELTA_REPEATS'] ?? 20);
const timeTravelVersion = Number(
  process.env['BENCH_DELTA_TIME_TRAVEL_VERSION'] ?? Math.floor(commits / 2 / interval) * interval + 5,
);
const cacheDir = process.env['BENCH_DELTA_CACHE_DIR'] ?? path.join(os.tmpdir(), 'rt-lakehouse-bench');
const ROWS_PER_FILE = 10;
const APP_IDS = [
  'bench-bronze-ecommerce_events-0',
  'bench-bronze-ecommerce_events-1',
  'bench-bronze-ecommerce_events-2',
];
/** Bump when the generated table changes shape, so that old caches are not reused. */
const LAYOUT = 1;
const BASE_MS = Date.UTC(2025, 0, 1);

const schema = struct(
  field('id', 'long'),
  field('ts', 'timestamp'),
  field('user_id', 'string'),
  field('amount', 'double'),
);

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** The add statistics of commit `n`'s file (the generator's formulas, see `writeDataFiles`). */
function statsFor(n: number): string {
  const lo = n * ROWS_PER_FILE;
  const hi = lo + ROWS_PER_FILE - 1;
  const user = (id: number) => `u${pad(id % 1000, 4)}`;
  const iso = (id: number) => new Date(BASE_MS + id * 1000).toISOString();
  return JSON.stringify({
    numRecords: ROWS_PER_FILE,
    minValues: { id: lo, ts: iso(lo), user_id: user(lo), amount: (lo % 10_000) / 100 },
    maxValues: { id: hi, ts: iso(hi), user_id: user(hi), amount: (hi % 10_000) / 100 },
    nullCount: { id: 0, ts: 0, user_id: 0, amount: 0 },
  });
}

/** Writes one small parquet file per commit in a single COPY; returns names and sizes. */
async function writeDataFiles(duck: DeltaDuckDb, dir: string): Promise<{ name: string; size: number }[]> {
  const staging = path.join(dir, '_staging');
  const connection = await duck.connect();
  try {
    // ROWS_PER_FILE divides 1000 and 10000, so each file's user_id and amount are contiguous.
    await connection.run(`COPY (
        SELECT id // ${ROWS_PER_FILE} AS batch, id,
               TIMESTAMPTZ '2025-01-01 00:00:00+00' + to_seconds(id) AS ts,
               'u' || lpad((id % 1000)::VARCHAR, 4, '0') AS user_id,
               ((id % 10000) / 100)::DOUBLE AS amount
        FROM range(${commits * ROWS_PER_FILE}) t(id) ORDER BY id)
      TO '${staging}' (FORMAT parquet, PARTITION_BY (batch))`);
  } finally {
    connection.closeSync();
  }
  const files: { name: string; size: number }[] = [];
  for (let n = 0; n < commits; n++) {
    const folder = path.join(staging, `batch=${n}`);
    const [written] = await fs.readdir(folder);
    if (!written) throw new Error(`DuckDB wrote no file for commit ${n}`);
    const name = `part-${pad(n, 5)}-${randomUUID()}.parquet`;
    await fs.rename(path.join(folder, written), path.join(dir, name));
    files.push({ name, size: (await fs.stat(path.join(dir, name))).size });
  }
  await fs.rm(staging, { recursive: true, force: true });
  return files;
}

/** The actions of commit `n` (its file named `file`). */
function commitActions(n: number, file: { name: string; size: number }): Action[] {
  const timestamp = BASE_MS + n * 1000;
  const actions: Action[] = [
    {
      kind: 'commitInfo',
      commitInfo: {
        timestamp,
        operation: n === 0 ? 'CREATE TABLE AS SELECT' : 'WRITE',
        operationParameters: { mode: 'Append', partitionBy: '[]' },
        ...(n > 0 ? { readVersion: n - 1 } : {}),
        isolationLevel: 'Serializable',
        isBlindAppend: true,
        engineInfo: 'rt-lakehouse-bench',
      },
    },
  ];
  if (n === 0) {
    actions.push(
      { kind: 'protocol', protocol: { minReaderVersion: 1, minWriterVersion: 2 } },
      {
        kind: 'metaData',
        metaData: {
          id: randomUUID(),
          format: { provider: 'parquet', options: {} },
          schemaString: JSON.stringify(schema),
          partitionColumns: [],
          configuration: { 'delta.checkpointInterval': String(interval) },
          createdTime: BASE_MS,
        },
      },
    );
  } else {
    actions.push({
      kind: 'txn',
      txn: { appId: APP_IDS[n % APP_IDS.length]!, version: n, lastUpdated: timestamp },
    });
  }
  actions.push({
    kind: 'add',
    add: {
      path: file.name,
      partitionValues: {},
      size: file.size,
      modificationTime: timestamp,
      dataChange: true,
      stats: statsFor(n),
    },
  });
  return actions;
}

/** Builds the table at `dir` (data files, commits, checkpoints). */
async function buildTable(duck: DeltaDuckDb, dir: string): Promise<void> {
  await fs.rm(dir, { recursive: true, force: true });
  await fs.mkdir(path.join(dir, '_delta_log'), { recursive: true });
  const started = performance.now();
  const files = await writeDataFiles(duck, dir);
  const log = path.join(dir, '_delta_log');
  const all: Action[][] = files.map((f, n) => commitActions(n, f));
  for (let n = 0; n < commits; n += 256) {
    await Promise.all(
      all
        .slice(n, n + 256)
        .map((actions, k) =>
          fs.writeFile(path.join(log, `${pad(n + k, 20)}.json`), serializeActions(actions)),
        ),
    );
  }
  const table = await DeltaTable.forPath(dir, { duck, name: 'bench' });
  let snapshot = await table.snapshot({ version: 0 });
  for (let v = interval; v < commits; v += interval) {
    const next = all
      .slice(snapshot.version + 1, v + 1)
      .map((actions, k) => ({ version: snapshot.version + 1 + k, actions }));
    snapshot = table.log.advance(snapshot, next);
    await table.checkpoint(snapshot);
  }
  // The generated table must read back as generated (rows, ids), here and in delta-rs.
  const connection = await duck.connect();
  try {
    const reader = await connection.runAndReadAll(
      `SELECT count(*)::BIGINT, min(id), max(id) FROM (${await table.scanSql(await table.latest())})`,
    );
    const [count, min, max] = reader.getRows()[0]!.map(Number);
    const rows = commits * ROWS_PER_FILE;
    if (count !== rows || min !== 0 || max !== rows - 1)
      throw new Error(
        `generated table reads ${count} rows, ids ${min}..${max}; expected ${rows}, 0..${rows - 1}`,
      );
  } finally {
    connection.closeSync();
  }
  console.log(`built ${dir} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** The cached table for these parameters, built when absent. */
async function benchTable(duck: DeltaDuckDb): Promise<string> {
  const dir = path.join(cacheDir, `delta-c${commits}-k${interval}-r${ROWS_PER_FILE}-l${LAYOUT}`);
  const done = `${dir}.complete`;
  if (process.env['BENCH_DELTA_REBUILD'] === '1' || !existsSync(done) || !existsSync(dir)) {
    await fs.rm(done, { force: true });
    await buildTable(duck, dir);
    await fs.writeFile(done, new Date().toISOString());
  } else {
    console.log(`using cached table ${dir}`);
  }
  return dir;
}

interface Timing {
  medianMs: number;
  p90Ms: number;
  version: number;
  files: number;
}

/** Nearest-rank percentile, as deltars_helper.py computes it. */
function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))]!;
}

function median(sorted: readonly number[]): number {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Cold loads by this project: a new DeltaTable each time, on a shared DuckDB instance. */
async function ourLoads(duck: DeltaDuckDb, dir: string, version?: number): Promise<Timing> {
  const timings: number[] = [];
  let loaded = { version: -1, files: -1 };
  for (let i = 0; i < repeats + 1; i++) {
    const start = performance.now();
    const table = await DeltaTable.forPath(dir, { duck, name: 'bench' });
    const snapshot = await table.snapshot(version === undefined ? {} : { version });
    const elapsed = performance.now() - start;
    if (i > 0) timings.push(elapsed);
    loaded = { version: snapshot.version, files: snapshot.numFiles };
  }
  const sorted = [...timings].sort((a, b) => a - b);
  return { medianMs: median(sorted), p90Ms: percentile(sorted, 0.9), ...loaded };
}

function report(label: string, ours: Timing, theirs: Timing): void {
  if (ours.version !== theirs.version || ours.files !== theirs.files) {
    throw new Error(
      `${label}: the two readers disagree (rt-lakehouse version ${ours.version} with ${ours.files} files, delta-rs version ${theirs.version} with ${theirs.files} files)`,
    );
  }
  const ratio = ours.medianMs / theirs.medianMs;
  const ms = (x: number) => x.toFixed(1);
  console.log(
    `${label}: rt-lakehouse median ${ms(ours.medianMs)} ms p90 ${ms(ours.p90Ms)} ms | delta-rs median ${ms(theirs.medianMs)} ms p90 ${ms(theirs.p90Ms)} ms | ratio ${ratio.toFixed(2)}x (target ≤ 2x${ratio <= 2 ? ', met' : ', MISSED'})`,
  );
}

async function main(): Promise<void> {
  const versions = await checkDeltaRs();
  const duck = await DeltaDuckDb.create();
  try {
    const dir = await benchTable(duck);
    console.log(
      `${repeats} cold loads each after one warm-up; delta-rs ${versions.deltalake} (python ${versions.python}), node ${process.version}`,
    );
    const latest = await ourLoads(duck, dir);
    const latestRs = await runDeltaRs<Timing>({ command: 'bench', path: dir, repeats, warmup: 1 });
    report(`delta snapshot load (${commits} commits, checkpoint every ${interval})`, latest, latestRs);
    const old = await ourLoads(duck, dir, timeTravelVersion);
    const oldRs = await runDeltaRs<Timing>({
      command: 'bench',
      path: dir,
      repeats,
      warmup: 1,
      version: timeTravelVersion,
    });
    report(`delta time-travel load (version ${timeTravelVersion} of ${commits} commits)`, old, oldRs);
  } finally {
    duck.close();
  }
}

await main();
