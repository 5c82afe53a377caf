// Values written through DeltaTable.write come back exactly, for every type the staging fills in
// bulk (vectorFill.ts) and for values it hands to the generic conversion: nulls at chunk
// boundaries, inline and out-of-line strings, long strings repeated within and across chunks,
// 64-bit integers beyond 2^53, timestamps from millis, bigint micros, Dates and ISO strings,
// and bytes standing for their UTF-8 text.
import path from 'node:path';
import { DeltaTable, field, LakehouseError, struct } from '@rt-lakehouse/kernel-helpers';
import { describe, expect, it } from 'vitest';
import { deltaWorkspace } from '../../support/deltaWorkspace.js';

const ws = deltaWorkspace();
let n = 0;
const newTable = async () => DeltaTable.forPath(path.join(ws.dir, `v${++n}`), { duck: ws.duck });

// More rows than one DuckDB chunk (2,048) holds, so that offsets into the columns matter.
const COUNT = 5_000;
const rowsOf = (count: number) => Array.from({ length: count }, (_, i) => i);

describe('staged values', () => {
  it('round-trips strings: inline, out of line, repeated, non-ASCII, empty and null', async () => {
    const t = await newTable();
    await t.create({ schema: struct(field('i', 'integer'), field('s', 'string'), field('agent', 'string')) });
    const agents = [
      'Mozilla/5.0 (X11; Linux x86_64) Chrome/124.0',
      'Mozilla/5.0 (iPhone) Safari/17',
      'Mozilla/5.0 (iPhone) Safari/18', // the same length as the one before
      'curl/8.5.0',
    ];
    const s = rowsOf(COUNT).map((i) => {
      switch (i % 9) {
        case 0:
          return null;
        case 1:
          return 'twelve_chars'; // 12 bytes: the longest inline string
        case 2:
          return 'thirteen_char'; // 13 bytes: stored out of line
        case 3:
          return 'café'; // 4 characters, 5 bytes
        case 4:
          return '';
        case 5:
          return `id-${i}-${'x'.repeat(i % 20)}`;
        case 6:
          return '日本';
        case 7:
          return undefined;
        default:
          return `row ${i}`;
      }
    });
    // A new string object per row, as parsed events bring: repeats are found by content.
    const agent = rowsOf(COUNT).map((i) => (i % 50 === 0 ? null : [...agents[i % agents.length]!].join('')));
    await t.write({ columns: { i: rowsOf(COUNT), s, agent }, rowCount: COUNT });
    const rows = await t.readRows({ orderBy: 'i' });
    expect(rows).toHaveLength(COUNT);
    for (let i = 0; i < COUNT; i++) expect(rows[i]).toEqual({ i, s: s[i] ?? null, agent: agent[i] });
  });

  it('takes bytes in a string column as their UTF-8 text, invalid sequences as Buffer#toString decodes them', async () => {
    const t = await newTable();
    await t.create({ schema: struct(field('i', 'integer'), field('s', 'string')) });
    const invalid = Buffer.from([0x7b, 0xff, 0xfe, 0x41, 0xc3]); // '{', two bad bytes, 'A', a cut-off 'é'
    const s = rowsOf(COUNT).map((i): Uint8Array | string | null => {
      switch (i % 6) {
        case 0:
          return Buffer.from(`{"event_id":"${i}","ua":"${'Mozilla/5.0 '.repeat(i % 4)}"}`);
        case 1:
          return new Uint8Array(Buffer.from(`café ${i}`)); // a plain Uint8Array
        case 2:
          return Buffer.from('short'); // would fit inline as a string
        case 3:
          return i % 12 === 3 ? invalid : Buffer.alloc(0);
        case 4:
          return null;
        default:
          return `text ${i}`; // strings and bytes mixed in one column
      }
    });
    await t.write({ columns: { i: rowsOf(COUNT), s }, rowCount: COUNT });
    const rows = await t.readRows({ orderBy: 'i' });
    expect(rows).toHaveLength(COUNT);
    expect(rows[3]!['s']).toBe('{\uFFFD\uFFFDA\uFFFD');
    for (let i = 0; i < COUNT; i++) {
      const v = s[i]!;
      const text = v === null || typeof v === 'string' ? v : Buffer.from(v).toString('utf8');
      expect(rows[i]).toEqual({ i, s: text });
    }
    // The generic conversion (a chunk with a value the bulk path does not take) decodes the same.
    const g = await newTable();
    await g.create({ schema: struct(field('i', 'integer'), field('s', 'string')) });
    await g.write({ columns: { i: [0, 1], s: [invalid, 42] }, rowCount: 2 });
    expect(await g.readRows({ orderBy: 'i' })).toEqual([
      { i: 0, s: '{\uFFFD\uFFFDA\uFFFD' },
      { i: 1, s: '42' },
    ]);
  });

  it('round-trips numbers of every width, booleans and 64-bit integers beyond 2^53', async () => {
    const t = await newTable();
    await t.create({
      schema: struct(
        field('id', 'long'),
        field('big', 'long'),
        field('int', 'integer'),
        field('small', 'short'),
        field('tiny', 'byte'),
        field('d', 'double'),
        field('f', 'float'),
        field('b', 'boolean'),
      ),
    });
    const extremes = [9_223_372_036_854_775_807n, -9_223_372_036_854_775_808n, 9_007_199_254_740_993n, -1n];
    const big = rowsOf(COUNT).map((i) => (i % 7 === 0 ? null : i % 2 ? extremes[i % 4]! : -(2 ** 52) + i));
    const int = rowsOf(COUNT).map((i) => (i % 11 === 0 ? null : (i % 2 ? 1 : -1) * (2_147_483_647 - i)));
    const small = rowsOf(COUNT).map((i) => (i % 3) * 16_000 - 16_000);
    const tiny = rowsOf(COUNT).map((i) => (i % 256) - 128);
    const d = rowsOf(COUNT).map((i) => (i % 13 === 0 ? null : i === 1 ? Number.NaN : i / 3 - 700));
    const f = rowsOf(COUNT).map((i) => i + 0.5);
    const b = rowsOf(COUNT).map((i) => (i % 5 === 0 ? null : i % 2 === 0));
    await t.write({ columns: { id: rowsOf(COUNT), big, int, small, tiny, d, f, b }, rowCount: COUNT });
    const rows = await t.readRows({ orderBy: 'id' });
    for (let i = 0; i < COUNT; i++)
      expect(rows[i]).toEqual({
        id: BigInt(i),
        big: big[i] === null ? null : BigInt(big[i]!),
        int: int[i],
        small: small[i],
        tiny: tiny[i],
        d: d[i],
        f: f[i],
        b: b[i],
      });
  });

  it('round-trips timestamps given as epoch millis, bigint micros, Dates and ISO strings', async () => {
    const t = await newTable();
    await t.create({
      schema: struct(field('i', 'integer'), field('ts', 'timestamp'), field('local', 'timestamp_ntz')),
    });
    const base = Date.UTC(2026, 10, 29, 8, 58, 17, 953);
    const micros = (i: number) => BigInt(base) * 1000n + BigInt(i * 1_000_003);
    const ts = rowsOf(COUNT).map((i) => (i % 17 === 0 ? null : i % 2 ? base + i * 1_000 : micros(i)));
    // A Date, a string with microseconds and a pre-1970 millis value among the numbers.
    const local = rowsOf(COUNT).map((i) =>
      i === 100 ? new Date(base) : i === 101 ? '2026-11-29T08:58:17.123456Z' : i === 102 ? -1 : base - i,
    );
    await t.write({ columns: { i: rowsOf(COUNT), ts, local }, rowCount: COUNT });
    const scan = await t.scanSql(await t.latest());
    const connection = await ws.duck.connect();
    const rows = (
      await connection.runAndReadAll(
        `SELECT i, epoch_us(ts) AS ts, epoch_us(local) AS local FROM (${scan}) ORDER BY i`,
      )
    ).getRowObjects();
    connection.closeSync();
    const expectedLocal = (i: number): bigint =>
      i === 100
        ? BigInt(base) * 1000n
        : i === 101
          ? BigInt(Date.UTC(2026, 10, 29, 8, 58, 17)) * 1000n + 123_456n
          : BigInt(local[i] as number) * 1000n;
    for (let i = 0; i < COUNT; i++) {
      const v = ts[i];
      expect(rows[i]).toEqual({
        i,
        ts: v === null ? null : typeof v === 'bigint' ? v : BigInt(v!) * 1000n,
        local: expectedLocal(i),
      });
    }
  });

  it('converts values of other types the generic way and names a value that does not fit', async () => {
    const t = await newTable();
    await t.create({ schema: struct(field('n', 'long'), field('x', 'double'), field('s', 'string')) });
    await t.write({
      columns: { n: ['12', 3, 4n], x: ['2.5', 1, null], s: [7, { a: 1 }, 'z'] },
      rowCount: 3,
    });
    expect(await t.readRows({ orderBy: 'n' })).toEqual([
      { n: 3n, x: 1, s: '{"a":1}' },
      { n: 4n, x: null, s: 'z' },
      { n: 12n, x: 2.5, s: '7' },
    ]);
    const bad = t.write({ columns: { n: [1, 2, 2.5], x: [1, 2, 3], s: ['a', 'b', 'c'] }, rowCount: 3 });
    await expect(bad).rejects.toThrow(LakehouseError);
    await expect(bad).rejects.toThrow(/row 2: column n cannot hold 2\.5/);
    expect(await t.readRows()).toHaveLength(3);
  });
});
