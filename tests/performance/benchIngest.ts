// `npm run bench:ingest`: producer → Kafka → Bronze → Silver → Gold, this project against Spark
// Structured Streaming writing Delta (the original design's stack) on the same machine and the
// same kind of events, side by side, with the ratio. Two measurements each:
//   backlog  N events wait in a topic; the pipelines start and run until Gold holds them all.
//            Throughput = N / (start of the first Bronze batch → the Gold commit that completes it).
//            The issue asks for the rate a stack sustains for at least 60 s, so N is large enough
//            (6,000,000) for this project to take over a minute; a span under 60 s is flagged.
//            Such a run takes ~15 min with Spark and writes several GB (the topic ~2.8 GB, and
//            both stacks' tables) under the system's temporary folder, removed at the end.
//            A short backlog measures start-up instead: with 300,000 events ours took ~3 s and
//            Spark ~23 s, most of it its fixed costs (JIT, first micro-batches), and the ratio
//            was 7x; with 6,000,000 it is under 2x (docs/spark-reference.md).
//   live     producers send at a fixed rate for S seconds (event time = wall clock) while the
//            pipelines run; a monitor polls gold_kpis every 100 ms. Each event's freshness is
//            the first poll at which its window's total_events covers it (events of a window
//            are ranked by event time) minus its event time.
// The live rate is what this machine sustains for this project with the producers beside it
// (by default half its backlog throughput); Spark runs live at the same rate when it can, else
// at 70% of its own backlog throughput.
//
// A broker the bench starts is warmed up first: our runner consumes what the producers send at
// the live rate for BENCH_INGEST_WARMUP_S, on a topic of its own, and nothing of it is measured.
// A fresh broker's JVM is cold (interpreted code, compilations competing for the 2 cores), which
// doubled our live p99 in the first minutes; Spark, run after ours, always met a warm one.
//
// Environment: KAFKA_BROKERS (else a local broker is started; on a given broker the topics the
// run creates are deleted at its end), BENCH_INGEST_WARMUP_S (30 for a broker it starts, 0 for a
// given one), BENCH_INGEST_EVENTS (6000000),
// BENCH_INGEST_SECONDS (60), BENCH_INGEST_RATE (events/s; auto), BENCH_INGEST_PRODUCERS (2),
// BENCH_INGEST_SPARK (1; 0 skips the reference). It also prints where the cores went while the
// live stream ran (CPU seconds per second of the pipeline runner, the producers and the broker).
import { type ChildProcess, execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createKafkaClient,
  DeltaDuckDb,
  DeltaTable,
  type KafkaClient,
  kafkaConfigFromEnv,
} from '@rt-lakehouse/kernel-helpers';
import { PIPELINE_RUNNER_NODE_FLAGS } from '../../services/src/pipelines/runnerNodeFlags.js';
import { spawnTs, waitForExit } from '../support/spawnTs.js';
import { sparkAvailable, startSparkReference } from './spark/runSparkReference.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const EVENTS = Number(process.env['BENCH_INGEST_EVENTS'] ?? 6_000_000);
/** The least processing span that counts as sustained (the issue's "for at least 60 s"). */
const SUSTAINED_S = 60;
const SECONDS = Number(process.env['BENCH_INGEST_SECONDS'] ?? 60);
const PRODUCERS = Number(process.env['BENCH_INGEST_PRODUCERS'] ?? 2);
const WITH_SPARK = process.env['BENCH_INGEST_SPARK'] !== '0';
const WARMUP_S = Number(process.env['BENCH_INGEST_WARMUP_S'] ?? (process.env['KAFKA_BROKERS'] ? 0 : 30));
const GIVEN_RATE = process.env['BENCH_INGEST_RATE'] ? Number(process.env['BENCH_INGEST_RATE']) : undefined;
const work = await fs.mkdtemp(path.join(os.tmpdir(), 'rtl-bench-ingest-'));
const duck = await DeltaDuckDb.create();
const log = (msg: string) => process.stderr.write(`bench:ingest: ${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- broker
let brokers = process.env['KAFKA_BROKERS'];
const kafkaEnv = {
  ...process.env,
  KAFKA_PORT: '19492',
  KAFKA_CONTROLLER_PORT: '19493',
  KAFKA_DATA_DIR: path.join(work, 'kafka'),
};
if (!brokers) {
  log('starting a local Kafka broker');
  execFileSync('bash', [path.join(repo, 'scripts/kafka-local.sh'), 'start'], {
    env: kafkaEnv,
    stdio: 'inherit',
  });
  brokers = '127.0.0.1:19492';
}
const children = new Set<ChildProcess>();
async function cleanup() {
  for (const c of children) c.kill('SIGKILL');
  if (process.env['KAFKA_BROKERS']) await deleteCreatedTopics();
  else
    execFileSync('bash', [path.join(repo, 'scripts/kafka-local.sh'), 'stop'], {
      env: kafkaEnv,
      stdio: 'ignore',
    });
  duck.close();
  await fs.rm(work, { recursive: true, force: true });
}

// ---------------------------------------------------------------- helpers
const baseEnv = { ...process.env, KAFKA_BROKERS: brokers, LOG_LEVEL: 'warn' };

/** CPU seconds (user + system) process `pid` has used so far (0 when it cannot be read). */
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
async function cpuSeconds(pid: number | undefined): Promise<number> {
  if (pid === undefined) return 0;
  try {
    const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** The local broker's pid (undefined for a broker given by KAFKA_BROKERS). */
async function brokerPid(): Promise<number | undefined> {
  if (process.env['KAFKA_BROKERS']) return undefined;
  const text = await fs.readFile(path.join(kafkaEnv.KAFKA_DATA_DIR, 'kafka.pid'), 'utf8').catch(() => '');
  return /^\d+$/.test(text.trim()) ? Number(text.trim()) : undefined;
}

/** Where the cores went while the live stream ran: CPU seconds per wall second, per part. */
interface CpuShare {
  pipelines: number;
  producers: number;
  broker: number;
}

/**
 * Runs the producer service in `PRODUCERS` processes; resolves with the events they sent and
 * the CPU seconds they used.
 */
async function produce(
  topic: string,
  options: { total?: number; rate?: number; seconds?: number },
): Promise<{ sent: number; cpuS: number }> {
  const runs = Array.from({ length: PRODUCERS }, (_, i) => {
    const child = spawnTs(path.join(repo, 'services/src/producer/main.ts'), [], {
      env: {
        ...baseEnv,
        LOG_LEVEL: 'info',
        KAFKA_TOPIC: topic,
        PRODUCER_SEED: String(1000 + i),
        PRODUCER_RATE: options.rate ? String(options.rate / PRODUCERS) : 'max',
        ...(options.total ? { PRODUCER_MAX_EVENTS: String(Math.ceil(options.total / PRODUCERS)) } : {}),
        ...(options.seconds ? { PRODUCER_DURATION_S: String(options.seconds) } : {}),
        PRODUCER_STATS_INTERVAL_S: '3600',
      },
    });
    children.add(child);
    return waitForExit(child).finally(() => children.delete(child));
  });
  let sent = 0;
  let cpuS = 0;
  for (const r of await Promise.all(runs)) {
    const last = r.stdout
      .trim()
      .split('\n')
      .reverse()
      .find((l) => l.includes('producer stopped'));
    if (r.code !== 0 || !last)
      throw new Error(`producer failed (${r.code}): ${r.stderr.slice(-500)} ${r.stdout.slice(-500)}`);
    const stopped = JSON.parse(last) as { sent: number; cpuS?: number };
    sent += stopped.sent;
    cpuS += stopped.cpuS ?? 0;
  }
  return { sent, cpuS };
}

/** The topics this run made: deleted at the end from a broker it did not start (GBs a run). */
const createdTopics = new Set<string>();

/** Runs `work` with an admin client of the bench's broker. */
async function withAdmin(work: (admin: KafkaClient['admin']) => Promise<void>) {
  const client = createKafkaClient(kafkaConfigFromEnv({ KAFKA_BROKERS: brokers, KAFKA_LOG_LEVEL: 'error' }));
  try {
    await work(client.admin);
  } finally {
    await client.disconnect();
  }
}

async function createTopic(topic: string) {
  await withAdmin(async (admin) => {
    await admin.ensureTopic(topic, 3);
    createdTopics.add(topic);
  });
}

async function deleteCreatedTopics() {
  if (createdTopics.size === 0) return;
  await withAdmin(async (admin) => {
    for (const topic of createdTopics) await admin.deleteTopic(topic);
  }).catch((error: Error) =>
    log(`could not delete the bench's topics (${[...createdTopics].join(', ')}): ${error.message}`),
  );
}

/** Opens the medallion tables of a lakehouse folder (Spark's or ours). */
function tables(deltaDir: string) {
  const open = (name: string) => DeltaTable.forPath(path.join(deltaDir, name), { duck, name });
  return { bronze: open('bronze_events'), silver: open('silver_events'), gold: open('gold_kpis') };
}

async function goldTotal(gold: DeltaTable): Promise<number> {
  if (!(await gold.exists())) return 0;
  const snapshot = await gold.latest();
  const c = await duck.connect();
  try {
    const sql = await gold.scanSql(snapshot, { columns: ['total_events'] });
    return Number(
      (await c.runAndReadAll(`SELECT coalesce(sum(total_events), 0) FROM (${sql})`)).getRows()[0]![0],
    );
  } finally {
    c.closeSync();
  }
}

/** Waits until Gold's windows add up to `expected` events. */
async function waitGold(deltaDir: string, expected: number, timeoutMs: number): Promise<void> {
  const { gold } = tables(deltaDir);
  const g = await gold;
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  while (Date.now() < deadline) {
    const total = await goldTotal(g);
    if (total >= expected) return;
    if (total !== last) log(`gold holds ${total}/${expected}`);
    last = total;
    await sleep(1_000);
  }
  throw new Error(`gold did not reach ${expected} events in ${timeoutMs / 1000} s (at ${last})`);
}

/**
 * Processing span: from the start of the first Bronze batch (its rows' `ingested_at`, stamped as
 * a batch starts, by both stacks) to the Gold commit that completed the totals. Counting from
 * Bronze's first *commit* would leave out the whole first batch, which for Spark (no cap on a
 * micro-batch) is most of the backlog.
 */
async function processingSpan(deltaDir: string): Promise<number> {
  const t = tables(deltaDir);
  const bronze = await t.bronze;
  const gold = await (await t.gold).history();
  const c = await duck.connect();
  try {
    const sql = await bronze.scanSql(await bronze.latest(), { columns: ['ingested_at'] });
    const start = Number(
      (await c.runAndReadAll(`SELECT epoch_ms(min(ingested_at)) FROM (${sql})`)).getRows()[0]![0],
    );
    const end = Math.max(...gold.map((h) => h.timestamp.getTime()));
    return (end - start) / 1000;
  } finally {
    c.closeSync();
  }
}

/** A drained backlog's span and rate (EVENTS over the span), logged as they are measured. */
async function backlogFigures(stack: string, deltaDir: string) {
  const backlogSpanS = await processingSpan(deltaDir);
  const backlogRate = EVENTS / backlogSpanS;
  log(`${stack} backlog: ${backlogRate.toFixed(0)} events/s over ${backlogSpanS.toFixed(1)} s`);
  return { backlogSpanS, backlogRate };
}

/** Polls gold_kpis every 100 ms: window start → [(time, total_events)]. */
function monitorGold(deltaDir: string) {
  const seen = new Map<number, { t: number; n: number }[]>();
  let stopped = false;
  const done = (async () => {
    const gold = await tables(deltaDir).gold;
    let version = -1;
    while (!stopped) {
      const t0 = Date.now();
      try {
        if (await gold.exists()) {
          const snapshot = await gold.latest();
          if (snapshot.version !== version) {
            version = snapshot.version;
            const c = await duck.connect();
            try {
              const sql = await gold.scanSql(snapshot, { columns: ['window_start', 'total_events'] });
              const rows = (
                await c.runAndReadAll(`SELECT epoch_ms(window_start), total_events FROM (${sql})`)
              ).getRows();
              for (const [w, n] of rows as [bigint, bigint][]) {
                const list = seen.get(Number(w)) ?? [];
                if (list.length === 0 || list[list.length - 1]!.n !== Number(n))
                  list.push({ t: t0, n: Number(n) });
                seen.set(Number(w), list);
              }
            } finally {
              c.closeSync();
            }
          }
        }
      } catch {
        // A table mid-commit: try again on the next tick.
      }
      await sleep(Math.max(0, 100 - (Date.now() - t0)));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await done;
      return seen;
    },
  };
}

/** Freshness of every event: visible time (first poll covering its rank) minus event time. */
async function freshness(
  deltaDir: string,
  seen: Map<number, { t: number; n: number }[]>,
): Promise<{ p50: number; p99: number; n: number }> {
  const silver = await tables(deltaDir).silver;
  const c = await duck.connect();
  const latencies: number[] = [];
  try {
    const sql = await silver.scanSql(await silver.latest(), { columns: ['ts'] });
    const rows = (
      await c.runAndReadAll(
        `SELECT epoch_ms(time_bucket(INTERVAL 1 MINUTE, ts, TIMESTAMPTZ '1970-01-01 00:00:00+00')) AS w, list(epoch_ms(ts) ORDER BY ts) FROM (${sql}) GROUP BY 1`,
      )
    ).getRowsJS() as [bigint, bigint[]][];
    for (const [w, tsList] of rows) {
      const timeline = seen.get(Number(w)) ?? [];
      let j = 0;
      tsList.forEach((ts, k) => {
        while (j < timeline.length && timeline[j]!.n < k + 1) j++;
        if (j < timeline.length) latencies.push(Math.max(0, timeline[j]!.t - Number(ts)));
      });
    }
  } finally {
    c.closeSync();
  }
  latencies.sort((a, b) => a - b);
  const q = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? Number.NaN;
  return { p50: q(0.5), p99: q(0.99), n: latencies.length };
}

/** Our pipelines as a runner process on `topic`, writing to `dir`. */
function startOurRunner(topic: string, dir: string): ChildProcess {
  const child = spawnTs(path.join(repo, 'services/src/pipelines/main.ts'), [], {
    env: {
      ...baseEnv,
      // The flags `lakehouse up` and compose.yml start the runner with.
      NODE_OPTIONS: [process.env['NODE_OPTIONS'], ...PIPELINE_RUNNER_NODE_FLAGS].filter(Boolean).join(' '),
      LAKEHOUSE_DIR: dir,
      KAFKA_TOPIC: topic,
      PIPELINE_GROUP_ID: `${topic}-rtl`,
      PIPELINES_PORT: '0',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  children.add(child);
  return child;
}

async function stopChild(child: ChildProcess) {
  const exited = waitForExit(child);
  child.kill('SIGTERM');
  await exited;
  children.delete(child);
}

interface Figures {
  backlogRate: number;
  /** Seconds the backlog took, first Bronze batch → last Gold commit. */
  backlogSpanS: number;
  liveRate: number;
  p50: number;
  p99: number;
}

/** Warms the broker up: the runner consumes a live stream for `seconds`; nothing is measured. */
async function warmUpBroker(seconds: number, rate: number): Promise<void> {
  const topic = `warmup-${Date.now()}`;
  await createTopic(topic);
  log(`warming the broker up: ${seconds} s at ${rate} events/s (not measured)`);
  const runner = startOurRunner(topic, path.join(work, 'warmup'));
  await sleep(5_000);
  await produce(topic, { rate, seconds });
  await stopChild(runner);
  await fs.rm(path.join(work, 'warmup'), { recursive: true, force: true });
}

async function runOurs(
  backlogTopic: string,
  rate: number | undefined,
): Promise<Figures & { rateUsed: number; cpu: CpuShare }> {
  const backlogDir = path.join(work, 'ours-backlog');
  const runner = startOurRunner(backlogTopic, backlogDir);
  await waitGold(path.join(backlogDir, 'delta'), EVENTS, 30 * 60_000);
  await stopChild(runner);
  const { backlogSpanS, backlogRate } = await backlogFigures('ours', path.join(backlogDir, 'delta'));

  const liveTopic = `live-rtl-${Date.now()}`;
  await createTopic(liveTopic);
  const liveDir = path.join(work, 'ours-live');
  const live = startOurRunner(liveTopic, liveDir);
  // The producers share the machine with the pipelines: offer about half of what the
  // pipelines alone sustained on the backlog (override with BENCH_INGEST_RATE).
  const rateUsed = rate ?? Math.max(1_000, Math.round(backlogRate * 0.5));
  await sleep(8_000); // start-up and group join before the clock starts
  const monitor = monitorGold(path.join(liveDir, 'delta'));
  const broker = await brokerPid();
  const before = { at: Date.now(), runner: await cpuSeconds(live.pid), broker: await cpuSeconds(broker) };
  const { sent, cpuS } = await produce(liveTopic, { rate: rateUsed, seconds: SECONDS });
  const wall = (Date.now() - before.at) / 1000;
  const cpu: CpuShare = {
    pipelines: ((await cpuSeconds(live.pid)) - before.runner) / wall,
    producers: cpuS / wall,
    broker: ((await cpuSeconds(broker)) - before.broker) / wall,
  };
  await waitGold(path.join(liveDir, 'delta'), sent, 10 * 60_000);
  await sleep(300);
  const seen = await monitor.stop();
  await stopChild(live);
  const f = await freshness(path.join(liveDir, 'delta'), seen);
  return { backlogRate, backlogSpanS, liveRate: sent / SECONDS, p50: f.p50, p99: f.p99, rateUsed, cpu };
}

async function runSpark(backlogTopic: string, rate: number): Promise<Figures & { rateUsed: number }> {
  const backlogDir = path.join(work, 'spark-backlog');
  const spark = await startSparkReference({
    bootstrap: brokers!,
    topic: backlogTopic,
    outDir: backlogDir,
    logFile: path.join(work, 'spark-backlog.log'),
  });
  await spark.ready;
  await waitGold(backlogDir, EVENTS, 60 * 60_000);
  await spark.stop();
  const { backlogSpanS, backlogRate } = await backlogFigures('spark', backlogDir);

  // Spark runs live at the same rate when it can, else at 70% of its own backlog rate.
  rate = Math.min(rate, Math.max(500, Math.round(backlogRate * 0.7)));
  const liveTopic = `live-spark-${Date.now()}`;
  await createTopic(liveTopic);
  const liveDir = path.join(work, 'spark-live');
  const live = await startSparkReference({
    bootstrap: brokers!,
    topic: liveTopic,
    outDir: liveDir,
    logFile: path.join(work, 'spark-live.log'),
  });
  await live.ready;
  const monitor = monitorGold(liveDir);
  const { sent } = await produce(liveTopic, { rate, seconds: SECONDS });
  await waitGold(liveDir, sent, 30 * 60_000).catch((e: unknown) =>
    log(`spark live: ${(e as Error).message}`),
  );
  const seen = await monitor.stop();
  await live.stop();
  const f = await freshness(liveDir, seen);
  return {
    backlogRate,
    backlogSpanS,
    liveRate: sent / SECONDS,
    p50: f.p50,
    p99: f.p99,
    rateUsed: rate,
  };
}

// ---------------------------------------------------------------- main
try {
  if (WARMUP_S > 0) await warmUpBroker(WARMUP_S, GIVEN_RATE ?? 40_000);
  const backlogTopic = `backlog-${Date.now()}`;
  await createTopic(backlogTopic);
  log(`producing ${EVENTS} events into ${backlogTopic}`);
  const { sent: produced } = await produce(backlogTopic, { total: EVENTS });
  if (produced < EVENTS) throw new Error(`only ${produced} of ${EVENTS} events were produced`);
  const ours = await runOurs(backlogTopic, GIVEN_RATE);
  let spark: (Figures & { rateUsed: number }) | undefined;
  if (WITH_SPARK) {
    const available = await sparkAvailable();
    if (available.ok) spark = await runSpark(backlogTopic, ours.rateUsed);
    else
      log(
        `Spark reference skipped: ${available.reason} (scripts/setup-python.sh requirements-test.txt requirements-bench.txt)`,
      );
  }
  const f = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : 'n/a');
  console.log(
    `machine: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; backlog ${EVENTS} events; live ${SECONDS} s at ${ours.rateUsed} events/s offered; broker ${process.env['KAFKA_BROKERS'] ? 'given' : 'started'}${WARMUP_S > 0 ? `, warmed up ${WARMUP_S} s` : ''}`,
  );
  console.log(
    `ingest: ${f(ours.liveRate)} events/s, freshness p50 ${f(ours.p50)} ms p99 ${f(ours.p99)} ms (backlog ${f(ours.backlogRate)} events/s over ${ours.backlogSpanS.toFixed(0)} s)`,
  );
  console.log(
    `cpu while live (cores of ${os.cpus().length}): pipelines ${ours.cpu.pipelines.toFixed(2)}, producers ${ours.cpu.producers.toFixed(2)}, broker ${process.env['KAFKA_BROKERS'] ? 'n/a (external)' : ours.cpu.broker.toFixed(2)}`,
  );
  if (ours.backlogSpanS < SUSTAINED_S)
    console.log(
      `note: the backlog took ${ours.backlogSpanS.toFixed(0)} s, under the ${SUSTAINED_S} s a sustained rate needs; raise BENCH_INGEST_EVENTS`,
    );
  if (spark) {
    console.log(
      `spark:  ${f(spark.liveRate)} events/s, freshness p50 ${f(spark.p50)} ms p99 ${f(spark.p99)} ms (backlog ${f(spark.backlogRate)} events/s over ${spark.backlogSpanS.toFixed(0)} s)`,
    );
    console.log(
      `ratio: throughput ${(ours.backlogRate / spark.backlogRate).toFixed(1)}x (target 10x), p99 freshness ${(spark.p99 / ours.p99).toFixed(1)}x lower (targets: 50,000 events/s, p99 < 2000 ms)`,
    );
  }
} finally {
  await cleanup();
}
