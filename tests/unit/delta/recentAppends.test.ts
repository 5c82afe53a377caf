import { RecentAppends } from '@rt-lakehouse/kernel-helpers';
import { describe, expect, it } from 'vitest';

const append = (version: number, rowCount: number, paths = [`part-${version}.parquet`]) => ({
  version,
  paths,
  columns: { n: Array.from({ length: rowCount }, (_, i) => i) },
  rowCount,
});

describe('RecentAppends', () => {
  it('gives back an append by version only when its files are exactly the ones asked', () => {
    const recent = new RecentAppends(100);
    recent.add(append(3, 10, ['a.parquet', 'b.parquet']));
    expect(recent.get(3, ['a.parquet', 'b.parquet'])?.rowCount).toBe(10);
    expect(recent.get(3, ['a.parquet'])).toBeUndefined();
    expect(recent.get(3, ['b.parquet', 'a.parquet'])).toBeUndefined();
    expect(recent.get(4, ['a.parquet', 'b.parquet'])).toBeUndefined();
  });

  it('forgets the oldest appends beyond its row budget and never keeps one bigger than it', () => {
    const recent = new RecentAppends(100);
    recent.add(append(1, 40));
    recent.add(append(2, 40));
    recent.add(append(3, 40));
    expect(recent.get(1, ['part-1.parquet'])).toBeUndefined();
    expect(recent.get(2, ['part-2.parquet'])?.rowCount).toBe(40);
    expect(recent.get(3, ['part-3.parquet'])?.rowCount).toBe(40);
    expect(recent.size).toBe(80);
    recent.add(append(4, 101));
    expect(recent.get(4, ['part-4.parquet'])).toBeUndefined();
    expect(recent.size).toBe(80);
  });

  it('keeps the first append of a version (a version is committed once)', () => {
    const recent = new RecentAppends(100);
    recent.add(append(5, 10));
    recent.add(append(5, 20));
    expect(recent.get(5, ['part-5.parquet'])?.rowCount).toBe(10);
    expect(recent.size).toBe(10);
  });

  it('lets an append go once every open reader has taken its version', () => {
    const recent = new RecentAppends(1_000);
    const silver = recent.reader();
    const other = recent.reader();
    for (const v of [1, 2, 3]) recent.add(append(v, 10));
    silver.taken(2);
    expect(recent.size, 'the other reader still waits for 1 and 2').toBe(30);
    other.taken(1);
    expect(recent.get(1, ['part-1.parquet'])).toBeUndefined();
    expect(recent.get(2, ['part-2.parquet'])?.rowCount).toBe(10);
    expect(recent.size).toBe(20);
    // An older version taken again changes nothing; closing the slower reader lets 2 go.
    silver.taken(1);
    other.close();
    expect(recent.get(2, ['part-2.parquet'])).toBeUndefined();
    expect(recent.get(3, ['part-3.parquet'])?.rowCount).toBe(10);
    // A closed reader no longer counts, and with no open reader only the budget does.
    other.taken(3);
    expect(recent.size).toBe(10);
    silver.close();
    recent.add(append(4, 10));
    expect(recent.size).toBe(20);
  });

  it('grows its budget for a reader asking more, never shrinks it', () => {
    const recent = new RecentAppends(100);
    recent.grow(50);
    expect(recent.maxRows).toBe(100);
    recent.grow(300);
    recent.add(append(1, 250));
    expect(recent.get(1, ['part-1.parquet'])?.rowCount).toBe(250);
  });

  it('refuses a budget that is not positive', () => {
    expect(() => new RecentAppends(0)).toThrow(RangeError);
  });
});
