// DESIGN.md's business glossary as data: the meanings the assistant must use, each with the SQL
// it stands for. The planner has its own typed copy (planner/metrics.ts); this one is text for
// retrieval and for the LLM prompt.

/** One glossary entry: a term, the words users say for it, its meaning and its SQL. */
export interface GlossaryEntry {
  id: string;
  term: string;
  aliases: readonly string[];
  definition: string;
  /** The SQL expression or condition it stands for, over the table named in `table`. */
  sql: string;
  table: string;
}

export const GLOSSARY: readonly GlossaryEntry[] = [
  {
    id: 'revenue',
    term: 'revenue (GMV)',
    aliases: ['GMV', 'sales', 'gross merchandise value', 'income'],
    definition: 'Revenue = GMV = sum(price * quantity) over purchase events (price is the unit price).',
    sql: "sum(price * quantity) FILTER (WHERE event_type = 'purchase')",
    table: 'silver_events',
  },
  {
    id: 'orders',
    term: 'orders',
    aliases: ['purchases', 'transactions', 'checkouts'],
    definition: "Orders = the number of purchase events (count(*) where event_type = 'purchase').",
    sql: "count(*) FILTER (WHERE event_type = 'purchase')",
    table: 'silver_events',
  },
  {
    id: 'avg_order_value',
    term: 'average order value (AOV)',
    aliases: ['AOV', 'average order size', 'mean order value', 'basket value'],
    definition:
      'Average order value = avg(price * quantity) over purchase events; in gold_kpis it is gmv / orders.',
    sql: "avg(price * quantity) FILTER (WHERE event_type = 'purchase')",
    table: 'silver_events',
  },
  {
    id: 'conversion_rate',
    term: 'conversion rate',
    aliases: ['CVR', 'conversion', 'purchase conversion'],
    definition:
      'Conversion rate = distinct purchasing users / distinct viewing (page_view) users in a period; gold_kpis has it per minute.',
    sql: "count(DISTINCT user_id) FILTER (WHERE event_type = 'purchase') / count(DISTINCT user_id) FILTER (WHERE event_type = 'page_view')",
    table: 'silver_events',
  },
  {
    id: 'abandonment_rate',
    term: 'cart abandonment rate',
    aliases: ['abandonment', 'abandoned carts', 'cart drop-off'],
    definition: 'Cart abandonment rate (per product) = 1 - purchases / add_to_cart events.',
    sql: "1 - count(*) FILTER (WHERE event_type = 'purchase') / count(*) FILTER (WHERE event_type = 'add_to_cart')",
    table: 'silver_events',
  },
  {
    id: 'active_users',
    term: 'active users',
    aliases: ['users', 'unique users', 'visitors', 'people', 'DAU (per day)'],
    definition: 'Active users = count(DISTINCT user_id); daily active users (DAU) = that per UTC day.',
    sql: 'count(DISTINCT user_id)',
    table: 'silver_events',
  },
  {
    id: 'sessions',
    term: 'sessions',
    aliases: ['visits'],
    definition: 'Sessions = count(DISTINCT session_id).',
    sql: 'count(DISTINCT session_id)',
    table: 'silver_events',
  },
  {
    id: 'basket_size',
    term: 'basket size',
    aliases: ['units per order', 'quantity per purchase', 'items per order'],
    definition: 'Basket size = quantity of a purchase; average basket size = avg(quantity) over purchases.',
    sql: "avg(quantity) FILTER (WHERE event_type = 'purchase')",
    table: 'silver_events',
  },
  {
    id: 'units',
    term: 'units sold',
    aliases: ['bestselling', 'items sold', 'quantity sold'],
    definition: 'Units sold = sum(quantity) over purchase events; "bestselling" ranks by units sold.',
    sql: "sum(quantity) FILTER (WHERE event_type = 'purchase')",
    table: 'silver_events',
  },
  {
    id: 'event_types',
    term: 'event types',
    aliases: ['page views', 'add to cart', 'purchases', 'funnel'],
    definition:
      "event_type is one of 'page_view', 'add_to_cart', 'purchase'; page views = count of page_view events, cart adds = count of add_to_cart events.",
    sql: "event_type IN ('page_view', 'add_to_cart', 'purchase')",
    table: 'silver_events',
  },
  {
    id: 'dimensions',
    term: 'dimensions and values',
    aliases: ['country', 'device', 'referrer', 'currency', 'traffic source', 'platform', 'market'],
    definition:
      'country is a code (US, UK, CA, DE, FR); device_type is desktop, mobile or tablet; referrer is the traffic source (google, direct, facebook, email, ...); currency is USD, GBP, CAD or EUR; discount is a currency amount (0 when none).',
    sql: "country = 'UK' AND device_type = 'mobile'",
    table: 'silver_events',
  },
  {
    id: 'today',
    term: 'today / yesterday',
    aliases: ['since midnight', 'so far today', 'previous day'],
    definition:
      '"today" = since UTC midnight (ts >= current_date); "yesterday" = the previous UTC day (ts >= current_date - INTERVAL 1 DAY AND ts < current_date). All times are UTC.',
    sql: 'ts >= current_date',
    table: 'silver_events',
  },
  {
    id: 'rolling_window',
    term: 'last N hours / days',
    aliases: ['past 24 hours', 'last week', 'last 7 days', 'past hour'],
    definition:
      '"last N hours/days" = a rolling window ending now: ts >= now() - INTERVAL N HOUR (or DAY); "last week" = 7 days.',
    sql: 'ts >= now() - INTERVAL 24 HOUR',
    table: 'silver_events',
  },
  {
    id: 'gold_kpis',
    term: 'per-minute KPIs',
    aliases: ['events per minute', 'throughput', 'minute windows', 'real-time KPIs'],
    definition:
      'gold_kpis has one row per 1-minute window (window_start, window_end) with total_events, page_views, cart_adds, orders, gmv, active_users, view_users, cart_users, purchase_users, conversion_rate and avg_order_value.',
    sql: 'SELECT window_start, total_events FROM gold_kpis ORDER BY window_start',
    table: 'gold_kpis',
  },
  {
    id: 'data_quality',
    term: 'data quality issues',
    aliases: ['quarantine', 'bad records', 'rejected events', 'invalid events'],
    definition:
      "quarantine_events holds every record that failed validation, with its reason ('CODE: detail') and quarantined_at; count them by reason.",
    sql: 'SELECT reason, count(*) FROM quarantine_events GROUP BY reason',
    table: 'quarantine_events',
  },
  {
    id: 'latency',
    term: 'processing latency',
    aliases: ['freshness', 'lag', 'delay'],
    definition: 'Processing latency = ingested_at - ts of silver events, in seconds.',
    sql: "avg(date_diff('millisecond', ts, ingested_at)) / 1000.0",
    table: 'silver_events',
  },
];

/** The text an entry is embedded and shown as. */
export function glossaryText(entry: GlossaryEntry): string {
  return `${entry.term} (${entry.aliases.join(', ')}): ${entry.definition} SQL: ${entry.sql}`;
}
