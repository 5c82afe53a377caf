import { type Plan, type PlannedTurn, planQuestion } from '@rt-lakehouse/kernel-helpers';
import { describe, expect, it } from 'vitest';
import { LAKEHOUSE_TABLES } from './lakehouseTables.js';

/** Asks the questions as one conversation; returns the last answer's SQL and plan. */
function converse(...questions: string[]): { sql: string; plan: Plan } {
  const conversation: PlannedTurn[] = [];
  let last: { sql: string; plan: Plan } | undefined;
  for (const question of questions) {
    const r = planQuestion(question, { tables: LAKEHOUSE_TABLES, conversation });
    if (!r.success) throw new Error(`planner refused ${JSON.stringify(question)}: ${r.reason}`);
    conversation.push({ question, plan: r.plan });
    last = { sql: r.sql, plan: r.plan };
  }
  return last!;
}

describe('follow-ups edit the previous plan', () => {
  it('"only ..." adds a filter', () => {
    expect(
      converse('Orders by currency in the last 7 days', 'and only for tablets').sql,
    ).toMatchInlineSnapshot(`
      "SELECT currency, count(*) AS orders
      FROM silver_events
      WHERE event_type = 'purchase' AND device_type = 'tablet' AND ts >= now() - INTERVAL 7 DAY
      GROUP BY currency
      ORDER BY orders DESC, currency"
    `);
  });

  it('"now for ..." replaces the filter on the same column', () => {
    const { plan } = converse("What's the conversion rate in Germany?", 'now for the UK');
    expect(plan.filters).toEqual([{ kind: 'values', column: 'country', values: ['UK'], negated: false }]);
  });

  it('"... too" joins values of the same column', () => {
    const { plan } = converse('orders by device in Germany', 'and France too');
    expect(plan.filters).toEqual([
      { kind: 'values', column: 'country', values: ['DE', 'FR'], negated: false },
    ]);
  });

  it('"break it down by ..." adds a dimension; "... instead" replaces it', () => {
    expect(converse('Revenue in the last 7 days', 'break it down by device').plan.dimensions).toEqual([
      { kind: 'column', column: 'device_type' },
    ]);
    expect(converse('Page views by device today', 'by country instead').plan.dimensions).toEqual([
      { kind: 'column', column: 'country' },
    ]);
    expect(converse('Revenue by device today', 'and by country').plan.dimensions).toEqual([
      { kind: 'column', column: 'device_type' },
      { kind: 'column', column: 'country' },
    ]);
  });

  it('"what about yesterday?" replaces the time range; "all time" removes it', () => {
    expect(converse('Revenue by country today', 'what about yesterday?').plan.timeRange).toEqual({
      kind: 'yesterday',
    });
    expect(converse('Revenue by country today', 'what about all time?').plan.timeRange).toBeNull();
  });

  it('"top 3" changes the cut, "bottom 3" the direction, "show all" removes the cut', () => {
    const top = converse('Top 5 products by revenue today', 'top 3').plan;
    expect([top.order, top.limit]).toEqual([{ by: 'measure', measure: 0, direction: 'desc' }, 3]);
    const bottom = converse('Top 5 products by revenue today', 'bottom 3').plan;
    expect([bottom.order, bottom.limit]).toEqual([{ by: 'measure', measure: 0, direction: 'asc' }, 3]);
    expect(converse('Top 5 products by revenue today', 'show all').plan.limit).toBeNull();
  });

  it('"and the average order value?" replaces the measure and keeps the rest', () => {
    expect(
      converse('Orders by country in the last 24 hours', 'and the average order value?').sql,
    ).toMatchInlineSnapshot(`
      "SELECT country, avg(price * quantity) AS avg_order_value
      FROM silver_events
      WHERE event_type = 'purchase' AND ts >= now() - INTERVAL 24 HOUR
      GROUP BY country
      ORDER BY avg_order_value DESC, country"
    `);
  });

  it('"also show ..." adds a measure', () => {
    expect(converse('How many orders did we get today?', 'also show revenue').plan.measures).toEqual([
      { kind: 'metric', metric: 'orders' },
      { kind: 'metric', metric: 'revenue' },
    ]);
  });

  it('a time bucket said alone replaces the series grain', () => {
    expect(converse('Revenue trend last 24 hours', 'daily').plan.dimensions).toEqual([
      { kind: 'time', grain: 'day' },
    ]);
    expect(converse('Page views today', 'per hour').plan.dimensions).toEqual([
      { kind: 'time', grain: 'hour' },
    ]);
  });

  it('exclusions and removals', () => {
    expect(converse('Revenue by referrer yesterday', 'exclude google').plan.filters).toEqual([
      { kind: 'values', column: 'referrer', values: ['google'], negated: true },
    ]);
    expect(converse('Revenue by country', 'only mobile', 'remove filters').plan.filters).toEqual([]);
    expect(
      converse('Revenue by country', 'exclude the US', 'remove the country filter').plan.filters,
    ).toEqual([]);
    expect(converse('orders by device in Germany', 'all countries').plan.filters).toEqual([]);
  });

  it('"how many in total?" drops the breakdown', () => {
    expect(converse('data quality issues by reason', 'how many in total?').sql).toMatchInlineSnapshot(`
      "SELECT count(*) AS issues
      FROM quarantine_events"
    `);
  });

  it('re-chooses the table: a filter moves a per-minute series from gold_kpis to silver_events', () => {
    const first = converse('events per minute in the last hour');
    expect(first.plan.source).toBe('gold_kpis');
    expect(converse('events per minute in the last hour', 'only tablets').sql).toMatchInlineSnapshot(`
      "SELECT date_trunc('minute', ts) AS minute, count(*) AS events
      FROM silver_events
      WHERE device_type = 'tablet' AND ts >= now() - INTERVAL 1 HOUR
      GROUP BY 1
      ORDER BY 1"
    `);
  });

  it('a complete question starts over, even mid-conversation', () => {
    const { plan } = converse(
      'Revenue by country today',
      'only mobile',
      'How many orders were placed in the last hour?',
    );
    expect(plan.filters).toEqual([]);
    expect(plan.dimensions).toEqual([]);
    expect(plan.timeRange).toEqual({ kind: 'last', amount: 1, unit: 'hour' });
  });

  it('long conversations refine the last turn each time', () => {
    expect(
      converse('Revenue by country today', 'what about yesterday?', 'only mobile', 'top 3', 'and orders too')
        .sql,
    ).toMatchInlineSnapshot(`
      "SELECT country, sum(price * quantity) AS revenue, count(*) AS orders
      FROM silver_events
      WHERE event_type = 'purchase' AND device_type = 'mobile' AND ts >= current_date - INTERVAL 1 DAY AND ts < current_date
      GROUP BY country
      ORDER BY revenue DESC, country
      LIMIT 3"
    `);
  });
});
