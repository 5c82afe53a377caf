// The example question → SQL pairs the knowledge base ships with: written for this schema and
// glossary (DuckDB SQL, UTC), covering each table, measure, time range and shape of question.
// Every pair is checked to run on a seeded lakehouse (tests/integration/ai/assistant.test.ts).

export interface SeedExample {
  /** Stable id (`seed-NN`): kept across releases so feedback can refer to it. */
  id: string;
  question: string;
  sql: string;
}

export const SEED_EXAMPLES: readonly SeedExample[] = [
  {
    id: 'seed-01',
    question: 'What was total revenue over the last 7 days?',
    sql: "SELECT sum(price * quantity) AS revenue FROM silver_events WHERE event_type = 'purchase' AND ts >= now() - INTERVAL 7 DAY",
  },
  {
    id: 'seed-02',
    question: 'Revenue per day for the last 30 days',
    sql: "SELECT date_trunc('day', ts) AS day, sum(price * quantity) AS revenue FROM silver_events WHERE event_type = 'purchase' AND ts >= now() - INTERVAL 30 DAY GROUP BY 1 ORDER BY 1",
  },
  {
    id: 'seed-03',
    question: 'How many orders did each country place today?',
    sql: "SELECT country, count(*) AS orders FROM silver_events WHERE event_type = 'purchase' AND ts >= current_date GROUP BY country ORDER BY orders DESC",
  },
  {
    id: 'seed-04',
    question: 'Average order value by device type over the last 7 days',
    sql: "SELECT device_type, avg(price * quantity) AS avg_order_value FROM silver_events WHERE event_type = 'purchase' AND ts >= now() - INTERVAL 7 DAY GROUP BY device_type ORDER BY avg_order_value DESC",
  },
  {
    id: 'seed-05',
    question: 'Overall conversion rate today',
    sql: "SELECT count(DISTINCT user_id) FILTER (WHERE event_type = 'purchase') / count(DISTINCT user_id) FILTER (WHERE event_type = 'page_view') AS conversion_rate FROM silver_events WHERE ts >= current_date",
  },
  {
    id: 'seed-06',
    question: 'Conversion rate by referrer over the last 7 days',
    sql: "SELECT referrer, count(DISTINCT user_id) FILTER (WHERE event_type = 'purchase') / count(DISTINCT user_id) FILTER (WHERE event_type = 'page_view') AS conversion_rate FROM silver_events WHERE ts >= now() - INTERVAL 7 DAY GROUP BY referrer ORDER BY conversion_rate DESC",
  },
  {
    id: 'seed-07',
    question: 'Cart abandonment rate by category',
    sql: "SELECT category_id, 1 - count(*) FILTER (WHERE event_type = 'purchase') / count(*) FILTER (WHERE event_type = 'add_to_cart') AS abandonment_rate FROM silver_events GROUP BY category_id HAVING count(*) FILTER (WHERE event_type = 'add_to_cart') > 0 ORDER BY abandonment_rate DESC",
  },
  {
    id: 'seed-08',
    question: 'Which 10 products have the most add-to-cart events this week?',
    sql: "SELECT product_id, count(*) AS cart_adds FROM silver_events WHERE event_type = 'add_to_cart' AND ts >= date_trunc('week', current_date) GROUP BY product_id ORDER BY cart_adds DESC, product_id LIMIT 10",
  },
  {
    id: 'seed-09',
    question: 'Number of unique sessions per day over the last week',
    sql: "SELECT date_trunc('day', ts) AS day, count(DISTINCT session_id) AS sessions FROM silver_events WHERE ts >= now() - INTERVAL 7 DAY GROUP BY 1 ORDER BY 1",
  },
  {
    id: 'seed-10',
    question: 'How many distinct customers made a purchase yesterday?',
    sql: "SELECT count(DISTINCT user_id) AS buyers FROM silver_events WHERE event_type = 'purchase' AND ts >= current_date - INTERVAL 1 DAY AND ts < current_date",
  },
  {
    id: 'seed-11',
    question: 'Funnel: page views, add to carts and purchases today',
    sql: "SELECT count(*) FILTER (WHERE event_type = 'page_view') AS page_views, count(*) FILTER (WHERE event_type = 'add_to_cart') AS cart_adds, count(*) FILTER (WHERE event_type = 'purchase') AS orders FROM silver_events WHERE ts >= current_date",
  },
  {
    id: 'seed-12',
    question: 'Revenue by currency over the last 24 hours',
    sql: "SELECT currency, sum(price * quantity) AS revenue FROM silver_events WHERE event_type = 'purchase' AND ts >= now() - INTERVAL 24 HOUR GROUP BY currency ORDER BY revenue DESC",
  },
  {
    id: 'seed-13',
    question: 'Total discount granted per country',
    sql: "SELECT country, sum(discount) AS total_discount FROM silver_events WHERE event_type = 'purchase' GROUP BY country ORDER BY total_discount DESC",
  },
  {
    id: 'seed-14',
    question: 'Which category sold the fewest units last week?',
    sql: "SELECT category_id, sum(quantity) AS units FROM silver_events WHERE event_type = 'purchase' AND ts >= now() - INTERVAL 7 DAY GROUP BY category_id ORDER BY units ASC, category_id LIMIT 1",
  },
  {
    id: 'seed-15',
    question: 'Hourly page views over the last 12 hours',
    sql: "SELECT date_trunc('hour', ts) AS hour, count(*) AS page_views FROM silver_events WHERE event_type = 'page_view' AND ts >= now() - INTERVAL 12 HOUR GROUP BY 1 ORDER BY 1",
  },
  {
    id: 'seed-16',
    question: 'Orders from mobile devices in France over the last 3 days',
    sql: "SELECT count(*) AS orders FROM silver_events WHERE event_type = 'purchase' AND device_type = 'mobile' AND country = 'FR' AND ts >= now() - INTERVAL 3 DAY",
  },
  {
    id: 'seed-17',
    question: 'Revenue split between email and facebook traffic',
    sql: "SELECT referrer, sum(price * quantity) AS revenue FROM silver_events WHERE event_type = 'purchase' AND referrer IN ('email', 'facebook') GROUP BY referrer ORDER BY revenue DESC",
  },
  {
    id: 'seed-18',
    question: 'What is the median purchase amount?',
    sql: "SELECT median(price * quantity) AS median_order_value FROM silver_events WHERE event_type = 'purchase'",
  },
  {
    id: 'seed-19',
    question: 'Orders by hour of day',
    sql: "SELECT hour(ts) AS hour_of_day, count(*) AS orders FROM silver_events WHERE event_type = 'purchase' GROUP BY 1 ORDER BY 1",
  },
  {
    id: 'seed-20',
    question: 'Revenue by day of the week',
    sql: "SELECT isodow(ts) AS day_number, dayname(ts) AS day_of_week, sum(price * quantity) AS revenue FROM silver_events WHERE event_type = 'purchase' GROUP BY 1, 2 ORDER BY 1",
  },
  {
    id: 'seed-21',
    question: 'Average unit price of purchased items per category',
    sql: "SELECT category_id, avg(price) AS avg_price FROM silver_events WHERE event_type = 'purchase' GROUP BY category_id ORDER BY category_id",
  },
  {
    id: 'seed-22',
    question: 'Revenue per active user by device type',
    sql: "SELECT device_type, sum(price * quantity) FILTER (WHERE event_type = 'purchase') / count(DISTINCT user_id) AS revenue_per_user FROM silver_events GROUP BY device_type ORDER BY revenue_per_user DESC",
  },
  {
    id: 'seed-23',
    question: 'Top 5 products by revenue in the last 7 days',
    sql: "SELECT product_id, sum(price * quantity) AS revenue FROM silver_events WHERE event_type = 'purchase' AND ts >= now() - INTERVAL 7 DAY GROUP BY product_id ORDER BY revenue DESC, product_id LIMIT 5",
  },
  {
    id: 'seed-24',
    question: 'Countries with more than 50 orders today',
    sql: "SELECT country, count(*) AS orders FROM silver_events WHERE event_type = 'purchase' AND ts >= current_date GROUP BY country HAVING count(*) > 50 ORDER BY orders DESC",
  },
  {
    id: 'seed-25',
    question: 'Purchases worth more than 200 in the last 24 hours',
    sql: "SELECT count(*) AS orders FROM silver_events WHERE event_type = 'purchase' AND price * quantity > 200 AND ts >= now() - INTERVAL 24 HOUR",
  },
  {
    id: 'seed-26',
    question: 'Latest per-minute KPIs',
    sql: 'SELECT window_start, window_end, total_events, orders, gmv, active_users, conversion_rate, avg_order_value FROM gold_kpis ORDER BY window_start DESC LIMIT 10',
  },
  {
    id: 'seed-27',
    question: 'GMV per minute over the last 30 minutes from the KPI table',
    sql: 'SELECT window_start, gmv FROM gold_kpis WHERE window_start >= now() - INTERVAL 30 MINUTE ORDER BY window_start',
  },
  {
    id: 'seed-28',
    question: 'Peak minute by total events today',
    sql: 'SELECT window_start, total_events FROM gold_kpis WHERE window_start >= current_date ORDER BY total_events DESC, window_start LIMIT 1',
  },
  {
    id: 'seed-29',
    question: 'Quarantined records per hour today',
    sql: "SELECT date_trunc('hour', quarantined_at) AS hour, count(*) AS quarantined FROM quarantine_events WHERE quarantined_at >= current_date GROUP BY 1 ORDER BY 1",
  },
  {
    id: 'seed-30',
    question: 'Most common rejection reasons',
    sql: "SELECT split_part(reason, ':', 1) AS code, count(*) AS records FROM quarantine_events GROUP BY 1 ORDER BY records DESC",
  },
  {
    id: 'seed-31',
    question: 'How many raw records landed in bronze per Kafka partition?',
    sql: 'SELECT kafka_partition, count(*) AS records FROM bronze_events GROUP BY kafka_partition ORDER BY kafka_partition',
  },
  {
    id: 'seed-32',
    question: 'Share of bronze records that were quarantined',
    sql: 'SELECT (SELECT count(*) FROM quarantine_events) / (SELECT count(*) FROM bronze_events) AS quarantined_share',
  },
  {
    id: 'seed-33',
    question: 'Average ingestion delay in seconds by hour today',
    sql: "SELECT date_trunc('hour', ts) AS hour, avg(date_diff('millisecond', ts, ingested_at)) / 1000.0 AS latency_seconds FROM silver_events WHERE ts >= current_date GROUP BY 1 ORDER BY 1",
  },
  {
    id: 'seed-34',
    question: 'Event counts by type and device',
    sql: 'SELECT event_type, device_type, count(*) AS events FROM silver_events GROUP BY event_type, device_type ORDER BY event_type, device_type',
  },
  {
    id: 'seed-35',
    question: 'Daily conversion rate for Canada this month',
    sql: "SELECT date_trunc('day', ts) AS day, count(DISTINCT user_id) FILTER (WHERE event_type = 'purchase') / count(DISTINCT user_id) FILTER (WHERE event_type = 'page_view') AS conversion_rate FROM silver_events WHERE country = 'CA' AND ts >= date_trunc('month', current_date) GROUP BY 1 ORDER BY 1",
  },
  {
    id: 'seed-36',
    question: 'Average basket size on desktop vs mobile',
    sql: "SELECT device_type, avg(quantity) AS basket_size FROM silver_events WHERE event_type = 'purchase' AND device_type IN ('desktop', 'mobile') GROUP BY device_type ORDER BY device_type",
  },
  {
    id: 'seed-37',
    question: 'Users who viewed but never bought today',
    sql: "SELECT count(DISTINCT user_id) FILTER (WHERE event_type = 'page_view') - count(DISTINCT user_id) FILTER (WHERE event_type = 'purchase') AS non_buying_viewers FROM silver_events WHERE ts >= current_date",
  },
  {
    id: 'seed-38',
    question: 'Largest single purchase per country',
    sql: "SELECT country, max(price * quantity) AS largest_order FROM silver_events WHERE event_type = 'purchase' GROUP BY country ORDER BY largest_order DESC",
  },
  {
    id: 'seed-39',
    question: 'Revenue excluding direct traffic, by referrer, yesterday',
    sql: "SELECT referrer, sum(price * quantity) AS revenue FROM silver_events WHERE event_type = 'purchase' AND referrer <> 'direct' AND ts >= current_date - INTERVAL 1 DAY AND ts < current_date GROUP BY referrer ORDER BY revenue DESC",
  },
  {
    id: 'seed-40',
    question: 'Weekly revenue and orders',
    sql: "SELECT date_trunc('week', ts) AS week, sum(price * quantity) AS revenue, count(*) AS orders FROM silver_events WHERE event_type = 'purchase' GROUP BY 1 ORDER BY 1",
  },
  {
    id: 'seed-41',
    question: 'Correlation between unit price and quantity in purchases',
    sql: "SELECT corr(price, quantity) AS price_quantity_correlation FROM silver_events WHERE event_type = 'purchase'",
  },
  {
    id: 'seed-42',
    question: 'Average conversion rate and order value per minute in the last hour from gold',
    sql: 'SELECT avg(conversion_rate) AS avg_conversion_rate, sum(gmv) / sum(orders) AS avg_order_value FROM gold_kpis WHERE window_start >= now() - INTERVAL 1 HOUR',
  },
];
