// The planner's intermediate representation: what a question asks for (measures, dimensions,
// filters, a time range, order and limit over one lakehouse table), as plain JSON-safe data.
// Follow-up questions edit the previous turn's Plan; renderSql turns a Plan into SQL.

/** The commerce event types, in funnel order. */
export type PlanEventType = 'page_view' | 'add_to_cart' | 'purchase';

/** Buckets of a time series (`date_trunc` units). */
export type TimeGrain = 'minute' | 'hour' | 'day' | 'week' | 'month';

/** Units of a rolling window ("last 3 days"). */
export type TimeUnit = 'minute' | 'hour' | 'day' | 'week' | 'month';

/**
 * The business metrics of DESIGN.md's glossary and a few more, each with one fixed meaning
 * (see METRICS): e.g. `revenue` = sum(price * quantity) over purchases.
 */
export type MetricId =
  | 'revenue'
  | 'orders'
  | 'avg_order_value'
  | 'units'
  | 'basket_size'
  | 'page_views'
  | 'cart_adds'
  | 'events'
  | 'active_users'
  | 'buyers'
  | 'viewers'
  | 'cart_users'
  | 'sessions'
  | 'conversion_rate'
  | 'abandonment_rate'
  | 'latency'
  | 'quarantined'
  | 'records';

export type AggregateFn = 'avg' | 'sum' | 'min' | 'max' | 'median';

/** A numeric column, or `order_value` (price × quantity of a purchase). */
export type NumericAttribute = string;

/** What a `per` measure divides by: all users, buying users (customers) or sessions. */
export type PerEntity = 'user' | 'customer' | 'session';

export type Measure =
  /** A glossary metric. */
  | { kind: 'metric'; metric: MetricId }
  /** An aggregate of a numeric column ("average price", "total discount"). */
  | { kind: 'aggregate'; fn: AggregateFn; attribute: NumericAttribute }
  /** count(DISTINCT column) ("how many distinct products"). */
  | { kind: 'distinct'; column: string }
  /** A metric divided by distinct users, customers or sessions ("revenue per user"). */
  | { kind: 'per'; metric: MetricId; per: PerEntity }
  /** Pearson correlation of two numeric attributes. */
  | { kind: 'correlation'; x: NumericAttribute; y: NumericAttribute };

export type Dimension =
  | { kind: 'column'; column: string }
  /** `date_trunc(grain, <time column>)`. */
  | { kind: 'time'; grain: TimeGrain }
  /** hour(<time column>), 0–23. */
  | { kind: 'hour_of_day' }
  /** ISO day of week (1 = Monday) and its name. */
  | { kind: 'day_of_week' }
  /** The rejection code of a quarantined record: the part of `reason` before the first ':'. */
  | { kind: 'reason_code' };

export type Filter =
  /** column IN (values), or NOT IN when `negated`. */
  | { kind: 'values'; column: string; values: string[]; negated: boolean }
  /** A numeric comparison of each row's column or `order_value`. */
  | { kind: 'compare'; attribute: NumericAttribute; op: CompareOp; value: number }
  /** A comparison of a measure per group (HAVING), `measure` indexing `measures`. */
  | { kind: 'having'; measure: number; op: CompareOp; value: number };

export type CompareOp = '>' | '>=' | '<' | '<=' | '=';

/** Dates are `YYYY-MM-DD` (UTC days). */
export type TimeRange =
  /** Since UTC midnight. */
  | { kind: 'today' }
  /** The previous UTC day. */
  | { kind: 'yesterday' }
  /** The single UTC day `days` days before today. */
  | { kind: 'days_ago'; days: number }
  /** A rolling window ending now. */
  | { kind: 'last'; amount: number; unit: TimeUnit }
  /** Since the start of the current hour, ISO week, month or year. */
  | { kind: 'this'; unit: 'hour' | 'week' | 'month' | 'year' }
  /** One calendar day. */
  | { kind: 'on'; date: string }
  /** From a day on. */
  | { kind: 'since'; date: string }
  /** From `from` to `to`, both days included. */
  | { kind: 'between'; from: string; to: string };

export type Order =
  /** By a measure (index into `measures`); dimensions follow ascending as tie-breakers. */
  | { by: 'measure'; measure: number; direction: 'asc' | 'desc' }
  /** By the dimensions, ascending (time series). */
  | { by: 'dimensions' };

/** A question's meaning over one table. JSON-serialisable; render with renderSql. */
export interface Plan {
  /** The lakehouse table read. */
  source: string;
  /** The table's event-time column, used by time ranges and time dimensions. */
  timeColumn: string | null;
  measures: Measure[];
  dimensions: Dimension[];
  filters: Filter[];
  timeRange: TimeRange | null;
  order: Order | null;
  limit: number | null;
}
