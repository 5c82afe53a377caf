// Hand-run smoke test and throughput measurement of the Spark reference (not part of any suite):
//
//   scripts/setup-python.sh requirements-bench.txt
//   npx tsx --conditions=source tests/performance/spark/smokeSpark.ts
//
// 1. correctness: starts a Kafka broker of its own (scripts/kafka-local.sh on SMOKE_KAFKA_PORT,
//    default 39092, and the next port), produces SMOKE_EVENTS (20,000) valid events plus ~1%
//    exact duplicates and ~0.5% malformed records, runs the Spark job until every layer has
//    consumed everything, then reads the four Delta tables with this project's reader
//    (DeltaTable.forPath) and checks: bronze = produced; silver + quarantine = bronze -
//    duplicates; quarantine = malformed; gold sum(total_events) = silver; every gold row equal
//    to an exact recomputation from silver (DuckDB over our reader's scan).
// 2. throughput: (a) cold backlog: SMOKE_BACKLOG_EVENTS (200,000) produced to a fresh topic
//    before the job starts, timed from its first bronze micro-batch to the gold micro-batch that
//    has seen every silver row (JVM start-up excluded, JIT warm-up included); (b) warm burst: as
//    many more events produced as fast as possible into the same running job, timed from the
//    first send to gold having seen them all. Spark's CPU seconds are reported too: other
//    processes on the machine slow the wall clock, not the CPU cost per event.
//    SMOKE_MAX_OFFSETS caps the Kafka records per micro-batch (default: no cap); the correctness
//    run uses SMOKE_CORRECTNESS_MAX_OFFSETS (1,500), so it has many micro-batches and checkpoints.
// Exits non-zero when a check fails. SMOKE_KEEP=1 keeps the temporary directory.

import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DeltaTable } from '@rt-lakehouse/kernel-helpers';
import { createKafkaClient, KafkaConfig, type KafkaMessage } from '@rt-lakehouse/kernel-helpers/kafka';
import {
  type SparkProgress,
  type SparkReference,
  sparkAvailable,
  startSparkReference,
} from './runSparkReference.js';

const run = promisify(execFile);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const kafkaScript = path.join(repoRoot, 'scripts/kafka-local.sh');

const kafkaPort = Number(process.env['SMOKE_KAFKA_PORT'] ?? 39092);
const smokeEvents = Number(process.env['SMOKE_EVENTS'] ?? 20_000);
const backlogEvents = Number(process.env['SMOKE_BACKLOG_EVENTS'] ?? 200_000);
const maxOffsets = Number(process.env['SMOKE_MAX_OFFSETS'] ?? 0);
// Small micro-batches in the correctness run: duplicates across batches, windows replaced many
// times, and more than 10 commits per table, so the readers also meet Spark's Delta checkpoints.
const correctnessMaxOffsets = Number(process.env['SMOKE_CORRECTNESS_MAX_OFFSETS'] ?? 1_500);
const bootstrap = `127.0.0.1:${kafkaPort}`;
const format = (n: number) => Math.round(n).toLocaleString('en-US');

// ------------------------------------------------------------------------------------- events

function makeRandom(seed: number) {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Malformed or invalid records, each rejected by the event contract for a different reason. */
const MALFORMED: ((base: Record<string, unknown>) => string)[] = [
  () => '{"event_id": "truncated',
  () => 'not json at all',
  () => '[1, 2, 3]',
  () => '',
  (b) => JSON.stringify({ ...b, event_id: 'not-a-uuid' }),
  (b) => JSON.stringify({ ...b, user_id: undefined }),
  (b) => JSON.stringify({ ...b, session_id: '   ' }),
  (b) => JSON.stringify({ ...b, event_type: 'click' }),
  (b) => JSON.stringify({ ...b, price: -5 }),
  (b) => JSON.stringify({ ...b, price: 'cheap' }),
  (b) => JSON.stringify({ ...b, quantity: 0 }),
  (b) => JSON.stringify({ ...b, quantity: 1.5 }),
  (b) => JSON.stringify({ ...b, currency: 'XYZ' }),
  (b) => JSON.stringify({ ...b, ts: 'yesterday' }),
  (b) => JSON.stringify({ ...b, ts: '1999-12-31T23:59:59Z' }),
  (b) => JSON.stringify({ ...b, country: 'Germany' }),
  (b) => JSON.stringify({ ...b, device_type: 'watch' }),
  (b) => JSON.stringify({ ...b, referrer: '' }),
];

interface Workload {
  messages: KafkaMessage[];
  valid: number;
  duplicates: number;
  malformed: number;
}

/**
 * `valid` distinct events (event time 1 ms apart, ending now), ~1% of them sent twice and
 * ~0.5% malformed records mixed in. A few valid events use spellings Silver normalises.
 */
function workload(valid: number, seed: number, spacingMs: number): Workload {
  const random = makeRandom(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  const t0 = Date.now() - valid * spacingMs;
  const messages: KafkaMessage[] = [];
  const sent: KafkaMessage[] = [];
  let duplicates = 0;
  let malformed = 0;
  for (let i = 0; i < valid; i++) {
    const user = `u${String(Math.floor(random() * 20_000)).padStart(5, '0')}`;
    const eventType = pick(['page_view', 'page_view', 'page_view', 'add_to_cart', 'purchase'] as const);
    const event: Record<string, unknown> = {
      event_id: randomUUID(),
      user_id: user,
      session_id: `s${Math.floor(random() * 1e9).toString(36)}`,
      product_id: `p${String(Math.floor(random() * 5_000)).padStart(5, '0')}`,
      category_id: `c${String(Math.floor(random() * 50)).padStart(3, '0')}`,
      event_type: eventType,
      price: Math.round(random() * 50_000) / 100,
      quantity: eventType === 'page_view' ? 1 : 1 + Math.floor(random() * 4),
      discount: random() < 0.1 ? Math.round(random() * 500) / 100 : 0,
      currency: pick(['USD', 'GBP', 'CAD', 'EUR']),
      ts: new Date(t0 + i * spacingMs).toISOString(),
      ua: pick(['Mozilla/5.0 (X11; Linux x86_64)', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0)']),
      country: pick(['US', 'UK', 'CA', 'DE', 'FR']),
      device_type: pick(['desktop', 'mobile', 'tablet']),
      referrer: pick(['google', 'direct', 'facebook', 'email']),
    };
    if (i % 997 === 0) {
      // Spellings the contract normalises: still valid.
      Object.assign(event, {
        event_type: ` ${eventType.toUpperCase()} `,
        price: String(event['price']),
        country: 'GB',
        currency: 'usd',
        discount: null,
        event_id: (event['event_id'] as string).toUpperCase(),
      });
    }
    const message = { key: user, value: JSON.stringify(event) };
    messages.push(message);
    sent.push(message);
    if (random() < 0.01 && sent.length > 10) {
      messages.push(sent[sent.length - 1 - Math.floor(random() * 10)]!);
      duplicates++;
    }
    if (random() < 0.005) {
      messages.push({ key: user, value: MALFORMED[malformed % MALFORMED.length]!(event) });
      malformed++;
    }
  }
  return { messages, valid, duplicates, malformed };
}

async function produce(topic: string, messages: KafkaMessage[]): Promise<number> {
  const client = createKafkaClient(KafkaConfig.parse({ brokers: [bootstrap], logLevel: 'error' }));
  try {
    await client.admin.ensureTopic(topic, 3);
    const producer = client.producer();
    const started = performance.now();
    for (let i = 0; i < messages.length; i += 2_000) void producer.send(topic, messages.slice(i, i + 2_000));
    await producer.flush();
    const seconds = (performance.now() - started) / 1000;
    const offsets = await client.admin.fetchTopicOffsets(topic);
    const total = offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
    console.log(
      `  produced ${format(messages.length)} records to ${topic} in ${seconds.toFixed(1)} s (topic holds ${format(total)})`,
    );
    return total;
  } finally {
    await client.disconnect();
  }
}

// ------------------------------------------------------------------------------------ reading

async function query(table: DeltaTable, sql: (scan: string) => string): Promise<Record<string, unknown>[]> {
  const scan = await table.scanSql(await table.latest());
  const connection = await table.duck.connect();
  try {
    return (await connection.runAndReadAll(sql(scan))).getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
  }
}

async function count(table: DeltaTable): Promise<number> {
  const [row] = await query(table, (scan) => `SELECT count(*) AS n FROM (${scan})`);
  return Number(row!['n']);
}

// ----------------------------------------------------------------------------------- the job

interface Expected {
  /** Kafka records in the topic (bronze's and silver's input). */
  bronze: number;
  /** Distinct valid events (gold's input). */
  silver: number;
}

/** The Spark job, with a way to wait until every layer has consumed what is expected. */
class SparkRun {
  readonly seen = { bronze: 0, silver: 0, gold: 0 };
  private readonly waiters: { expected: Expected; resolve: () => void }[] = [];
  private constructor(readonly spark: SparkReference) {}

  static async start(topic: string, outDir: string, logFile: string, maxOffsetsPerTrigger: number) {
    let run: SparkRun | undefined;
    const spark = await startSparkReference({
      bootstrap,
      topic,
      outDir,
      logFile,
      ...(maxOffsetsPerTrigger > 0 ? { maxOffsetsPerTrigger } : {}),
      onProgress: (p) => run?.onProgress(p),
    });
    run = new SparkRun(spark);
    const ready = await spark.ready;
    console.log(
      `  Spark ${ready.pyspark} + Delta ${ready.delta_spark} ready in ${ready.startupSeconds.toFixed(1)} s ` +
        `(pid ${spark.pid}, ${(await spark.cpuSeconds()).toFixed(1)} CPU s); load average ${loadavg()[0]!.toFixed(2)}`,
    );
    return run;
  }

  private onProgress(p: SparkProgress) {
    this.seen[p.name] += p.numInputRows;
    if (p.numInputRows > 0) {
      console.log(
        `    ${p.name.padEnd(6)} batch ${String(p.batchId).padStart(3)}: ${format(p.numInputRows).padStart(7)} rows in ${format(p.durationMs['triggerExecution'] ?? 0).padStart(6)} ms`,
      );
    }
    for (const w of [...this.waiters]) {
      if (this.consumed(w.expected)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  }

  // Silver's input is bronze rows; gold's input is silver rows.
  private consumed(e: Expected) {
    return this.seen.bronze >= e.bronze && this.seen.silver >= e.bronze && this.seen.gold >= e.silver;
  }

  /** Resolves once every layer has consumed `expected` (cumulative); throws on timeout or exit. */
  async waitFor(expected: Expected, timeoutMs: number): Promise<void> {
    if (this.consumed(expected)) return;
    const consumed = new Promise<'consumed'>((resolve) => {
      this.waiters.push({ expected, resolve: () => resolve('consumed') });
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const outcome = await Promise.race([consumed, timeout, this.spark.exited.then(() => 'exited' as const)]);
    clearTimeout(timer);
    if (outcome !== 'consumed') {
      const summary = await this.spark.stop();
      throw new Error(
        `Spark did not consume ${JSON.stringify(expected)} (${outcome}); seen ${JSON.stringify(this.seen)}, summary ${JSON.stringify(summary)}`,
      );
    }
  }
}

const failures: string[] = [];
function check(label: string, actual: number, expected: number) {
  const ok = actual === expected;
  if (!ok) failures.push(`${label}: ${actual} != ${expected}`);
  console.log(
    `  ${ok ? 'ok  ' : 'FAIL'} ${label}: ${format(actual)}${ok ? '' : ` (expected ${format(expected)})`}`,
  );
}

async function correctness(workDir: string) {
  console.log(`\n1. correctness: ${format(smokeEvents)} events + duplicates + malformed`);
  const topic = 'ecommerce_events';
  const w = workload(smokeEvents, 7, 10);
  const produced = await produce(topic, w.messages);
  const outDir = path.join(workDir, 'delta-smoke');
  const run = await SparkRun.start(
    topic,
    outDir,
    path.join(workDir, 'spark-smoke.log'),
    correctnessMaxOffsets,
  );
  try {
    await run.waitFor({ bronze: produced, silver: w.valid }, 600_000);
  } finally {
    await run.spark.stop();
  }

  const tables: Record<string, DeltaTable> = {};
  const counts: Record<string, number> = {};
  for (const name of ['bronze_events', 'silver_events', 'quarantine_events', 'gold_kpis']) {
    try {
      tables[name] = await DeltaTable.forPath(path.join(outDir, name));
      const rows = await tables[name].readRows();
      counts[name] = rows.length;
      const snapshot = await tables[name].latest();
      const checkpointed = existsSync(path.join(outDir, name, '_delta_log', '_last_checkpoint'));
      console.log(
        `  read ${name} with DeltaTable.readRows: ${format(rows.length)} rows, version ${snapshot.version}, ${snapshot.numFiles} files${checkpointed ? ', with a Spark-written checkpoint' : ''}`,
      );
    } catch (e) {
      failures.push(`our reader cannot read ${name}: ${(e as Error).message}`);
      console.log(`  FAIL our reader cannot read ${name}: ${(e as Error).stack}`);
    }
  }
  if (failures.length > 0) return;
  const goldSum = Number(
    (await query(tables['gold_kpis']!, (s) => `SELECT coalesce(sum(total_events), 0) AS n FROM (${s})`))[0]![
      'n'
    ],
  );
  const distinctIds = Number(
    (await query(tables['silver_events']!, (s) => `SELECT count(DISTINCT event_id) AS n FROM (${s})`))[0]![
      'n'
    ],
  );
  console.log(
    `  produced ${format(produced)} = ${format(w.valid)} valid + ${format(w.duplicates)} duplicates + ${format(w.malformed)} malformed`,
  );
  check('bronze = produced', counts['bronze_events']!, produced);
  check(
    'silver + quarantine = bronze - duplicates',
    counts['silver_events']! + counts['quarantine_events']!,
    produced - w.duplicates,
  );
  check('quarantine = malformed', counts['quarantine_events']!, w.malformed);
  check('silver = distinct valid events', counts['silver_events']!, w.valid);
  check('silver distinct event_id = silver', distinctIds, counts['silver_events']!);
  check('gold sum(total_events) = silver', goldSum, counts['silver_events']!);

  // Every gold row against an exact recomputation from silver (DuckDB over our reader's scan).
  const recomputed = await query(
    tables['silver_events']!,
    (s) => `SELECT epoch_ms(time_bucket(INTERVAL 1 MINUTE, ts)) AS w, count(*) AS total_events,
      count(*) FILTER (WHERE event_type = 'page_view') AS page_views,
      count(*) FILTER (WHERE event_type = 'add_to_cart') AS cart_adds,
      count(*) FILTER (WHERE event_type = 'purchase') AS orders,
      round(coalesce(sum(price * quantity) FILTER (WHERE event_type = 'purchase'), 0), 6) AS gmv,
      count(DISTINCT user_id) AS active_users,
      count(DISTINCT user_id) FILTER (WHERE event_type = 'page_view') AS view_users,
      count(DISTINCT user_id) FILTER (WHERE event_type = 'add_to_cart') AS cart_users,
      count(DISTINCT user_id) FILTER (WHERE event_type = 'purchase') AS purchase_users
    FROM (${s}) GROUP BY 1 ORDER BY 1`,
  );
  const gold = await query(
    tables['gold_kpis']!,
    (
      s,
    ) => `SELECT epoch_ms(window_start) AS w, epoch_ms(window_end) - epoch_ms(window_start) AS len, total_events,
      page_views, cart_adds, orders, round(gmv, 6) AS gmv, active_users, view_users, cart_users, purchase_users,
      conversion_rate, avg_order_value, purchase_users / nullif(view_users, 0) AS cr, gmv / nullif(orders, 0) AS aov
    FROM (${s}) ORDER BY 1`,
  );
  let mismatched = 0;
  const fields = [
    'total_events',
    'page_views',
    'cart_adds',
    'orders',
    'gmv',
    'active_users',
    'view_users',
    'cart_users',
    'purchase_users',
  ];
  for (let i = 0; i < Math.max(gold.length, recomputed.length); i++) {
    const g = gold[i];
    const r = recomputed[i];
    const same =
      g !== undefined &&
      r !== undefined &&
      Number(g['w']) === Number(r['w']) &&
      Number(g['len']) === 60_000 &&
      fields.every((f) => Math.abs(Number(g[f]) - Number(r[f])) < 1e-6) &&
      Math.abs(Number(g['conversion_rate'] ?? 0) - Number(g['cr'] ?? 0)) < 1e-9 &&
      Math.abs(Number(g['avg_order_value'] ?? 0) - Number(g['aov'] ?? 0)) < 1e-9;
    if (!same) {
      mismatched++;
      if (mismatched <= 3)
        console.log(`  gold row ${i}: ${JSON.stringify(g)} vs silver ${JSON.stringify(r)}`);
    }
  }
  check(
    `gold rows equal to an exact recomputation from silver (${gold.length} windows): mismatches`,
    mismatched,
    0,
  );
  const reasons = await query(
    tables['quarantine_events']!,
    (s) => `SELECT split_part(reason, ':', 1) AS code, count(*) AS n FROM (${s}) GROUP BY 1 ORDER BY 2 DESC`,
  );
  console.log(`  quarantine reasons: ${reasons.map((r) => `${r['code']} ${r['n']}`).join(', ')}`);
}

// ------------------------------------------------------------------------------- throughput

function endOf(p: SparkProgress): number {
  return Date.parse(p.timestamp) + (p.durationMs['triggerExecution'] ?? 0);
}

/** Rates of the micro-batches that started at or after `since` (epoch ms). */
function report(
  progress: SparkProgress[],
  since: number,
  startedAt: number,
  events: number,
  cpuSeconds: number,
) {
  const batches = progress.filter((p) => p.numInputRows > 0 && Date.parse(p.timestamp) >= since);
  const gold = batches.filter((p) => p.name === 'gold');
  const seconds = (endOf(gold.at(-1)!) - startedAt) / 1000;
  console.log(
    `  => ${format(events / seconds)} events/s: ${format(events)} Kafka records through bronze, silver/quarantine and gold in ${seconds.toFixed(2)} s`,
  );
  console.log(
    `     Spark used ${cpuSeconds.toFixed(1)} CPU s (${format(events / cpuSeconds)} events per CPU second); ` +
      `1-minute load average now ${loadavg()[0]!.toFixed(2)} on 2 cores`,
  );
  for (const name of ['bronze', 'silver', 'gold'] as const) {
    const mine = batches.filter((p) => p.name === name);
    const rows = mine.reduce((sum, p) => sum + p.numInputRows, 0);
    const busy = mine.reduce((sum, p) => sum + (p.durationMs['triggerExecution'] ?? 0), 0) / 1000;
    console.log(
      `     ${name.padEnd(6)}: ${mine.length} batches, ${format(rows)} rows, busy ${busy.toFixed(2)} s (${format(rows / busy)} rows/s while busy)`,
    );
  }
  return events / seconds;
}

async function throughput(workDir: string) {
  const topic = 'ecommerce_events_backlog';
  const outDir = path.join(workDir, 'delta-backlog');
  console.log(`\n2a. throughput, cold backlog: ${format(backlogEvents)} events produced before Spark starts`);
  const w1 = workload(backlogEvents, 11, 1);
  const produced1 = await produce(topic, w1.messages);
  const run = await SparkRun.start(topic, outDir, path.join(workDir, 'spark-backlog.log'), maxOffsets);
  const spark = run.spark;
  let cold: number;
  let warm: number;
  let w2: Workload;
  let produced: number;
  try {
    let cpu = await spark.cpuSeconds();
    await run.waitFor({ bronze: produced1, silver: w1.valid }, 1_800_000);
    const firstBronze = spark.progress.find((p) => p.name === 'bronze' && p.numInputRows > 0)!;
    cold = report(
      spark.progress,
      0,
      Date.parse(firstBronze.timestamp),
      produced1,
      (await spark.cpuSeconds()) - cpu,
    );

    console.log(
      `\n2b. throughput, warm burst: the same Spark process, ${format(backlogEvents)} more events produced as fast as possible`,
    );
    w2 = workload(backlogEvents, 13, 1);
    cpu = await spark.cpuSeconds();
    const startedAt = Date.now();
    produced = await produce(topic, w2.messages);
    await run.waitFor({ bronze: produced, silver: w1.valid + w2.valid }, 1_800_000);
    warm = report(
      spark.progress,
      startedAt,
      startedAt,
      produced - produced1,
      (await spark.cpuSeconds()) - cpu,
    );
  } finally {
    await spark.stop();
  }

  const tables = await Promise.all(
    ['bronze_events', 'silver_events', 'quarantine_events', 'gold_kpis'].map((n) =>
      DeltaTable.forPath(path.join(outDir, n)),
    ),
  );
  const [b, s, q] = await Promise.all(tables.slice(0, 3).map((t) => count(t)));
  const goldSum = Number(
    (await query(tables[3]!, (x) => `SELECT coalesce(sum(total_events), 0) AS n FROM (${x})`))[0]!['n'],
  );
  check('backlog: bronze = produced', b!, produced);
  check(
    'backlog: silver + quarantine = bronze - duplicates',
    s! + q!,
    produced - w1.duplicates - w2.duplicates,
  );
  check('backlog: gold sum(total_events) = silver', goldSum, s!);
  console.log(
    `\nSPARK REFERENCE THROUGHPUT: cold backlog ${format(cold)} events/s, warm burst ${format(warm)} events/s` +
      `${maxOffsets > 0 ? ` (maxOffsetsPerTrigger ${format(maxOffsets)})` : ''}`,
  );
}

// ------------------------------------------------------------------------------------- main

async function main() {
  const available = await sparkAvailable();
  if (!available.ok) {
    console.error(`Spark reference unavailable: ${available.reason}`);
    process.exit(2);
  }
  console.log(`pyspark ${available.pyspark}, delta-spark ${available.deltaSpark}, Java ${available.java}`);
  const workDir = await mkdtemp(path.join(tmpdir(), 'spark-smoke-'));
  const env = {
    ...process.env,
    KAFKA_PORT: String(kafkaPort),
    KAFKA_CONTROLLER_PORT: String(kafkaPort + 1),
    KAFKA_DATA_DIR: path.join(workDir, 'kafka'),
  };
  console.log(`work dir ${workDir}; starting Kafka at ${bootstrap}`);
  await run('bash', [kafkaScript, 'start'], { env });
  try {
    if (smokeEvents > 0) await correctness(workDir);
    if (backlogEvents > 0) await throughput(workDir);
  } finally {
    await run('bash', [kafkaScript, 'stop'], { env }).catch((e: unknown) =>
      console.error(`kafka stop: ${e}`),
    );
    if (process.env['SMOKE_KEEP'] !== '1') await rm(workDir, { recursive: true, force: true });
    else console.log(`kept ${workDir}`);
  }
  if (failures.length > 0) {
    console.error(`\n${failures.length} check(s) failed:\n  ${failures.join('\n  ')}`);
    process.exit(1);
  }
  console.log('\nall checks passed');
}

await main();
