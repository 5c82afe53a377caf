// Gold: one row of KPIs per 1-minute tumbling window. Windows still inside the 15-minute
// lateness watermark are updated as Silver's new rows arrive — counts, money in exact
// micro-units, and sets of users for exact distinct counts — and their rows replaced in one
// commit (remove + add); older windows are final, and events arriving for them are counted as
// late. A batch costs what it adds, not what its windows hold; after a restart the open
// windows are rebuilt from Silver as of Gold's last commit.
//
// The watermark is the smallest, over source partitions, of the newest event time seen in that
// partition, minus the lateness (as Flink does): a partition that falls behind — a runner died,
// a backlog is replayed unevenly — holds the watermark back instead of having its events
// declared late. Given `sourcePartitions` (the Bronze topic's partition count), a partition not
// seen yet holds it too: until every partition has shown up, there is no watermark (no window
// is final, nothing is late), unless `idleMs` of processing time have passed since Gold's first
// event without them — then, like Flink's `withIdleness`, the missing partitions count as idle
// and the watermark follows the partitions seen. It never goes back: an idle partition that
// wakes up later finds the windows already final.
import {
  type DeltaChange,
  DeltaStreamSource,
  definePipeline,
  type PipelineDefinition,
  type PipelineEnv,
  type RecentAppend,
  type Trigger,
  where,
} from '@rt-lakehouse/kernel-helpers';
import { DEFAULT_TOPIC } from './bronzePipeline.js';
import { readRows, splitChanges } from './readChangedRows.js';
import { GOLD_KPIS_SCHEMA, MEDALLION_RETENTION_PROPERTIES, TABLES } from './tableSchemas.js';

export interface GoldPipelineOptions {
  silverTable?: string;
  goldTable?: string;
  /** Window length (default 1 minute). */
  windowMs?: number;
  /** Lateness after which a window is final (default 15 minutes). */
  latenessMs?: number;
  trigger?: Trigger;
  name?: string;
  /**
   * How many source partitions feed Silver (the Bronze topic's partition count), or how to find
   * out when Gold starts (asked once; e.g. of Kafka). While fewer distinct partitions have been
   * seen, the watermark is held: no window is final and nothing is late. Without it, only the
   * partitions seen count (a backlog read one partition ahead can make the others' first events
   * late).
   */
  sourcePartitions?: number | ((env: PipelineEnv) => Promise<number | undefined>);
  /**
   * Processing time (ms) after Gold's first event (or its restart) after which partitions still
   * not seen count as idle: the watermark then follows the partitions seen (default 60 s).
   */
  idleMs?: number;
  /** Processing-time clock in epoch ms (default Date.now); for tests. */
  now?: () => number;
}

/**
 * A `sourcePartitions` for a Bronze that reads Kafka topic `topic`: asked when Gold starts, of the
 * runner's Kafka client (which makes the topic, as Bronze does, when it does not exist yet).
 * Without a Kafka client there is no count, and Gold counts the partitions it has seen.
 */
export const kafkaTopicPartitions =
  (topic: string) =>
  async (env: PipelineEnv): Promise<number | undefined> =>
    env.kafka
      ? (await env.kafka.admin.ensureTopic(topic, env.kafka.config.partitions)).partitions
      : undefined;

/**
 * Gold's `sourcePartitions` for a Bronze reading `bronze`: `given` (an in-process source's
 * count), else the Kafka topic's count asked when Gold starts; none for an in-process source
 * whose count was not given.
 */
export function sourcePartitionsFor(
  bronze: { source?: unknown; topic?: string },
  given?: GoldPipelineOptions['sourcePartitions'],
): GoldPipelineOptions['sourcePartitions'] {
  return given ?? (bronze.source ? undefined : kafkaTopicPartitions(bronze.topic ?? DEFAULT_TOPIC));
}

/**
 * The KPI aggregation over silver rows `source`, per window, as DESIGN.md's glossary defines
 * them. Money is summed as DECIMAL so that a window's GMV does not depend on the order rows
 * are added in (file layout, parallelism): replays and recomputations give identical values.
 */
export function goldKpisSql(source: string, windowMs: number): string {
  const bucket = `time_bucket(INTERVAL (${windowMs}) MILLISECOND, ts, TIMESTAMPTZ '1970-01-01 00:00:00+00')`;
  return `SELECT window_start, window_start + INTERVAL (${windowMs}) MILLISECOND AS window_end,
  count(*)::BIGINT AS total_events,
  count(*) FILTER (WHERE event_type = 'page_view')::BIGINT AS page_views,
  count(*) FILTER (WHERE event_type = 'add_to_cart')::BIGINT AS cart_adds,
  count(*) FILTER (WHERE event_type = 'purchase')::BIGINT AS orders,
  coalesce(sum(price::DECIMAL(18, 6) * quantity) FILTER (WHERE event_type = 'purchase'), 0)::DOUBLE AS gmv,
  count(DISTINCT user_id)::BIGINT AS active_users,
  count(DISTINCT user_id) FILTER (WHERE event_type = 'page_view')::BIGINT AS view_users,
  count(DISTINCT user_id) FILTER (WHERE event_type = 'add_to_cart')::BIGINT AS cart_users,
  count(DISTINCT user_id) FILTER (WHERE event_type = 'purchase')::BIGINT AS purchase_users,
  (count(DISTINCT user_id) FILTER (WHERE event_type = 'purchase') / nullif(count(DISTINCT user_id) FILTER (WHERE event_type = 'page_view'), 0))::DOUBLE AS conversion_rate,
  (sum(price::DECIMAL(18, 6) * quantity) FILTER (WHERE event_type = 'purchase')::DOUBLE / nullif(count(*) FILTER (WHERE event_type = 'purchase'), 0))::DOUBLE AS avg_order_value
FROM (SELECT ${bucket} AS window_start, * FROM (${source}))
GROUP BY window_start`;
}

export function goldPipeline(options: GoldPipelineOptions = {}): PipelineDefinition<DeltaChange> {
  const silver = options.silverTable ?? TABLES.silver;
  const gold = options.goldTable ?? TABLES.gold;
  const windowMs = options.windowMs ?? 60_000;
  const latenessMs = options.latenessMs ?? 15 * 60_000;
  const bucketMs = (ts: number) => Math.floor(ts / windowMs) * windowMs;
  const idleMs = options.idleMs ?? 60_000;
  const now = options.now ?? Date.now;
  // Newest event time per source partition seen in Silver up to the version Gold processed
  // (-1: rows without a partition).
  const maxByPartition = new Map<number, number>();
  // The source's partition count, once known (undefined: count only the partitions seen).
  let expected: { partitions: number | undefined } | undefined;
  // Processing time since when partitions have been missing (set at the first event seen).
  let waitingSince: number | undefined;
  // The watermark given out so far: it never goes back.
  let current: number | undefined;
  const watermarkOf = (): number | undefined => {
    if (maxByPartition.size === 0) return current;
    const partitions = expected?.partitions;
    if (partitions !== undefined) {
      let seen = 0;
      for (const p of maxByPartition.keys()) if (p >= 0) seen++;
      if (seen < partitions) {
        waitingSince ??= now();
        // Held for partitions not seen yet, until they are idle.
        if (now() - waitingSince < idleMs) return current;
      }
    }
    const next = Math.min(...maxByPartition.values()) - latenessMs;
    if (current === undefined || next > current) current = next;
    return current;
  };
  // Running aggregates of the windows still open (ending after the watermark).
  const open = new Map<number, WindowAggregate>();
  const columns = ['ts', 'event_type', 'user_id', 'price', 'quantity', 'source_partition'];

  /** Adds silver rows (column arrays in `columns` order) to the open windows; returns late rows. */
  const accumulate = (
    rows: unknown[][],
    watermark: number | undefined,
    affected: Set<number> | undefined,
  ) => {
    const [ts, type, user, price, quantity, partition] = rows as [
      (bigint | number)[],
      string[],
      string[],
      number[],
      number[],
      (number | null)[],
    ];
    let late = 0;
    for (let i = 0; i < ts.length; i++) {
      const t = Number(ts[i]);
      const p = partition[i] ?? -1;
      if (t > (maxByPartition.get(p) ?? Number.NEGATIVE_INFINITY)) maxByPartition.set(p, t);
      const start = bucketMs(t);
      if (watermark !== undefined && start + windowMs <= watermark) {
        late++;
        continue;
      }
      let w = open.get(start);
      if (!w) {
        w = newWindow();
        open.set(start, w);
      }
      addEvent(w, type[i]!, user[i]!, price[i]!, quantity[i]!);
      affected?.add(start);
    }
    return late;
  };

  return definePipeline<DeltaChange>({
    name: options.name ?? 'gold',
    description: `KPIs per ${windowMs / 1000}s window of ${silver} into ${gold} (lateness ${latenessMs / 60_000} min)`,
    source: async (env) => new DeltaStreamSource(await env.lakehouse.table(silver), silver),
    positionOf: (change) => ({ key: silver, position: change.version }),
    sinks: [{ table: gold, schema: GOLD_KPIS_SCHEMA, properties: MEDALLION_RETENTION_PROPERTIES }],
    trigger: options.trigger ?? { kind: 'continuous', maxBatchRecords: 500_000, maxWaitMs: 250 },
    watermark: { column: 'window_end', delayMs: latenessMs },
    // State = per-partition event-time maxima and the open windows' aggregates, rebuilt from
    // Silver as of the version Gold last committed: exactly what Gold had when it stopped.
    async init(ctx) {
      maxByPartition.clear();
      open.clear();
      waitingSince = undefined;
      current = undefined;
      if (expected === undefined) {
        const partitions = options.sourcePartitions;
        expected = {
          partitions: typeof partitions === 'function' ? await partitions(ctx.env) : partitions,
        };
      }
      const position = ctx.sinkPosition(gold, silver);
      if (position === undefined) return;
      const table = await ctx.env.lakehouse.table(silver);
      const snapshot = await table.snapshot({ version: position });
      if (snapshot.numFiles === 0) return;
      const scan = await table.scanSql(snapshot, { columns });
      const maxima = await readRows(
        ctx.connection,
        `SELECT source_partition, epoch_ms(max(ts)) FROM (${scan}) WHERE ts IS NOT NULL GROUP BY ALL`,
      );
      for (const [partition, max] of maxima as [number | null, bigint][])
        maxByPartition.set(partition ?? -1, Number(max));
      const watermark = watermarkOf();
      const from = watermark === undefined ? undefined : new Date(bucketMs(watermark));
      const recent = from
        ? await table.scanSql(snapshot, { columns, predicate: where.ge('ts', from) })
        : scan;
      const reader = await ctx.connection.runAndReadAll(
        `SELECT epoch_ms(ts), event_type, user_id, price, quantity, source_partition FROM (${recent}) WHERE ts IS NOT NULL`,
      );
      accumulate(reader.getColumns() as unknown[][], watermark, undefined);
    },
    async transform(batch, ctx) {
      const table = await ctx.env.lakehouse.table(silver);
      // Versions this process wrote come from memory, the others from their files (the
      // aggregates do not depend on the order rows are added in).
      const { inMemory, filesSql } = await splitChanges(table, batch.records, columns);
      const parts: unknown[][][] = inMemory.map(({ append }) => silverColumnsFromMemory(append));
      if (filesSql) {
        const reader = await ctx.connection.runAndReadAll(
          `SELECT epoch_ms(ts), event_type, user_id, price, quantity, source_partition FROM (${filesSql}) WHERE ts IS NOT NULL`,
        );
        parts.push(reader.getColumns() as unknown[][]);
      }
      let rowsIn = 0;
      let min = Number.POSITIVE_INFINITY;
      let max = Number.NEGATIVE_INFINITY;
      for (const part of parts) {
        for (const t of (part[0] ?? []) as (bigint | number)[]) {
          const n = Number(t);
          if (n < min) min = n;
          if (n > max) max = n;
        }
        rowsIn += (part[0] ?? []).length;
      }
      if (parts.length === 0) return { writes: [], rowsIn: 0 };
      // Windows already behind the watermark before this batch are final.
      const affected = new Set<number>();
      const watermark = watermarkOf();
      let late = 0;
      for (const part of parts) if (part.length > 0) late += accumulate(part, watermark, affected);
      const nextWatermark = watermarkOf();
      const base = {
        rowsIn,
        counters: { lateBeyondWatermark: late },
        ...(rowsIn > 0 ? { eventTime: { min, max } } : {}),
        ...(nextWatermark === undefined ? {} : { watermark: nextWatermark }),
      };
      const windows = [...affected].sort((a, b) => a - b);
      const out = kpiColumns(windows, open, windowMs);
      // Windows now behind the watermark will not change again: forget them.
      for (const start of open.keys())
        if (nextWatermark !== undefined && start + windowMs <= nextWatermark) open.delete(start);
      if (windows.length === 0) return { ...base, writes: [] };
      const replaceWhere = where.and(
        where.ge('window_start', new Date(windows[0]!)),
        where.le('window_start', new Date(windows[windows.length - 1]!)),
        where.in(
          'window_start',
          windows.map((w) => new Date(w)),
        ),
      );
      return {
        ...base,
        writes: [
          {
            table: gold,
            source: { columns: out, rowCount: windows.length },
            mode: 'overwrite',
            replaceWhere,
          },
        ],
      };
    },
  });
}

/**
 * Gold's columns (ts as epoch ms, event_type, user_id, price, quantity, source_partition) of a
 * Silver append remembered in memory: the writer's arrays as they are, with ts converted, and
 * rows without a ts left out (as the SQL read does; Silver always has one).
 */
function silverColumnsFromMemory(append: RecentAppend): unknown[][] {
  const c = append.columns;
  const ts = (c['ts'] ?? []) as readonly (Date | number | null | undefined)[];
  const rest = ['event_type', 'user_id', 'price', 'quantity', 'source_partition'].map(
    (name) => (c[name] ?? new Array(append.rowCount).fill(null)) as readonly unknown[],
  );
  const millis: number[] = new Array(append.rowCount);
  let complete = true;
  for (let i = 0; i < append.rowCount; i++) {
    const t = ts[i];
    if (t === null || t === undefined) complete = false;
    else millis[i] = typeof t === 'number' ? t : t.getTime();
  }
  if (complete) return [millis, ...(rest as unknown[][])];
  const keep: number[] = [];
  for (let i = 0; i < append.rowCount; i++) if (millis[i] !== undefined) keep.push(i);
  return [keep.map((i) => millis[i]), ...rest.map((column) => keep.map((i) => column[i] ?? null))];
}

/** Running KPIs of one window: counts, money in micro-units (exact), and the distinct users. */
interface WindowAggregate {
  total: number;
  pageViews: number;
  cartAdds: number;
  orders: number;
  gmvMicros: number;
  users: Set<string>;
  viewUsers: Set<string>;
  cartUsers: Set<string>;
  purchaseUsers: Set<string>;
}

function newWindow(): WindowAggregate {
  return {
    total: 0,
    pageViews: 0,
    cartAdds: 0,
    orders: 0,
    gmvMicros: 0,
    users: new Set(),
    viewUsers: new Set(),
    cartUsers: new Set(),
    purchaseUsers: new Set(),
  };
}

function addEvent(w: WindowAggregate, type: string, user: string, price: number, quantity: number): void {
  w.total++;
  w.users.add(user);
  if (type === 'page_view') {
    w.pageViews++;
    w.viewUsers.add(user);
  } else if (type === 'add_to_cart') {
    w.cartAdds++;
    w.cartUsers.add(user);
  } else if (type === 'purchase') {
    w.orders++;
    w.purchaseUsers.add(user);
    // As DuckDB's price::DECIMAL(18, 6) * quantity: integer micro-units, summed exactly.
    w.gmvMicros += Math.round(price * 1e6) * quantity;
  }
}

/** The gold_kpis rows of `windows`, column by column. */
function kpiColumns(
  windows: readonly number[],
  open: ReadonlyMap<number, WindowAggregate>,
  windowMs: number,
) {
  const pick = <T>(f: (w: WindowAggregate) => T) => windows.map((start) => f(open.get(start)!));
  return {
    window_start: windows.map((w) => new Date(w)),
    window_end: windows.map((w) => new Date(w + windowMs)),
    total_events: pick((w) => w.total),
    page_views: pick((w) => w.pageViews),
    cart_adds: pick((w) => w.cartAdds),
    orders: pick((w) => w.orders),
    gmv: pick((w) => w.gmvMicros / 1e6),
    active_users: pick((w) => w.users.size),
    view_users: pick((w) => w.viewUsers.size),
    cart_users: pick((w) => w.cartUsers.size),
    purchase_users: pick((w) => w.purchaseUsers.size),
    conversion_rate: pick((w) => (w.viewUsers.size === 0 ? null : w.purchaseUsers.size / w.viewUsers.size)),
    avg_order_value: pick((w) => (w.orders === 0 ? null : w.gmvMicros / 1e6 / w.orders)),
  };
}
