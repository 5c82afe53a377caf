import { describe, expect, it } from 'vitest';
import { executionMatch, normalise, orderByOf, orderKeysOf } from '../../eval/nl2sql/executionMatch.js';
import { pinClock } from '../../eval/nl2sql/pinClock.js';

const cols = (...names: string[]) => names.map((name) => ({ name }));

describe('executionMatch', () => {
  const gold = {
    columns: cols('country', 'revenue'),
    rows: [
      { country: 'US', revenue: 100.5 },
      { country: 'UK', revenue: 80 },
    ],
  };

  it('matches gold columns by values, not names, and ignores extra predicted columns', () => {
    const predicted = {
      columns: cols('orders', 'total_revenue', 'c'),
      rows: [
        { orders: 3, total_revenue: 100.5, c: 'US' },
        { orders: 2, total_revenue: 80, c: 'UK' },
      ],
    };
    expect(executionMatch(gold, predicted, { ordered: true })).toEqual({
      match: true,
      columns: { country: 'c', revenue: 'total_revenue' },
    });
  });

  it('compares numbers within 1e-6 relative and NULL equal to NULL', () => {
    const g = { columns: cols('x', 'y'), rows: [{ x: 1_000_000, y: null }] };
    expect(
      executionMatch(g, { columns: cols('x', 'y'), rows: [{ x: 1_000_000.5, y: null }] }, { ordered: false })
        .match,
    ).toBe(true);
    expect(
      executionMatch(g, { columns: cols('x', 'y'), rows: [{ x: 1_000_002, y: null }] }, { ordered: false })
        .match,
    ).toBe(false);
    expect(
      executionMatch(g, { columns: cols('x', 'y'), rows: [{ x: 1_000_000, y: 0 }] }, { ordered: false })
        .match,
    ).toBe(false);
  });

  it('reads big integers as strings, instants in any ISO form, NaN and infinities', () => {
    expect(normalise('12345678901234567890')).toEqual({ k: 'num', v: Number('12345678901234567890') });
    expect(normalise('2026-11-27T10:00:00.000Z')).toEqual(normalise('2026-11-27 10:00:00'));
    expect(normalise('2026-11-27')).toEqual(normalise('2026-11-27T00:00:00.000Z'));
    expect(normalise('NaN')).toEqual({ k: 'num', v: Number.NaN });
    const g = { columns: cols('r'), rows: [{ r: 'NaN' }, { r: 'Infinity' }] };
    expect(
      executionMatch(
        g,
        { columns: cols('r'), rows: [{ r: Number.NaN }, { r: Number.POSITIVE_INFINITY }] },
        { ordered: true },
      ).match,
    ).toBe(true);
  });

  it('compares row multisets when the gold has no ORDER BY, sequences when it has', () => {
    const reversed = { columns: cols('country', 'revenue'), rows: [...gold.rows].reverse() };
    expect(executionMatch(gold, reversed, { ordered: false }).match).toBe(true);
    expect(executionMatch(gold, reversed, { ordered: true })).toEqual({
      match: false,
      reason: 'the columns match but the rows differ (compared in ORDER BY order)',
    });
  });

  it('lets rows that tie on every ORDER BY key come in any order', () => {
    const g = {
      columns: cols('reason', 'n'),
      rows: [
        { reason: 'a', n: 5 },
        { reason: 'b', n: 3 },
        { reason: 'c', n: 3 },
        { reason: 'd', n: 1 },
      ],
    };
    const p = {
      columns: cols('reason', 'n'),
      rows: [g.rows[0], g.rows[2], g.rows[1], g.rows[3]] as typeof g.rows,
    };
    expect(executionMatch(g, p, { ordered: true, orderKeys: ['n'] }).match).toBe(true);
    expect(executionMatch(g, p, { ordered: true, orderKeys: null }).match).toBe(false);
    const wrong = {
      columns: cols('reason', 'n'),
      rows: [g.rows[1], g.rows[0], g.rows[2], g.rows[3]] as typeof g.rows,
    };
    expect(executionMatch(g, wrong, { ordered: true, orderKeys: ['n'] }).match).toBe(false);
  });

  it('needs the same number of rows and a column for every gold column', () => {
    expect(
      executionMatch(
        gold,
        { columns: cols('country', 'revenue'), rows: [gold.rows[0]!] },
        { ordered: false },
      ),
    ).toEqual({
      match: false,
      reason: 'row count: gold 2, predicted 1',
    });
    expect(
      executionMatch(
        gold,
        {
          columns: cols('country', 'revenue'),
          rows: [
            { country: 'US', revenue: 1 },
            { country: 'UK', revenue: 80 },
          ],
        },
        { ordered: false },
      ),
    ).toEqual({ match: false, reason: "no predicted column holds the values of gold column 'revenue'" });
  });

  it('keeps rows together: columns matching one by one are not enough', () => {
    const g = {
      columns: cols('a', 'b'),
      rows: [
        { a: 1, b: 'x' },
        { a: 2, b: 'y' },
      ],
    };
    const p = {
      columns: cols('a', 'b'),
      rows: [
        { a: 1, b: 'y' },
        { a: 2, b: 'x' },
      ],
    };
    expect(executionMatch(g, p, { ordered: false }).match).toBe(false);
  });

  it('tries other column assignments when values repeat across columns', () => {
    const g = {
      columns: cols('a', 'b'),
      rows: [
        { a: 1, b: 1 },
        { a: 2, b: 3 },
      ],
    };
    const p = {
      columns: cols('p', 'q', 'r'),
      rows: [
        { p: 1, q: 1, r: 1 },
        { p: 2, q: 3, r: 2 },
      ],
    };
    expect(executionMatch(g, p, { ordered: false })).toEqual({ match: true, columns: { a: 'p', b: 'q' } });
  });
});

describe('orderByOf', () => {
  it('finds the top-level ORDER BY terms as names or positions', () => {
    expect(orderByOf('SELECT a, b FROM t ORDER BY b DESC, a')).toEqual({ ordered: true, terms: ['b', 'a'] });
    expect(orderByOf('SELECT date_trunc(1) AS h, x FROM t GROUP BY 1 ORDER BY 1 LIMIT 5')).toEqual({
      ordered: true,
      terms: [1],
    });
    expect(orderByOf('SELECT r FROM t GROUP BY r ORDER BY sum(p*q) DESC LIMIT 1')).toEqual({
      ordered: true,
      terms: null,
    });
    expect(orderByOf("SELECT 'order by x' AS s, (SELECT 1 ORDER BY 1) FROM t")).toEqual({
      ordered: false,
      terms: null,
    });
    expect(orderKeysOf([1, 'product_id'], cols('units', 'product_id'))).toEqual(['units', 'product_id']);
    expect(orderKeysOf(['ts'], cols('units'))).toBeNull();
  });
});

describe('pinClock', () => {
  const now = new Date('2026-11-27T12:34:56.789Z');
  it('replaces now(), current_timestamp and current_date outside literals', () => {
    expect(pinClock("SELECT * FROM t WHERE ts >= now() - INTERVAL 1 HOUR AND x = 'now()'", now)).toBe(
      "SELECT * FROM t WHERE ts >= TIMESTAMPTZ '2026-11-27T12:34:56.789Z' - INTERVAL 1 HOUR AND x = 'now()'",
    );
    expect(
      pinClock('SELECT current_date - INTERVAL 1 DAY, CURRENT_TIMESTAMP, today(), my_now() FROM t', now),
    ).toBe(
      "SELECT DATE '2026-11-27' - INTERVAL 1 DAY, TIMESTAMPTZ '2026-11-27T12:34:56.789Z', DATE '2026-11-27', my_now() FROM t",
    );
    expect(pinClock('SELECT "current_date" FROM t', now)).toBe('SELECT "current_date" FROM t');
  });
});
