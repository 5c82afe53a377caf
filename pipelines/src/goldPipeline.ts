// Gold: one row of KPIs per 1-minute tumbling window. Windows still inside the 15-minute
// lateness watermark are recomputed from Silver (exact distinct counts) and replaced in one
// commit; older windows are final, and events arriving for them are counted as late.
//
// The watermark is the smallest, over source partitions, of the newest event time seen in that
// partition, minus the lateness (as Flink does): a partition that falls behind — a runner died,
// a backlog is replayed unevenly — holds the watermark back instead of having its events
// declared late.
import {
  type DeltaChange,
  DeltaStreamSource,
  definePipeline,
  type PipelineDefinition,
  type Trigger,
  where,
} from '@rt-lakehouse/kernel-helpers';
import { changedRowsSql, readRows } from './readChangedRows.js';
import { GOLD_KPIS_SCHEMA, TABLES } from './tableSchemas.js';

export interface GoldPipelineOptions {
  silverTable?: string;
  goldTable?: string;
  /** Window length (default 1 minute). */
  windowMs?: number;
  /** Lateness after which a window is final (default 15 minutes). */
  latenessMs?: number;
  trigger?: Trigger;
  name?: string;
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
  // Newest event time per source partition seen in Silver up to the version Gold processed.
  const maxByPartition = new Map<number, number>();
  const watermarkOf = (): number | undefined => {
    if (maxByPartition.size === 0) return undefined;
    return Math.min(...maxByPartition.values()) - latenessMs;
  };
  return definePipeline<DeltaChange>({
    name: options.name ?? 'gold',
    description: `KPIs per ${windowMs / 1000}s window of ${silver} into ${gold} (lateness ${latenessMs / 60_000} min)`,
    source: async (env) => new DeltaStreamSource(await env.lakehouse.table(silver), silver),
    positionOf: (change) => ({ key: silver, position: change.version }),
    sinks: [{ table: gold, schema: GOLD_KPIS_SCHEMA }],
    trigger: options.trigger ?? { kind: 'continuous', maxBatchRecords: 500_000, maxWaitMs: 250 },
    watermark: { column: 'window_end', delayMs: latenessMs },
    async init(ctx) {
      maxByPartition.clear();
      const position = ctx.sinkPosition(gold, silver);
      if (position === undefined) return;
      const table = await ctx.env.lakehouse.table(silver);
      const snapshot = await table.snapshot({ version: position });
      if (snapshot.numFiles === 0) return;
      const scan = await table.scanSql(snapshot, { columns: ['ts', 'source_partition'] });
      const rows = await readRows(
        ctx.connection,
        `SELECT source_partition, epoch_ms(max(ts)) FROM (${scan}) WHERE ts IS NOT NULL GROUP BY ALL`,
      );
      for (const [partition, max] of rows as [number | null, bigint][])
        maxByPartition.set(partition ?? -1, Number(max));
    },
    async transform(batch, ctx) {
      const table = await ctx.env.lakehouse.table(silver);
      const changed = await changedRowsSql(table, batch.records, ['ts', 'source_partition']);
      if (!changed) return { writes: [], rowsIn: 0 };
      const rows = await readRows(
        ctx.connection,
        `SELECT epoch_ms(ts) AS t, source_partition, count(*) AS n FROM (${changed}) WHERE ts IS NOT NULL GROUP BY ALL ORDER BY t`,
      );
      const watermark = watermarkOf();
      const affected = new Set<number>();
      let rowsIn = 0;
      let late = 0;
      let min = Number.POSITIVE_INFINITY;
      let max = Number.NEGATIVE_INFINITY;
      for (const [t, partition, n] of rows as [bigint, number | null, bigint][]) {
        const ts = Number(t);
        const count = Number(n);
        rowsIn += count;
        if (ts < min) min = ts;
        if (ts > max) max = ts;
        const p = partition ?? -1;
        if (ts > (maxByPartition.get(p) ?? Number.NEGATIVE_INFINITY)) maxByPartition.set(p, ts);
        const start = bucketMs(ts);
        if (watermark !== undefined && start + windowMs <= watermark) late += count;
        else affected.add(start);
      }
      const counters = { lateBeyondWatermark: late };
      const nextWatermark = watermarkOf();
      const base = {
        rowsIn,
        counters,
        ...(rowsIn > 0 ? { eventTime: { min, max } } : {}),
        ...(nextWatermark === undefined ? {} : { watermark: nextWatermark }),
      };
      if (affected.size === 0) return { ...base, writes: [] };
      const windows = [...affected].sort((a, b) => a - b);
      const from = new Date(windows[0]!);
      const to = new Date(windows[windows.length - 1]! + windowMs);
      // Recompute from Silver as of the batch's last version: deterministic on replay.
      const last = batch.records[batch.records.length - 1]!.version;
      const snapshot = await table.snapshot({ version: last });
      const scan = await table.scanSql(snapshot, {
        predicate: where.and(where.ge('ts', from), where.lt('ts', to)),
      });
      const list = windows.map((w) => `TIMESTAMPTZ '${new Date(w).toISOString()}'`).join(', ');
      const sql = `SELECT * FROM (${goldKpisSql(scan, windowMs)}) WHERE window_start IN (${list})`;
      const replaceWhere = where.and(
        where.ge('window_start', from),
        where.lt('window_start', to),
        where.in(
          'window_start',
          windows.map((w) => new Date(w)),
        ),
      );
      return { ...base, writes: [{ table: gold, source: { sql }, mode: 'overwrite', replaceWhere }] };
    },
  });
}
