import { buildFileStats, field, struct } from '@rt-lakehouse/kernel-helpers';
import { describe, expect, it } from 'vitest';
import { statsKeyPath } from '../../../kernel-helpers/src/delta/fileStats.js';

const schema = struct(
  field('id', 'long'),
  field('name', 'string'),
  field('ts', 'timestamp'),
  field('price', 'double'),
  field('amount', 'decimal(10,2)'),
  field('day', 'date'),
  field('attrs', struct(field('a', 'integer'))),
  field('tags', { type: 'array', elementType: 'string', containsNull: true }),
  field('country', 'string'),
);

describe('buildFileStats', () => {
  it('turns DuckDB statistics into Delta stats JSON', () => {
    const stats = new Map<string, Record<string, string>>([
      ['"id"', { min: '1', max: '9', null_count: '0' }],
      ['"name"', { min: 'alice', max: 'x'.repeat(40), null_count: '2' }],
      [
        '"ts"',
        { min: '2024-01-01 00:00:00.123456+00', max: '2024-01-01 00:00:09.999001+00', null_count: '0' },
      ],
      ['"price"', { min: '-1.5', max: 'inf', null_count: '1' }],
      ['"amount"', { min: '0.10', max: '99.99', null_count: '0' }],
      ['"day"', { min: '2024-01-01', max: '2024-01-31', null_count: '0' }],
      ['"attrs"."a"', { min: '3', max: '4', null_count: '0' }],
      ['"tags"."list"."element"', { min: 'a', max: 'b', null_count: '0' }],
    ]);
    const json = buildFileStats(10, schema, ['country'], stats);
    expect(JSON.parse(json)).toEqual({
      numRecords: 10,
      minValues: {
        id: 1,
        ts: '2024-01-01T00:00:00.123Z',
        amount: 0.1,
        day: '2024-01-01',
        attrs: { a: 3 },
      },
      maxValues: {
        id: 9,
        ts: '2024-01-01T00:00:10.000Z',
        amount: 99.99,
        day: '2024-01-31',
        attrs: { a: 4 },
      },
      nullCount: { id: 0, name: 2, ts: 0, price: 1, amount: 0, day: 0, attrs: { a: 0 } },
    });
    // The name maximum is longer than 32 characters: it is left out rather than truncated
    // below the true maximum; the minimum is kept (a prefix is still a lower bound).
    expect(json).not.toContain('"name":"alice"}');
  });

  it('keeps long string minima as 32-character prefixes', () => {
    const s = struct(field('v', 'string'));
    const json = buildFileStats(
      1,
      s,
      [],
      new Map([['"v"', { min: 'y'.repeat(50), max: 'z', null_count: '0' }]]),
    );
    expect(JSON.parse(json).minValues).toEqual({ v: 'y'.repeat(32) });
  });

  it('counts a column absent from the file as all null and honours numIndexedCols', () => {
    const s = struct(field('a', 'long'), field('b', 'long'));
    expect(
      JSON.parse(buildFileStats(4, s, [], new Map([['"a"', { min: '1', max: '2', null_count: '0' }]]), 1)),
    ).toEqual({
      numRecords: 4,
      minValues: { a: 1 },
      maxValues: { a: 2 },
      nullCount: { a: 0 },
    });
    expect(JSON.parse(buildFileStats(4, s, [], new Map())).nullCount).toEqual({ a: 4, b: 4 });
  });

  it('parses quoted DuckDB column paths', () => {
    expect(statsKeyPath('"a"."b ""c"""')).toEqual(['a', 'b "c"']);
  });
});
