import { type PlannedTurn, planQuestion, renderSql } from '@rt-lakehouse/kernel-helpers';
import { describe, expect, it } from 'vitest';
import { LAKEHOUSE_TABLES } from './lakehouseTables.js';

const NOW = new Date('2026-11-27T15:30:00Z');

function sql(question: string, conversation: PlannedTurn[] = []): string {
  const r = planQuestion(question, { tables: LAKEHOUSE_TABLES, conversation, now: NOW });
  if (!r.success) throw new Error(`planner refused ${JSON.stringify(question)}: ${r.reason}`);
  return r.sql;
}

describe('rendered SQL', () => {
  it('a time series of a glossary metric over silver_events', () => {
    expect(sql("What's our revenue trend in the last 24 hours?")).toMatchInlineSnapshot(`
      "SELECT date_trunc('hour', ts) AS hour, sum(price * quantity) AS revenue
      FROM silver_events
      WHERE event_type = 'purchase' AND ts >= now() - INTERVAL 24 HOUR
      GROUP BY 1
      ORDER BY 1"
    `);
  });

  it('a ranking keeps the dimension as a tie-breaker and cuts at N', () => {
    expect(sql('What are the top 10 bestselling products today?')).toMatchInlineSnapshot(`
      "SELECT product_id, sum(quantity) AS units
      FROM silver_events
      WHERE event_type = 'purchase' AND ts >= current_date
      GROUP BY product_id
      ORDER BY units DESC, product_id
      LIMIT 10"
    `);
  });

  it('"which X ... the most" with a singular X returns one row', () => {
    expect(sql('Which referrer brings the most revenue?')).toMatchInlineSnapshot(`
      "SELECT referrer, sum(price * quantity) AS revenue
      FROM silver_events
      WHERE event_type = 'purchase'
      GROUP BY referrer
      ORDER BY revenue DESC, referrer
      LIMIT 1"
    `);
  });

  it('a plural X is ranked without a cut', () => {
    expect(sql('Which countries have the highest average order value?')).toMatchInlineSnapshot(`
      "SELECT country, avg(price * quantity) AS avg_order_value
      FROM silver_events
      WHERE event_type = 'purchase'
      GROUP BY country
      ORDER BY avg_order_value DESC, country"
    `);
  });

  it('conversion rate is distinct buyers over distinct viewers, each with its own FILTER', () => {
    expect(sql('Show me hourly conversion rates for the past week')).toMatchInlineSnapshot(`
      "SELECT date_trunc('hour', ts) AS hour, count(DISTINCT user_id) FILTER (WHERE event_type = 'purchase') / count(DISTINCT user_id) FILTER (WHERE event_type = 'page_view') AS conversion_rate
      FROM silver_events
      WHERE ts >= now() - INTERVAL 7 DAY
      GROUP BY 1
      ORDER BY 1"
    `);
  });

  it('cart abandonment only over products with add-to-cart events', () => {
    expect(sql('Which products have the highest cart abandonment rate?')).toMatchInlineSnapshot(`
      "SELECT product_id, 1 - count(*) FILTER (WHERE event_type = 'purchase') / count(*) FILTER (WHERE event_type = 'add_to_cart') AS abandonment_rate
      FROM silver_events
      GROUP BY product_id
      HAVING count(*) FILTER (WHERE event_type = 'add_to_cart') > 0
      ORDER BY abandonment_rate DESC, product_id"
    `);
  });

  it('per-minute series come from gold_kpis, with a rate and its parts', () => {
    expect(sql("What's the conversion rate trend in the last hour?")).toMatchInlineSnapshot(`
      "SELECT window_start, window_end, conversion_rate, purchase_users, view_users
      FROM gold_kpis
      WHERE window_start >= now() - INTERVAL 1 HOUR
      ORDER BY window_start"
    `);
    expect(sql('How many events per minute are we processing?')).toMatchInlineSnapshot(`
      "SELECT window_start, window_end, total_events
      FROM gold_kpis
      ORDER BY window_start"
    `);
  });

  it('per-minute series with a filter fall back to silver_events', () => {
    expect(sql('orders per minute in the last 15 minutes on mobile')).toMatchInlineSnapshot(`
      "SELECT date_trunc('minute', ts) AS minute, count(*) AS orders
      FROM silver_events
      WHERE event_type = 'purchase' AND device_type = 'mobile' AND ts >= now() - INTERVAL 15 MINUTE
      GROUP BY 1
      ORDER BY 1"
    `);
  });

  it('data quality questions read quarantine_events by reason', () => {
    expect(sql('Are there any data quality issues in the last hour?')).toMatchInlineSnapshot(`
      "SELECT reason, count(*) AS issues
      FROM quarantine_events
      WHERE quarantined_at >= now() - INTERVAL 1 HOUR
      GROUP BY reason
      ORDER BY issues DESC, reason"
    `);
    expect(sql('Show me rejected events by error type')).toMatchInlineSnapshot(`
      "SELECT split_part(reason, ':', 1) AS code, count(*) AS issues
      FROM quarantine_events
      GROUP BY 1
      ORDER BY issues DESC, 1"
    `);
  });

  it('measures with different event types use FILTER instead of WHERE', () => {
    expect(sql('revenue and page views by country today')).toMatchInlineSnapshot(`
      "SELECT country, sum(price * quantity) FILTER (WHERE event_type = 'purchase') AS revenue, count(*) FILTER (WHERE event_type = 'page_view') AS views
      FROM silver_events
      WHERE ts >= current_date
      GROUP BY country
      ORDER BY revenue DESC, country"
    `);
  });

  it('a scope verb filters the events of an attribute aggregate', () => {
    expect(sql('Average price of products added to cart, by category')).toMatchInlineSnapshot(`
      "SELECT category_id, avg(price) AS avg_price
      FROM silver_events
      WHERE event_type = 'add_to_cart'
      GROUP BY category_id
      ORDER BY avg_price DESC, category_id"
    `);
  });

  it('values, negations and comparisons become WHERE conditions', () => {
    expect(
      sql('Revenue from mobile users in Britain excluding google and bing yesterday'),
    ).toMatchInlineSnapshot(`
      "SELECT sum(price * quantity) AS revenue
      FROM silver_events
      WHERE event_type = 'purchase' AND device_type = 'mobile' AND country = 'UK' AND referrer NOT IN ('google', 'bing') AND ts >= current_date - INTERVAL 1 DAY AND ts < current_date"
    `);
    expect(sql('Orders over $100 by country')).toMatchInlineSnapshot(`
      "SELECT country, count(*) AS orders
      FROM silver_events
      WHERE event_type = 'purchase' AND price * quantity > 100
      GROUP BY country
      ORDER BY orders DESC, country"
    `);
  });

  it('thresholds on a measure become HAVING', () => {
    expect(sql('Which categories had more than 12 orders this week?')).toMatchInlineSnapshot(`
      "SELECT category_id, count(*) AS orders
      FROM silver_events
      WHERE event_type = 'purchase' AND ts >= date_trunc('week', current_date)
      GROUP BY category_id
      HAVING count(*) > 12
      ORDER BY orders DESC, category_id"
    `);
  });

  it('ratios per entity, hour of day and day of week', () => {
    expect(sql('average revenue per customer by device')).toMatchInlineSnapshot(`
      "SELECT device_type, sum(price * quantity) FILTER (WHERE event_type = 'purchase') / count(DISTINCT user_id) FILTER (WHERE event_type = 'purchase') AS revenue_per_customer
      FROM silver_events
      GROUP BY device_type
      ORDER BY revenue_per_customer DESC, device_type"
    `);
    expect(sql('orders by hour of day')).toMatchInlineSnapshot(`
      "SELECT hour(ts) AS hour_of_day, count(*) AS orders
      FROM silver_events
      WHERE event_type = 'purchase'
      GROUP BY 1
      ORDER BY 1"
    `);
    expect(sql('weekday with the most orders')).toMatchInlineSnapshot(`
      "SELECT isodow(ts) AS day_number, dayname(ts) AS day_of_week, count(*) AS orders
      FROM silver_events
      WHERE event_type = 'purchase'
      GROUP BY 1, 2
      ORDER BY orders DESC, 1, 2
      LIMIT 1"
    `);
  });

  it('renders the same text for the same plan', () => {
    const r = planQuestion('Top 5 countries by page views today', {
      tables: LAKEHOUSE_TABLES,
      conversation: [],
    });
    if (!r.success) throw new Error(r.reason);
    expect(renderSql(JSON.parse(JSON.stringify(r.plan)))).toBe(r.sql);
  });

  it('quotes identifiers and escapes values of any plan, and refuses impossible ones', () => {
    const plan = {
      source: 'silver_events',
      timeColumn: 'ts',
      measures: [{ kind: 'metric' as const, metric: 'orders' as const }],
      dimensions: [{ kind: 'column' as const, column: 'Weird Column' }],
      filters: [{ kind: 'values' as const, column: 'country', values: ["O'Brien"], negated: false }],
      timeRange: null,
      order: null,
      limit: null,
    };
    expect(renderSql(plan)).toMatchInlineSnapshot(`
      "SELECT "Weird Column", count(*) AS orders
      FROM silver_events
      WHERE event_type = 'purchase' AND country = 'O''Brien'
      GROUP BY "Weird Column""
    `);
    expect(() => renderSql({ ...plan, limit: 0 })).toThrow(RangeError);
    expect(() => renderSql({ ...plan, timeRange: { kind: 'on', date: "2026-01-01'; drop" } })).toThrow(
      RangeError,
    );
    expect(() => renderSql({ ...plan, dimensions: [{ kind: 'time', grain: 'decade' as never }] })).toThrow(
      RangeError,
    );
  });
});
