import { field, struct } from '@rt-lakehouse/kernel-helpers';
import { describe, expect, it } from 'vitest';
import { mergeFileStats } from '../../../kernel-helpers/src/delta/fileStats.js';

const schema = struct(
  field('id', 'long'),
  field('name', 'string'),
  field('ts', 'timestamp'),
  field('price', 'double'),
  field('day', 'date'),
  field('attrs', struct(field('a', 'integer'))),
  field('kind', 'string'),
);

const stats = (o: object) => JSON.stringify(o);

describe('mergeFileStats', () => {
  it('adds records and null counts and keeps the widest bounds', () => {
    const a = stats({
      numRecords: 3,
      minValues: {
        id: 5,
        name: 'bob',
        ts: '2024-01-01T00:00:09.000Z',
        price: -1.5,
        day: '2024-01-02',
        attrs: { a: 7 },
      },
      maxValues: {
        id: 9,
        name: 'carol',
        ts: '2024-01-01T00:01:00.000Z',
        price: 2,
        day: '2024-01-05',
        attrs: { a: 8 },
      },
      nullCount: { id: 0, name: 1, ts: 0, price: 0, day: 0, attrs: { a: 2 } },
    });
    const b = stats({
      numRecords: 2,
      minValues: {
        id: -3,
        name: 'Zed',
        ts: '2024-01-01T00:00:10.000Z',
        price: 0.25,
        day: '2023-12-31',
        attrs: { a: 1 },
      },
      maxValues: {
        id: 4,
        name: 'éclair',
        ts: '2024-01-01T00:00:59.999Z',
        price: 1e300,
        day: '2024-01-01',
        attrs: { a: 3 },
      },
      nullCount: { id: 1, name: 0, ts: 2, price: 0, day: 0, attrs: { a: 0 } },
    });
    expect(JSON.parse(mergeFileStats([a, b], schema, ['kind'])!)).toEqual({
      numRecords: 5,
      // 'Zed' < 'bob' and 'éclair' > 'carol' in UTF-8 byte order.
      minValues: {
        id: -3,
        name: 'Zed',
        ts: '2024-01-01T00:00:09.000Z',
        price: -1.5,
        day: '2023-12-31',
        attrs: { a: 1 },
      },
      maxValues: {
        id: 9,
        name: 'éclair',
        ts: '2024-01-01T00:01:00.000Z',
        price: 1e300,
        day: '2024-01-05',
        attrs: { a: 8 },
      },
      nullCount: { id: 1, name: 1, ts: 2, price: 0, day: 0, attrs: { a: 2 } },
    });
  });

  it('leaves out a bound that one file lacks or that lost digits, and a null count one file lacks', () => {
    const a = stats({
      numRecords: 1,
      minValues: { id: 2 ** 53 + 2, name: 'a' },
      maxValues: { id: 2 ** 53 + 2, name: 'b' },
      nullCount: { id: 0, name: 0 },
    });
    const b = stats({
      numRecords: 4,
      minValues: { id: 1, name: 'a' },
      maxValues: { id: 1 },
      nullCount: { id: 0 },
    });
    expect(JSON.parse(mergeFileStats([a, b], schema, [])!)).toEqual({
      numRecords: 5,
      minValues: {},
      maxValues: {},
      nullCount: { id: 0 },
    });
  });

  it('has no stats when a file has none', () => {
    expect(mergeFileStats([stats({ numRecords: 1 }), undefined], schema, [])).toBeUndefined();
    expect(mergeFileStats([], schema, [])).toBeUndefined();
  });

  it('orders timestamps by instant, not by text', () => {
    const a = stats({
      numRecords: 1,
      minValues: { ts: '2024-01-01T00:00:00.500Z' },
      maxValues: { ts: '2024-01-01T00:00:00.500Z' },
      nullCount: {},
    });
    const b = stats({
      numRecords: 1,
      minValues: { ts: '2024-01-01T00:00:00Z' },
      maxValues: { ts: '2024-01-01T00:00:00Z' },
      nullCount: {},
    });
    const merged = JSON.parse(mergeFileStats([a, b], schema, [])!);
    expect(merged.minValues.ts).toBe('2024-01-01T00:00:00Z');
    expect(merged.maxValues.ts).toBe('2024-01-01T00:00:00.500Z');
  });
});
