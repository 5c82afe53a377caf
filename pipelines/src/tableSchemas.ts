// The schemas of the medallion tables, exactly as DESIGN.md defines them.
import { field, struct } from '@rt-lakehouse/kernel-helpers';

export const BRONZE_EVENTS_SCHEMA = struct(
  field('key', 'string'),
  field('value', 'string'),
  field('topic', 'string'),
  field('kafka_partition', 'integer'),
  field('kafka_offset', 'long'),
  field('kafka_ts', 'timestamp'),
  field('ingested_at', 'timestamp'),
);

/** The event fields, in DESIGN.md order. */
export const EVENT_FIELDS = [
  field('event_id', 'string'),
  field('user_id', 'string'),
  field('session_id', 'string'),
  field('product_id', 'string'),
  field('category_id', 'string'),
  field('event_type', 'string'),
  field('price', 'double'),
  field('quantity', 'integer'),
  field('discount', 'double'),
  field('currency', 'string'),
  field('ts', 'timestamp'),
  field('ua', 'string'),
  field('country', 'string'),
  field('device_type', 'string'),
  field('referrer', 'string'),
];

export const SILVER_EVENTS_SCHEMA = struct(
  ...EVENT_FIELDS,
  field('source_partition', 'integer'),
  field('source_offset', 'long'),
  field('ingested_at', 'timestamp'),
);

/**
 * Silver's file layout (docs/streaming.md): partitioned by event type, so that questions about
 * one type (purchases are under 1% of events) read only its files; each file sorted by event
 * time in row groups of 16,384 rows, so that a recent time range reads a few row groups of
 * each. Compaction joins the large row groups of page views without decoding them.
 */
export const SILVER_EVENTS_PARTITION_BY: readonly string[] = ['event_type'];

/**
 * How far back the medallion tables keep old versions: a day of log (time travel) and of removed
 * files (VACUUM), both cleaned up by the compactor (docs/streaming.md, Long-running tables). The
 * pipelines commit several times a second whatever the event rate and compaction removes
 * hundreds of files a minute: Delta's defaults (30 days of log, 7 of files) would keep tens of
 * millions of small files on a laptop.
 */
export const MEDALLION_RETENTION_PROPERTIES: Readonly<Record<string, string>> = {
  'delta.logRetentionDuration': 'interval 1 day',
  'delta.deletedFileRetentionDuration': 'interval 1 day',
};

export const SILVER_EVENTS_PROPERTIES: Readonly<Record<string, string>> = {
  ...MEDALLION_RETENTION_PROPERTIES,
  'rtlakehouse.sortBy': 'ts',
  'rtlakehouse.parquet.rowGroupRows': '16384',
};

export const QUARANTINE_EVENTS_SCHEMA = struct(
  field('raw', 'string'),
  field('reason', 'string'),
  field('source_partition', 'integer'),
  field('source_offset', 'long'),
  field('quarantined_at', 'timestamp'),
);

export const GOLD_KPIS_SCHEMA = struct(
  field('window_start', 'timestamp'),
  field('window_end', 'timestamp'),
  field('total_events', 'long'),
  field('page_views', 'long'),
  field('cart_adds', 'long'),
  field('orders', 'long'),
  field('gmv', 'double'),
  field('active_users', 'long'),
  field('view_users', 'long'),
  field('cart_users', 'long'),
  field('purchase_users', 'long'),
  field('conversion_rate', 'double'),
  field('avg_order_value', 'double'),
);

/** Default table names. */
export const TABLES = {
  bronze: 'bronze_events',
  silver: 'silver_events',
  quarantine: 'quarantine_events',
  gold: 'gold_kpis',
} as const;
