import { type AddAction, field, fileMayMatch, struct, where } from '@rt-lakehouse/kernel-helpers';
import { describe, expect, it } from 'vitest';

const schema = struct(
  field('id', 'long'),
  field('ts', 'timestamp'),
  field('name', 'string'),
  field('day', 'date'),
);
const file = (stats: object | undefined, partitionValues: Record<string, string | null> = {}): AddAction => ({
  path: 'f.parquet',
  partitionValues,
  size: 1,
  modificationTime: 0,
  dataChange: true,
  ...(stats ? { stats: JSON.stringify(stats) } : {}),
});
const f = file({
  numRecords: 10,
  minValues: { id: 10, ts: '2024-01-01T00:00:00.000Z', name: 'b' },
  maxValues: { id: 20, ts: '2024-01-01T00:59:59.999Z', name: 'm' },
  nullCount: { id: 0, ts: 0, name: 3 },
});
const may = (a: AddAction, p: Parameters<typeof fileMayMatch>[1], parts: string[] = []) =>
  fileMayMatch(a, p, schema, parts);

describe('fileMayMatch', () => {
  it('skips files whose min/max cannot satisfy a comparison', () => {
    expect(may(f, where.eq('id', 15))).toBe(true);
    expect(may(f, where.eq('id', 21))).toBe(false);
    expect(may(f, where.lt('id', 10))).toBe(false);
    expect(may(f, where.le('id', 10))).toBe(true);
    expect(may(f, where.gt('id', 20))).toBe(false);
    expect(may(f, where.ge('id', 20))).toBe(true);
    expect(may(f, where.in('id', [1, 2, 30]))).toBe(false);
    expect(may(f, where.in('id', [1, 12]))).toBe(true);
    expect(may(f, where.eq('name', 'z'))).toBe(false);
  });

  it('compares instants, widening millisecond maxima by 1 ms', () => {
    expect(may(f, where.ge('ts', new Date('2024-01-01T01:00:00.001Z')))).toBe(false);
    expect(may(f, where.ge('ts', new Date('2024-01-01T00:59:59.9995Z')))).toBe(true);
    expect(may(f, where.lt('ts', new Date('2024-01-01T00:00:00Z')))).toBe(false);
  });

  it('combines with AND / OR and uses null counts', () => {
    expect(may(f, where.and(where.ge('id', 15), where.lt('id', 5)))).toBe(false);
    expect(may(f, where.or(where.gt('id', 50), where.eq('id', 11)))).toBe(true);
    expect(may(f, where.isNull('id'))).toBe(false);
    expect(may(f, where.isNull('name'))).toBe(true);
    expect(may(f, where.isNotNull('name'))).toBe(true);
  });

  it('keeps files without statistics or for unknown columns', () => {
    expect(may(file(undefined), where.eq('id', 99))).toBe(true);
    expect(may(f, where.eq('nope', 1))).toBe(true);
  });

  it('prunes exactly on partition values, including NULL and NOT', () => {
    const p = file(undefined, { day: '2024-03-01' });
    const nullDay = file(undefined, { day: null });
    expect(may(p, where.eq('day', '2024-03-01'), ['day'])).toBe(true);
    expect(may(p, where.eq('day', '2024-03-02'), ['day'])).toBe(false);
    expect(may(p, where.not(where.eq('day', '2024-03-01')), ['day'])).toBe(false);
    expect(may(nullDay, where.isNull('day'), ['day'])).toBe(true);
    expect(may(nullDay, where.eq('day', '2024-03-01'), ['day'])).toBe(false);
  });
});
