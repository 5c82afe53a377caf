// Silver: Bronze rows parsed and validated with the event schema, coerced and normalised, and
// deduplicated on event_id within a 10-minute event-time watermark. Every record Bronze holds
// ends up in exactly one of silver_events or quarantine_events (with its reason).
import {
  type DeltaChange,
  DeltaStreamSource,
  definePipeline,
  type EcommerceEvent,
  type PipelineDefinition,
  parseRawEvent,
  type Trigger,
  utf8Text,
} from '@rt-lakehouse/kernel-helpers';
import { DedupState } from './DedupState.js';
import { orderedIndexes, readRows, splitChanges } from './readChangedRows.js';
import {
  MEDALLION_RETENTION_PROPERTIES,
  QUARANTINE_EVENTS_SCHEMA,
  SILVER_EVENTS_PARTITION_BY,
  SILVER_EVENTS_PROPERTIES,
  SILVER_EVENTS_SCHEMA,
  TABLES,
} from './tableSchemas.js';

export interface SilverPipelineOptions {
  bronzeTable?: string;
  silverTable?: string;
  quarantineTable?: string;
  /** Event-time window in which a repeated event_id is a duplicate (default 10 minutes). */
  dedupWatermarkMs?: number;
  trigger?: Trigger;
  name?: string;
}

export function silverPipeline(options: SilverPipelineOptions = {}): PipelineDefinition<DeltaChange> {
  const bronze = options.bronzeTable ?? TABLES.bronze;
  const silver = options.silverTable ?? TABLES.silver;
  const quarantine = options.quarantineTable ?? TABLES.quarantine;
  const dedup = new DedupState(options.dedupWatermarkMs ?? 10 * 60_000);
  return definePipeline<DeltaChange>({
    name: options.name ?? 'silver',
    description: `Parse, validate, normalise and deduplicate ${bronze} into ${silver}; rejects into ${quarantine}`,
    source: async (env) => new DeltaStreamSource(await env.lakehouse.table(bronze), bronze),
    positionOf: (change) => ({ key: bronze, position: change.version }),
    // Quarantine first: Silver is the dedup state, so it must never be ahead of its decisions.
    sinks: [
      { table: quarantine, schema: QUARANTINE_EVENTS_SCHEMA, properties: MEDALLION_RETENTION_PROPERTIES },
      {
        table: silver,
        schema: SILVER_EVENTS_SCHEMA,
        partitionBy: [...SILVER_EVENTS_PARTITION_BY],
        properties: SILVER_EVENTS_PROPERTIES,
      },
    ],
    trigger: options.trigger ?? { kind: 'continuous', maxBatchRecords: 100_000, maxWaitMs: 250 },
    watermark: { column: 'ts', delayMs: dedup.windowMs },
    async init(ctx) {
      dedup.clear();
      const table = await ctx.env.lakehouse.table(silver);
      const snapshot = await table.latest();
      if (snapshot.numFiles === 0) return;
      const scan = await table.scanSql(snapshot, { columns: ['event_id', 'ts', 'source_partition'] });
      const rows = await readRows(
        ctx.connection,
        `WITH s AS (${scan}),
              m AS (SELECT source_partition, max(ts) AS mx FROM s GROUP BY ALL)
         SELECT event_id, epoch_ms(ts), source_partition FROM s
         WHERE ts >= (SELECT min(mx) FROM m) - INTERVAL (${dedup.windowMs}) MILLISECOND
         ORDER BY ts`,
      );
      for (const [id, ts, partition] of rows as [string, bigint, number | null][])
        dedup.add(id, Number(ts), partition ?? -1);
      dedup.evict();
    },
    async transform(batch, ctx) {
      const table = await ctx.env.lakehouse.table(bronze);
      // Versions this process wrote come from memory, the others from their files; either
      // way in version order, then Kafka partition and offset.
      const { inMemory, filesSql } = await splitChanges(table, batch.records, [
        'value',
        'kafka_partition',
        'kafka_offset',
      ]);
      const fileRows = filesSql
        ? ((await readRows(
            ctx.connection,
            `${filesSql} ORDER BY _version, kafka_partition, kafka_offset`,
          )) as [number, string | null, number, bigint][])
        : [];
      const now = Date.now();
      const valid = new SilverColumns();
      const rejected = new QuarantineColumns();
      let rowsIn = 0;
      let duplicates = 0;
      let lateBeyondDedup = 0;
      let min = Number.POSITIVE_INFINITY;
      let max = Number.NEGATIVE_INFINITY;
      const handle = (v: number, raw: string | Uint8Array | null, partition: number, offset: bigint) => {
        const value = raw === null || typeof raw === 'string' ? raw : utf8Text(raw);
        rowsIn++;
        const toQuarantine = !ctx.isWritten(quarantine, bronze, v);
        const toSilver = !ctx.isWritten(silver, bronze, v);
        const parsed = parseRawEvent(value);
        if (!parsed.success) {
          if (toQuarantine) rejected.push(value, `${parsed.code}: ${parsed.reason}`, partition, offset, now);
          return;
        }
        const event: EcommerceEvent = parsed.event;
        const ts = event.ts.getTime();
        if (dedup.has(event.event_id)) {
          duplicates++;
          if (toQuarantine) {
            rejected.push(
              value,
              `duplicate: event_id already seen within the ${dedup.windowMs / 60_000}-minute watermark`,
              partition,
              offset,
              now,
            );
          }
          return;
        }
        if (ts < dedup.watermark) lateBeyondDedup++;
        dedup.add(event.event_id, ts, partition);
        if (ts < min) min = ts;
        if (ts > max) max = ts;
        if (toSilver) valid.push(event, partition, offset, now);
      };
      let next = 0;
      let m = 0;
      while (next < fileRows.length || m < inMemory.length) {
        const fileVersion = next < fileRows.length ? Number(fileRows[next]![0]) : Number.POSITIVE_INFINITY;
        const change = inMemory[m];
        if (change && change.version < fileVersion) {
          const { columns } = change.append;
          // Bronze's own appends hold the Kafka bytes; other writers' may hold text.
          const value = columns['value'] as readonly (string | Uint8Array | null)[];
          const partition = columns['kafka_partition'] as readonly number[];
          const offset = columns['kafka_offset'] as readonly bigint[];
          for (const i of orderedIndexes(change.append, ['kafka_partition', 'kafka_offset']))
            handle(change.version, value[i] ?? null, partition[i]!, offset[i]!);
          m++;
          continue;
        }
        for (; next < fileRows.length && Number(fileRows[next]![0]) === fileVersion; next++) {
          const [, value, partition, offset] = fileRows[next]!;
          handle(fileVersion, value, partition, offset);
        }
      }
      return {
        writes: [
          { table: quarantine, source: { columns: rejected.columns, rowCount: rejected.length } },
          { table: silver, source: { columns: valid.columns, rowCount: valid.length } },
        ],
        rowsIn,
        ...(valid.length > 0 ? { eventTime: { min, max } } : {}),
        counters: { quarantined: rejected.length, duplicates, lateBeyondDedupWatermark: lateBeyondDedup },
        ...(Number.isFinite(dedup.watermark) ? { watermark: dedup.watermark } : {}),
      };
    },
  });
}

/** Silver rows held column by column, in the order of SILVER_EVENTS_SCHEMA. */
class SilverColumns {
  readonly columns: Record<string, unknown[]> = Object.fromEntries(
    SILVER_EVENTS_SCHEMA.fields.map((f) => [f.name, []]),
  );
  length = 0;

  push(event: EcommerceEvent, partition: number, offset: bigint, ingestedAt: number): void {
    const c = this.columns;
    c['event_id']!.push(event.event_id);
    c['user_id']!.push(event.user_id);
    c['session_id']!.push(event.session_id);
    c['product_id']!.push(event.product_id);
    c['category_id']!.push(event.category_id);
    c['event_type']!.push(event.event_type);
    c['price']!.push(event.price);
    c['quantity']!.push(event.quantity);
    c['discount']!.push(event.discount);
    c['currency']!.push(event.currency);
    c['ts']!.push(event.ts.getTime());
    c['ua']!.push(event.ua);
    c['country']!.push(event.country);
    c['device_type']!.push(event.device_type);
    c['referrer']!.push(event.referrer);
    c['source_partition']!.push(partition);
    c['source_offset']!.push(offset);
    c['ingested_at']!.push(ingestedAt);
    this.length++;
  }
}

/** Quarantine rows held column by column. */
class QuarantineColumns {
  readonly columns = {
    raw: [] as (string | null)[],
    reason: [] as string[],
    source_partition: [] as number[],
    source_offset: [] as bigint[],
    quarantined_at: [] as number[],
  };
  length = 0;

  push(raw: string | null, reason: string, partition: number, offset: bigint, at: number): void {
    this.columns.raw.push(raw);
    this.columns.reason.push(reason);
    this.columns.source_partition.push(partition);
    this.columns.source_offset.push(offset);
    this.columns.quarantined_at.push(at);
    this.length++;
  }
}
