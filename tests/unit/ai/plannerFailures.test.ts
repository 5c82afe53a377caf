import { planQuestion, type TableSchema } from '@rt-lakehouse/kernel-helpers';
import { describe, expect, it } from 'vitest';
import { LAKEHOUSE_TABLES, withoutColumn } from './lakehouseTables.js';

function refusal(
  question: string,
  tables: TableSchema[] = LAKEHOUSE_TABLES,
): { reason: string; suggestions: string[] } {
  const r = planQuestion(question, { tables, conversation: [] });
  if (r.success) throw new Error(`expected a refusal of ${JSON.stringify(question)}, got ${r.sql}`);
  return { reason: r.reason, suggestions: r.suggestions };
}

describe('questions the planner refuses, with a reason and suggestions', () => {
  it('off-topic questions', () => {
    expect(refusal("What's the weather in Berlin today?")).toMatchInlineSnapshot(`
      {
        "reason": "I can't answer that: the question is not about the shop data in the lakehouse.",
        "suggestions": [
          "What's our revenue trend in the last 24 hours?",
          "Top 5 countries by page views today",
          "How many unique users visited in the last hour?",
        ],
      }
    `);
    expect(refusal('Tell me a joke').reason).toMatch(/not about the shop data/);
    expect(refusal('how are we doing?').reason).toMatch(/couldn't find anything to measure/);
  });

  it('concepts the data does not hold', () => {
    expect(refusal('Show me the return rate by product category').reason).toMatch(/no returns or refunds/);
    expect(refusal('profit margin by category').reason).toMatch(/no costs/);
    expect(refusal('Which customers have the highest lifetime value?').reason).toMatch(/retention/);
    expect(refusal('Revenue forecast for next week').reason).toMatch(/does not forecast/);
    expect(refusal('Revenue by city').reason).toMatch(/no city/);
    expect(refusal('Show me error rates by service').reason).toMatch(/per-service/);
    expect(refusal("What's the average time between cart addition and purchase?").reason).toMatch(
      /durations/,
    );
    expect(refusal('Show me products with declining sales trends').reason).toMatch(/two periods/);
  });

  it('columns and tables that are not in the schema', () => {
    expect(refusal('Average shipping_cost by country')).toMatchInlineSnapshot(`
      {
        "reason": "The lakehouse has no column or table named 'shipping_cost'. Tables: bronze_events, gold_kpis, quarantine_events, silver_events.",
        "suggestions": [
          "What's our revenue trend in the last 24 hours?",
          "Top 5 countries by page views today",
          "Columns of silver_events: event_id, user_id, session_id, product_id, category_id, event_type, price, quantity, discount, currency, ts, ua, country, device_type, referrer, source_partition, source_offset, ingested_at",
        ],
      }
    `);
    expect(refusal('Show me all rows of the customers table').reason).toMatch(/no table 'customers'/);
    expect(refusal('revenue by planet').reason).toMatch(/'planet'/);
  });

  it('measures whose columns the given schema lacks', () => {
    const tables = withoutColumn(LAKEHOUSE_TABLES, 'silver_events', 'discount');
    expect(refusal('average discount by country', tables).reason).toMatch(
      /silver_events has no column 'discount'/,
    );
    expect(
      refusal(
        'revenue today',
        LAKEHOUSE_TABLES.filter((t) => t.name !== 'silver_events'),
      ).reason,
    ).toMatch(/no table silver_events/);
    expect(refusal('data quality issues on mobile').reason).toMatch(
      /quarantine_events has no column 'device_type'/,
    );
  });

  it('a follow-up without an earlier question', () => {
    expect(refusal('and only for tablets').reason).toMatch(/no earlier question/);
  });

  it('empty and oversized input', () => {
    expect(refusal('   ').reason).toBe('The question is empty.');
    expect(refusal('revenue '.repeat(400)).reason).toMatch(/characters long/);
  });

  it('never throws on odd input', () => {
    for (const q of [
      '?',
      '$$$',
      '1 2 3',
      'top',
      'by',
      "'; DROP TABLE silver_events; --",
      'revenue by by by',
      '🙂 revenue',
    ])
      expect(() => planQuestion(q, { tables: LAKEHOUSE_TABLES, conversation: [] }), q).not.toThrow();
  });
});

describe('the schema it is given', () => {
  const evolved: TableSchema[] = LAKEHOUSE_TABLES.map((t) =>
    t.name === 'silver_events'
      ? {
          ...t,
          columns: [
            ...t.columns,
            { name: 'coupon_code', type: 'string' },
            { name: 'shipping_cost', type: 'double' },
          ],
        }
      : t,
  );
  const sql = (q: string) => {
    const r = planQuestion(q, { tables: evolved, conversation: [] });
    if (!r.success) throw new Error(r.reason);
    return r.sql;
  };

  it('answers about columns added by schema evolution, by their words or names', () => {
    expect(sql('orders by coupon code')).toContain('GROUP BY coupon_code');
    expect(sql('average shipping_cost by country')).toContain('avg(shipping_cost) AS avg_shipping_cost');
    expect(sql('total shipping cost today')).toContain('sum(shipping_cost) AS total_shipping_cost');
  });

  it('still refuses them where the schema lacks them', () => {
    expect(refusal('orders by coupon code').reason).toMatch(/no such field/);
  });
});
