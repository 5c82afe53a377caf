// `npm run bench:query`: query latency over a seeded lakehouse (10M events by default).
//   (a) planner answers: every question of the public NL set (and its follow-up) asked through
//       the assistant (createAssistant, planner path, vectors in memory) ASK_REPEATS times after
//       a warm-up pass; p50/p95 of the whole ask (retrieve → generate → execute → chart).
//       Target: p50 under 50 ms.
//   (b) SQL over Delta: analytical queries through the SQL engine (the Delta views, as users and
//       the assistant run them: guard, view refresh check, row cap) against the same queries
//       with each table replaced by `read_parquet` of its current data files, on a plain DuckDB
//       instance with the same threads, memory limit and parquet metadata cache. The Delta views on that plain instance
//       are measured too, to tell the view's cost from the engine's. Target: within 1.2x.
// The lakehouse is seeded once per size, seed and UTC day under the OS temp folder and reused.
//
// Environment: BENCH_QUERY_EVENTS (10000000), BENCH_QUERY_DAYS (7), BENCH_QUERY_SEED (1),
// BENCH_QUERY_ASK_REPEATS (5), BENCH_QUERY_SQL_REPEATS (7), NL2SQL_PUBLIC (the public set;
// ../shared/nl2sql_public.json beside the repo by default).
import { promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DuckDBConnection } from '@duckdb/node-api';
import {
  assistantConfigFromEnv,
  createAssistant,
  DuckDbSqlEngine,
  Lakehouse,
  openDuckDb,
} from '@rt-lakehouse/kernel-helpers';
import { seedLakehouse } from '@rt-lakehouse/pipelines';
import { sharedPath } from '../support/sharedData.js';

const int = (name: string, fallback: number) => {
  const raw = process.env[name];
  const n = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got ${raw}`);
  return n;
};
const EVENTS = int('BENCH_QUERY_EVENTS', 10_000_000);
const DAYS = int('BENCH_QUERY_DAYS', 7);
const SEED = int('BENCH_QUERY_SEED', 1);
const ASK_REPEATS = int('BENCH_QUERY_ASK_REPEATS', 5);
const SQL_REPEATS = int('BENCH_QUERY_SQL_REPEATS', 7);
const PUBLIC_SET = process.env['NL2SQL_PUBLIC'] ?? sharedPath('nl2sql_public.json');
const log = (msg: string) => process.stderr.write(`bench:query: ${msg}\n`);

// ---------------------------------------------------------------- the seeded lakehouse

interface Ready {
  seededAt: string;
  events: number;
  silverRows: number;
  goldWindows: number;
  elapsedMs: number;
}

/** `<tmp>/rtl-bench-query-e<N>-d<D>-s<S>-<UTC day>`, seeded unless an earlier run of today made it. */
async function seededDir(): Promise<{ dir: string; ready: Ready }> {
  const stem = `rtl-bench-query-e${EVENTS}-d${DAYS}-s${SEED}`;
  const dir = path.join(os.tmpdir(), `${stem}-${new Date().toISOString().slice(0, 10)}`);
  const existing = await readReady(dir);
  if (existing) {
    log(`reusing ${dir} (seeded ${minutesSince(existing.seededAt)} min ago)`);
    return { dir, ready: existing };
  }
  for (const name of await fs.readdir(os.tmpdir()))
    if (name.startsWith(`${stem}-`))
      await fs.rm(path.join(os.tmpdir(), name), { recursive: true, force: true });
  const work = `${dir}.seeding-${process.pid}`;
  log(`seeding ${EVENTS.toLocaleString('en')} events over ${DAYS} days (seed ${SEED}) into ${work}`);
  const lakehouse = await Lakehouse.open({ dir: work });
  const started = Date.now();
  let last = 0;
  try {
    const result = await seedLakehouse({
      lakehouse,
      events: EVENTS,
      days: DAYS,
      seed: SEED,
      onProgress: ({ generated, silver }) => {
        if (Date.now() - last < 10_000) return;
        last = Date.now();
        const seconds = (Date.now() - started) / 1000;
        const rate = silver / seconds;
        const eta = rate > 0 ? `, ~${Math.ceil((EVENTS - silver) / rate / 60)} min left` : '';
        log(
          `seeding: generated ${generated.toLocaleString('en')}, silver ${silver.toLocaleString('en')} of ${EVENTS.toLocaleString('en')} (${Math.round(rate).toLocaleString('en')} events/s${eta})`,
        );
      },
    });
    const ready: Ready = {
      seededAt: new Date().toISOString(),
      events: EVENTS,
      silverRows: result.silverRows,
      goldWindows: result.goldWindows,
      elapsedMs: result.elapsedMs,
    };
    await fs.writeFile(path.join(work, 'ready.json'), JSON.stringify(ready, null, 2));
    log(
      `seeded in ${(result.elapsedMs / 60_000).toFixed(1)} min (${Math.round(EVENTS / (result.elapsedMs / 1000)).toLocaleString('en')} events/s): silver ${result.silverRows.toLocaleString('en')}, gold windows ${result.goldWindows}`,
    );
  } finally {
    lakehouse.close();
  }
  await fs.rename(work, dir);
  return { dir, ready: (await readReady(dir))! };
}

async function readReady(dir: string): Promise<Ready | undefined> {
  try {
    return JSON.parse(await fs.readFile(path.join(dir, 'ready.json'), 'utf8')) as Ready;
  } catch {
    return undefined;
  }
}

const minutesSince = (iso: string) => Math.round((Date.now() - Date.parse(iso)) / 60_000);

// ---------------------------------------------------------------- statistics

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
const ms = (v: number) => (v < 10 ? v.toFixed(2) : v.toFixed(1));

// ---------------------------------------------------------------- (a) planner answers

interface EvalCase {
  id: string;
  q: string;
  followup?: string;
}

async function benchAnswers(lakehouse: Lakehouse, engine: DuckDbSqlEngine): Promise<void> {
  const cases = (JSON.parse(readFileSync(PUBLIC_SET, 'utf8')) as { cases: EvalCase[] }).cases;
  const assistant = await createAssistant({
    lakehouse,
    engine,
    config: assistantConfigFromEnv({ ASSISTANT_KNOWLEDGE_PATH: ':memory:' }),
  });
  const latencies: number[] = [];
  const phases = { retrieveMs: [] as number[], generateMs: [] as number[], executeMs: [] as number[] };
  const perCase = new Map<string, number[]>();
  let failures = 0;
  try {
    for (let pass = 0; pass <= ASK_REPEATS; pass++) {
      const measured = pass > 0; // pass 0 warms caches up
      for (const c of cases) {
        let conversationId: string | undefined;
        for (const question of c.followup === undefined ? [c.q] : [c.q, c.followup]) {
          const started = performance.now();
          const result = await assistant.ask(question, {
            path: 'planner',
            ...(conversationId !== undefined ? { conversationId } : {}),
          });
          const elapsed = performance.now() - started;
          if (!result.success) {
            if (measured) failures++;
            if (pass === 0) log(`${c.id} not answered: ${result.error.code} ${result.error.reason}`);
            break;
          }
          conversationId = result.answer.conversationId;
          if (!measured) continue;
          latencies.push(elapsed);
          for (const k of Object.keys(phases) as (keyof typeof phases)[])
            phases[k].push(result.answer.timings[k]);
          const list = perCase.get(c.id) ?? [];
          list.push(elapsed);
          perCase.set(c.id, list);
        }
      }
    }
  } finally {
    await assistant.close();
  }
  const slowest = [...perCase.entries()]
    .map(([id, values]) => [id, percentile(values, 50)] as const)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([id, v]) => `${id} ${ms(v)} ms`);
  log(
    `answers: ${latencies.length} measured (${cases.length} cases × ${ASK_REPEATS}), ${failures} unanswered; phases p50: retrieve ${ms(percentile(phases.retrieveMs, 50))} ms, generate ${ms(percentile(phases.generateMs, 50))} ms, execute ${ms(percentile(phases.executeMs, 50))} ms; slowest p50: ${slowest.join(', ')}`,
  );
  console.log(
    `query: planner answers p50 ${ms(percentile(latencies, 50))} ms p95 ${ms(percentile(latencies, 95))} ms (target 50)`,
  );
}

// ---------------------------------------------------------------- (b) Delta views vs parquet

/** Analytical queries; `{silver}` and `{gold}` stand for the tables. */
const SQL_QUERIES: readonly { name: string; sql: string }[] = [
  { name: 'count', sql: 'SELECT count(*) AS events FROM {silver}' },
  {
    name: 'revenue by country',
    sql: "SELECT country, sum(price * quantity) AS revenue FROM {silver} WHERE event_type = 'purchase' GROUP BY country ORDER BY revenue DESC",
  },
  {
    name: 'events per hour, last 24 h',
    sql: "SELECT date_trunc('hour', ts) AS hour, count(*) AS events FROM {silver} WHERE ts >= now() - INTERVAL 24 HOUR GROUP BY 1 ORDER BY 1",
  },
  {
    name: 'conversion by device',
    sql: "SELECT device_type, count(DISTINCT user_id) FILTER (WHERE event_type = 'purchase')::DOUBLE / nullif(count(DISTINCT user_id) FILTER (WHERE event_type = 'page_view'), 0) AS conversion_rate FROM {silver} GROUP BY device_type ORDER BY device_type",
  },
  {
    name: 'top products',
    sql: "SELECT product_id, sum(quantity) AS units FROM {silver} WHERE event_type = 'purchase' GROUP BY product_id ORDER BY units DESC, product_id LIMIT 10",
  },
  {
    name: 'cart abandonment by category',
    sql: "SELECT category_id, 1 - count(*) FILTER (WHERE event_type = 'purchase')::DOUBLE / nullif(count(*) FILTER (WHERE event_type = 'add_to_cart'), 0) AS abandonment FROM {silver} GROUP BY category_id ORDER BY abandonment DESC NULLS LAST",
  },
  { name: 'active users', sql: 'SELECT count(DISTINCT user_id) AS users FROM {silver}' },
  {
    name: 'daily GMV from gold',
    sql: "SELECT date_trunc('day', window_start) AS day, sum(gmv) AS gmv, sum(orders) AS orders FROM {gold} GROUP BY 1 ORDER BY 1",
  },
];

async function benchSql(lakehouse: Lakehouse, engine: DuckDbSqlEngine): Promise<void> {
  const snapshots = {
    silver: await (await lakehouse.table('silver_events')).latest(),
    gold: await (await lakehouse.table('gold_kpis')).latest(),
  };
  const parquetOf = (s: typeof snapshots.silver) =>
    `read_parquet([${s
      .files()
      .map((f) => `'${(f.url.startsWith('file:') ? fileURLToPath(f.url) : f.url).replaceAll("'", "''")}'`)
      .join(', ')}])`;
  const scans = {
    silver: await (await lakehouse.table('silver_events')).scanSql(snapshots.silver),
    gold: await (await lakehouse.table('gold_kpis')).scanSql(snapshots.gold),
  };
  log(
    `sql: silver_events v${snapshots.silver.version} (${snapshots.silver.numFiles} files, ${snapshots.silver.numRecords()?.toLocaleString('en')} rows), gold_kpis v${snapshots.gold.version} (${snapshots.gold.numFiles} files)`,
  );
  // The plain instance: the engine's defaults (DuckDB's threads and memory limit, parquet
  // metadata cache), no lock-down.
  const plain = await openDuckDb();
  const connection: DuckDBConnection = await plain.connect();
  await connection.run('SET GLOBAL parquet_metadata_cache = true');
  await connection.run("SET TimeZone = 'UTC'");
  await connection.run(`CREATE VIEW silver_events AS ${scans.silver}`);
  await connection.run(`CREATE VIEW gold_kpis AS ${scans.gold}`);
  const settings = (
    await connection.runAndReadAll(
      "SELECT current_setting('threads'), current_setting('memory_limit'), current_setting('parquet_metadata_cache')",
    )
  )
    .getRows()[0]!
    .join(', ');
  log(
    `sql: plain instance threads, memory limit, parquet metadata cache: ${settings} (the engine's settings too)`,
  );

  const sides = {
    engine: async (sql: string) => {
      await engine.query(sql.replaceAll('{silver}', 'silver_events').replaceAll('{gold}', 'gold_kpis'), {
        maxRows: 1_000_000,
      });
    },
    views: async (sql: string) => {
      await connection.runAndReadAll(
        sql.replaceAll('{silver}', 'silver_events').replaceAll('{gold}', 'gold_kpis'),
      );
    },
    parquet: async (sql: string) => {
      await connection.runAndReadAll(
        sql
          .replaceAll('{silver}', parquetOf(snapshots.silver))
          .replaceAll('{gold}', parquetOf(snapshots.gold)),
      );
    },
  };
  type Side = keyof typeof sides;
  const times: Record<Side, number[]> = { engine: [], views: [], parquet: [] };
  const perQuery: { name: string; p50: Record<Side, number> }[] = [];
  try {
    for (const q of SQL_QUERIES) {
      const own: Record<Side, number[]> = { engine: [], views: [], parquet: [] };
      for (const side of Object.keys(sides) as Side[]) await sides[side](q.sql); // warm-up
      for (let i = 0; i < SQL_REPEATS; i++) {
        // Alternate the order so that neither side always runs on the warmer cache.
        const order = (
          i % 2 === 0 ? ['engine', 'views', 'parquet'] : ['parquet', 'views', 'engine']
        ) as Side[];
        for (const side of order) {
          const started = performance.now();
          await sides[side](q.sql);
          const elapsed = performance.now() - started;
          own[side].push(elapsed);
          times[side].push(elapsed);
        }
      }
      const p50 = {
        engine: percentile(own.engine, 50),
        views: percentile(own.views, 50),
        parquet: percentile(own.parquet, 50),
      };
      perQuery.push({ name: q.name, p50 });
      log(
        `sql: ${q.name}: engine ${ms(p50.engine)} ms, views ${ms(p50.views)} ms, parquet ${ms(p50.parquet)} ms (${(p50.engine / p50.parquet).toFixed(2)}x)`,
      );
    }
  } finally {
    connection.closeSync();
    plain.closeSync();
  }
  const geomean = (side: Side) =>
    Math.exp(perQuery.reduce((s, q) => s + Math.log(q.p50[side] / q.p50.parquet), 0) / perQuery.length);
  const p50 = (side: Side) => percentile(times[side], 50);
  const p95 = (side: Side) => percentile(times[side], 95);
  log(
    `sql: per-query ratio to parquet (geometric mean of p50s): engine ${geomean('engine').toFixed(2)}x, views on the plain instance ${geomean('views').toFixed(2)}x; plain views p50 ${ms(p50('views'))} ms p95 ${ms(p95('views'))} ms`,
  );
  console.log(
    `query: delta views p50 ${ms(p50('engine'))} ms p95 ${ms(p95('engine'))} ms vs parquet p50 ${ms(p50('parquet'))} ms p95 ${ms(p95('parquet'))} ms ratio ${(p50('engine') / p50('parquet')).toFixed(2)}x (target 1.2)`,
  );
}

// ---------------------------------------------------------------- main

const { dir, ready } = await seededDir();
const lakehouse = await Lakehouse.open({ dir });
const engine = await DuckDbSqlEngine.create({ lakehouse, maxRows: 1_000_000, timeoutMs: 600_000 });
try {
  log(
    `lakehouse ${dir}: ${ready.silverRows.toLocaleString('en')} silver rows, seeded ${minutesSince(ready.seededAt)} min ago ("today" and "last hour" questions read the newest data)`,
  );
  await benchAnswers(lakehouse, engine);
  await benchSql(lakehouse, engine);
} finally {
  await engine.close();
  lakehouse.close();
}
