// Descriptions of the medallion tables and their columns (DESIGN.md "Data contracts"), used where
// the Delta metadata carries no description or column comment of its own.

export interface TableNote {
  description: string;
  columns: Readonly<Record<string, string>>;
}

const EVENT_COLUMNS: Readonly<Record<string, string>> = {
  event_id: 'unique event id (UUID); events are deduplicated on it',
  user_id: 'the user; distinct user_id = active users',
  session_id: 'the browsing session; distinct session_id = sessions',
  product_id: 'the product',
  category_id: 'the product category (e.g. electronics)',
  event_type: "one of 'page_view', 'add_to_cart', 'purchase'",
  price: 'unit price (revenue = price * quantity over purchases)',
  quantity: 'units in the event (basket size for a purchase)',
  discount: 'discount as a currency amount, 0 when none',
  currency: 'USD, GBP, CAD or EUR',
  ts: 'event time (UTC)',
  ua: 'user agent string',
  country: 'country code: US, UK, CA, DE, FR',
  device_type: 'desktop, mobile or tablet',
  referrer: 'traffic source: google, direct, facebook, email, ...',
};

export const TABLE_NOTES: Readonly<Record<string, TableNote>> = {
  silver_events: {
    description:
      'Commerce events (page views, add to carts, purchases): parsed, validated, normalised and deduplicated from Kafka. The table for revenue, orders, users, conversion and products.',
    columns: {
      ...EVENT_COLUMNS,
      source_partition: 'Kafka partition the event came from',
      source_offset: 'Kafka offset the event came from',
      ingested_at: 'when the event reached the lakehouse (UTC); ingested_at - ts = processing latency',
    },
  },
  bronze_events: {
    description: 'Raw Kafka records exactly as received (the JSON event in value), one row per record.',
    columns: {
      key: 'Kafka message key (the user id)',
      value: 'the raw JSON event',
      topic: 'Kafka topic',
      kafka_partition: 'Kafka partition',
      kafka_offset: 'Kafka offset',
      kafka_ts: 'Kafka message timestamp (UTC)',
      ingested_at: 'when the record was written to bronze (UTC)',
    },
  },
  quarantine_events: {
    description:
      'Records that failed validation (data quality issues): the raw text and why it was rejected.',
    columns: {
      raw: 'the raw record',
      reason: "why it was rejected: 'CODE: detail' (e.g. MISSING_FIELD: ...)",
      source_partition: 'Kafka partition of the record',
      source_offset: 'Kafka offset of the record',
      quarantined_at: 'when it was quarantined (UTC)',
    },
  },
  gold_kpis: {
    description:
      'Real-time KPIs per 1-minute tumbling window: events, page views, cart adds, orders, GMV, active users, conversion rate and average order value per minute.',
    columns: {
      window_start: 'start of the 1-minute window (UTC)',
      window_end: 'end of the window (exclusive)',
      total_events: 'events in the window',
      page_views: 'page_view events',
      cart_adds: 'add_to_cart events',
      orders: 'purchase events',
      gmv: 'revenue: sum(price * quantity) of purchases',
      active_users: 'distinct users',
      view_users: 'distinct users who viewed',
      cart_users: 'distinct users who added to cart',
      purchase_users: 'distinct users who purchased',
      conversion_rate: 'purchase_users / view_users',
      avg_order_value: 'gmv / orders',
    },
  },
};
