// The glossary as data: what each metric means in SQL over the events table, which columns it
// needs, and which gold_kpis columns answer it per minute. DESIGN.md's definitions, exactly.
import type { MetricId, PlanEventType } from './Plan.js';

/** One side of a ratio: an aggregate, optionally over one event type only. */
export interface RatioPart {
  aggregate: string;
  scope: PlanEventType | null;
}

/** How a value is shown: money, a count, a 0–1 rate, a plain number or seconds. */
export type ValueFormat = 'currency' | 'count' | 'rate' | 'number' | 'seconds';

/** Which kind of table a metric is computed over. */
export type MetricTable = 'events' | 'quarantine' | 'bronze';

export interface MetricDef {
  /** Words for explanations ("average order value"). */
  label: string;
  /** The SQL alias of its column. */
  alias: string;
  /** The definition, for explanations ("sum of price × quantity over purchases"). */
  meaning: string;
  table: MetricTable;
  /** The event type the metric is defined over (its WHERE / FILTER), or null for all events. */
  scope: PlanEventType | null;
  /** The aggregate expression; absent for ratios. */
  aggregate?: string;
  /** `[1 - ] numerator / denominator`, each part with its own FILTER. */
  ratio?: { numerator: RatioPart; denominator: RatioPart; oneMinus: boolean; positiveDenominator: boolean };
  /** Columns of the table the SQL reads. */
  columns: readonly string[];
  /** Lower is better ("worst" means highest). */
  higherIsWorse?: boolean;
  /** The gold_kpis columns that give it per 1-minute window (the first is the metric itself). */
  gold: readonly string[] | null;
  format: ValueFormat;
}

export const METRICS: Readonly<Record<MetricId, MetricDef>> = {
  revenue: {
    label: 'revenue',
    alias: 'revenue',
    meaning: 'sum of price × quantity over purchases',
    table: 'events',
    scope: 'purchase',
    aggregate: 'sum(price * quantity)',
    columns: ['price', 'quantity', 'event_type'],
    gold: ['gmv'],
    format: 'currency',
  },
  orders: {
    label: 'orders',
    alias: 'orders',
    meaning: 'count of purchase events',
    table: 'events',
    scope: 'purchase',
    aggregate: 'count(*)',
    columns: ['event_type'],
    gold: ['orders'],
    format: 'count',
  },
  avg_order_value: {
    label: 'average order value',
    alias: 'avg_order_value',
    meaning: 'average of price × quantity over purchases',
    table: 'events',
    scope: 'purchase',
    aggregate: 'avg(price * quantity)',
    columns: ['price', 'quantity', 'event_type'],
    gold: ['avg_order_value', 'gmv', 'orders'],
    format: 'currency',
  },
  units: {
    label: 'units sold',
    alias: 'units',
    meaning: 'sum of quantity over purchases',
    table: 'events',
    scope: 'purchase',
    aggregate: 'sum(quantity)',
    columns: ['quantity', 'event_type'],
    gold: null,
    format: 'count',
  },
  basket_size: {
    label: 'average basket size',
    alias: 'avg_basket_size',
    meaning: 'average quantity per purchase',
    table: 'events',
    scope: 'purchase',
    aggregate: 'avg(quantity)',
    columns: ['quantity', 'event_type'],
    gold: null,
    format: 'number',
  },
  page_views: {
    label: 'page views',
    alias: 'views',
    meaning: 'count of page_view events',
    table: 'events',
    scope: 'page_view',
    aggregate: 'count(*)',
    columns: ['event_type'],
    gold: ['page_views'],
    format: 'count',
  },
  cart_adds: {
    label: 'add-to-cart events',
    alias: 'cart_adds',
    meaning: 'count of add_to_cart events',
    table: 'events',
    scope: 'add_to_cart',
    aggregate: 'count(*)',
    columns: ['event_type'],
    gold: ['cart_adds'],
    format: 'count',
  },
  events: {
    label: 'events',
    alias: 'events',
    meaning: 'count of all events',
    table: 'events',
    scope: null,
    aggregate: 'count(*)',
    columns: [],
    gold: ['total_events'],
    format: 'count',
  },
  active_users: {
    label: 'active users',
    alias: 'users',
    meaning: 'distinct user_id',
    table: 'events',
    scope: null,
    aggregate: 'count(DISTINCT user_id)',
    columns: ['user_id'],
    gold: ['active_users'],
    format: 'count',
  },
  buyers: {
    label: 'buyers',
    alias: 'buyers',
    meaning: 'distinct purchasing users',
    table: 'events',
    scope: 'purchase',
    aggregate: 'count(DISTINCT user_id)',
    columns: ['user_id', 'event_type'],
    gold: ['purchase_users'],
    format: 'count',
  },
  viewers: {
    label: 'viewing users',
    alias: 'viewers',
    meaning: 'distinct users with a page view',
    table: 'events',
    scope: 'page_view',
    aggregate: 'count(DISTINCT user_id)',
    columns: ['user_id', 'event_type'],
    gold: ['view_users'],
    format: 'count',
  },
  cart_users: {
    label: 'users adding to cart',
    alias: 'cart_users',
    meaning: 'distinct users with an add_to_cart event',
    table: 'events',
    scope: 'add_to_cart',
    aggregate: 'count(DISTINCT user_id)',
    columns: ['user_id', 'event_type'],
    gold: ['cart_users'],
    format: 'count',
  },
  sessions: {
    label: 'sessions',
    alias: 'sessions',
    meaning: 'distinct session_id',
    table: 'events',
    scope: null,
    aggregate: 'count(DISTINCT session_id)',
    columns: ['session_id'],
    gold: null,
    format: 'count',
  },
  conversion_rate: {
    label: 'conversion rate',
    alias: 'conversion_rate',
    meaning: 'distinct purchasing users / distinct viewing users',
    table: 'events',
    scope: null,
    ratio: {
      numerator: { aggregate: 'count(DISTINCT user_id)', scope: 'purchase' },
      denominator: { aggregate: 'count(DISTINCT user_id)', scope: 'page_view' },
      oneMinus: false,
      positiveDenominator: false,
    },
    columns: ['user_id', 'event_type'],
    gold: ['conversion_rate', 'purchase_users', 'view_users'],
    format: 'rate',
  },
  abandonment_rate: {
    label: 'cart abandonment rate',
    alias: 'abandonment_rate',
    meaning: '1 - purchases / add_to_cart events, where there were add_to_cart events',
    table: 'events',
    scope: null,
    ratio: {
      numerator: { aggregate: 'count(*)', scope: 'purchase' },
      denominator: { aggregate: 'count(*)', scope: 'add_to_cart' },
      oneMinus: true,
      positiveDenominator: true,
    },
    columns: ['event_type'],
    gold: null,
    format: 'rate',
    higherIsWorse: true,
  },
  latency: {
    label: 'average processing latency',
    alias: 'avg_latency_seconds',
    meaning: 'average seconds from event time to ingestion',
    table: 'events',
    scope: null,
    aggregate: "avg(date_diff('millisecond', ts, ingested_at)) / 1000.0",
    columns: ['ts', 'ingested_at'],
    gold: null,
    format: 'seconds',
    higherIsWorse: true,
  },
  quarantined: {
    label: 'quarantined records',
    alias: 'issues',
    meaning: 'count of records quarantined by validation',
    table: 'quarantine',
    scope: null,
    aggregate: 'count(*)',
    columns: [],
    gold: null,
    format: 'count',
  },
  records: {
    label: 'raw records',
    alias: 'records',
    meaning: 'count of raw Kafka records in Bronze',
    table: 'bronze',
    scope: null,
    aggregate: 'count(*)',
    columns: [],
    gold: null,
    format: 'count',
  },
};
