import { type PlanResult, planQuestion, type TimeRange, timeRangeSql } from '@rt-lakehouse/kernel-helpers';
import { describe, expect, it } from 'vitest';
import { LAKEHOUSE_TABLES } from './lakehouseTables.js';

const NOW = new Date('2026-11-27T15:30:00Z');

function answer(question: string): Extract<PlanResult, { success: true }> {
  const r = planQuestion(question, { tables: LAKEHOUSE_TABLES, conversation: [], now: NOW });
  if (!r.success) throw new Error(`planner refused ${JSON.stringify(question)}: ${r.reason}`);
  return r;
}

const range = (q: string) => answer(q).plan.timeRange;
const where = (q: string) => {
  const r = answer(q).plan.timeRange;
  return r === null ? null : timeRangeSql(r, 'ts');
};

describe('time expressions', () => {
  it('today, yesterday and days ago are UTC days', () => {
    expect(where('revenue today')).toBe('ts >= current_date');
    expect(where('revenue so far today')).toBe('ts >= current_date');
    expect(where('revenue since midnight')).toBe('ts >= current_date');
    expect(where('revenue yesterday')).toBe('ts >= current_date - INTERVAL 1 DAY AND ts < current_date');
    expect(where("what was yesterday's revenue")).toBe(
      'ts >= current_date - INTERVAL 1 DAY AND ts < current_date',
    );
    expect(where('revenue the day before yesterday')).toBe(
      'ts >= current_date - INTERVAL 2 DAY AND ts < current_date - INTERVAL 1 DAY',
    );
    expect(where('revenue 3 days ago')).toBe(
      'ts >= current_date - INTERVAL 3 DAY AND ts < current_date - INTERVAL 2 DAY',
    );
  });

  it('last / past N units are rolling windows ending now', () => {
    const cases: [string, TimeRange][] = [
      ['orders in the last hour', { kind: 'last', amount: 1, unit: 'hour' }],
      ['orders in the last 24 hours', { kind: 'last', amount: 24, unit: 'hour' }],
      ['orders over the past 7 days', { kind: 'last', amount: 7, unit: 'day' }],
      ['orders in the past week', { kind: 'last', amount: 1, unit: 'week' }],
      ['orders for the last 30 minutes', { kind: 'last', amount: 30, unit: 'minute' }],
      ['orders in the last half hour', { kind: 'last', amount: 30, unit: 'minute' }],
      ['orders over the last few hours', { kind: 'last', amount: 3, unit: 'hour' }],
      ['orders in the previous two days', { kind: 'last', amount: 2, unit: 'day' }],
      ['orders in the last 24h', { kind: 'last', amount: 24, unit: 'hour' }],
      ['orders over 48 hours', { kind: 'last', amount: 48, unit: 'hour' }],
      ['orders last month', { kind: 'last', amount: 1, unit: 'month' }],
      ['users online right now', { kind: 'last', amount: 5, unit: 'minute' }],
    ];
    for (const [q, expected] of cases) expect(range(q), q).toEqual(expected);
    expect(where('orders in the past week')).toBe('ts >= now() - INTERVAL 7 DAY');
    expect(where('orders in the last 24 hours')).toBe('ts >= now() - INTERVAL 24 HOUR');
  });

  it('this hour / week / month start at the current boundary', () => {
    expect(where('revenue this hour')).toBe("ts >= date_trunc('hour', now())");
    expect(where('revenue this week')).toBe("ts >= date_trunc('week', current_date)");
    expect(where('revenue month to date')).toBe("ts >= date_trunc('month', current_date)");
  });

  it('ISO dates: on, since, between', () => {
    expect(where('orders on 2026-11-25')).toBe(
      "ts >= DATE '2026-11-25' AND ts < DATE '2026-11-25' + INTERVAL 1 DAY",
    );
    expect(where('orders since 2026-11-22')).toBe("ts >= DATE '2026-11-22'");
    expect(where('orders between 2026-11-21 and 2026-11-23')).toBe(
      "ts >= DATE '2026-11-21' AND ts < DATE '2026-11-23' + INTERVAL 1 DAY",
    );
  });

  it('no time words, or "all time", mean all time', () => {
    expect(range('revenue by country')).toBeNull();
    expect(range('best selling products of all time')).toBeNull();
  });

  it('does not read a ranked count of time buckets as a window', () => {
    const p = answer('top 3 days by revenue').plan;
    expect(p.timeRange).toBeNull();
    expect(p.dimensions).toEqual([{ kind: 'time', grain: 'day' }]);
    expect(p.limit).toBe(3);
  });

  it('filters each table on its own time column', () => {
    expect(answer('data quality issues today').sql).toContain('quarantined_at >= current_date');
    expect(answer('conversion rate per minute in the last 10 minutes').sql).toContain(
      'window_start >= now() - INTERVAL 10 MINUTE',
    );
  });

  it('explains the range with the instants it resolves to', () => {
    expect(answer('revenue today').explanation).toMatchInlineSnapshot(
      `"Revenue (sum of price × quantity over purchases) from silver_events, today (since 2026-11-27 00:00 UTC)."`,
    );
    expect(answer('revenue yesterday by country').explanation).toMatchInlineSnapshot(
      `"Revenue (sum of price × quantity over purchases) by country from silver_events, yesterday (2026-11-26, UTC), highest revenue first."`,
    );
    expect(answer('hourly orders in the last 24 hours on mobile').explanation).toMatchInlineSnapshot(
      `"Orders (count of purchase events) per hour from silver_events, where device type is mobile, in the last 24 hours (since 2026-11-26 15:30 UTC), in time order."`,
    );
    expect(answer('top 5 products by units sold this week').explanation).toMatchInlineSnapshot(
      `"Units sold (sum of quantity over purchases) by product from silver_events, this week so far, highest units sold first, top 5."`,
    );
  });
});
