// OPTIMIZE joins the row groups of files whose row groups are large enough, without decoding
// them, and rewrites the rest: the table holds the same rows, the joined file keeps each input's
// row groups and statistics, its Delta stats are the inputs' combined, a single-column sort
// layout orders the joined row groups, and a layout sorted by several columns is rewritten.
import path from 'node:path';
import { DeltaTable, field, struct } from '@rt-lakehouse/kernel-helpers';
import { describe, expect, it } from 'vitest';
import { deltaWorkspace } from '../../support/deltaWorkspace.js';

const ws = deltaWorkspace();
let n = 0;
const newTable = async () => DeltaTable.forPath(path.join(ws.dir, `t${++n}`), { duck: ws.duck });
const schema = struct(
  field('id', 'long'),
  field('kind', 'string'),
  field('ts', 'timestamp'),
  field('note', 'string'),
);
// Rows from..to: kind cycles a, b, c; ts one second per id after `base` seconds; note is null on every 7th.
const rowsSql = (from: number, to: number, base = 0) =>
  `SELECT range AS id, ['a','b','c'][(range % 3) + 1] AS kind,
          TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_seconds(${base} + range) AS ts,
          CASE WHEN range % 7 = 0 THEN NULL ELSE 'note-' || range END AS note FROM range(${from}, ${to})`;

async function query(sql: string): Promise<Record<string, unknown>[]> {
  const c = await ws.duck.connect();
  try {
    return (await c.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    c.closeSync();
  }
}

const rowsOf = async (t: DeltaTable) =>
  query(`SELECT id, kind, ts::VARCHAR AS ts, note FROM (${await t.scanSql(await t.latest())}) ORDER BY id`);

/** Row counts of each row group of a data file, and their ts statistics. */
const rowGroupsOf = async (file: string) =>
  (await query(
    `SELECT row_group_id, any_value(row_group_num_rows) AS n, any_value(stats_min) FILTER (path_in_schema = 'ts') AS min_ts
     FROM parquet_metadata('${file}') GROUP BY 1 ORDER BY 1`,
  )) as { n: string; min_ts: string }[];

describe('OPTIMIZE joining row groups', () => {
  it('joins files of large row groups as they are and combines their stats', async () => {
    const t = await newTable();
    await t.create({ schema });
    const sizes = [3000, 2500, 4100, 2048];
    let from = 0;
    for (const size of sizes) {
      await t.write({ sql: `${rowsSql(from, from + size)} ORDER BY id` });
      from += size;
    }
    const before = await rowsOf(t);
    const inputs = await Promise.all((await t.latest()).files().map((f) => rowGroupsOf(f.url)));

    const result = await t.optimize();
    expect(result).toMatchObject({
      filesRemoved: 4,
      filesAdded: 1,
      filesConcatenated: 4,
      partitionsOptimized: 1,
    });
    const snapshot = await t.latest();
    const [joined, ...others] = snapshot.files();
    expect(others).toEqual([]);
    // Row groups and their statistics as they were, in commit order.
    expect(await rowGroupsOf(joined!.url)).toEqual(
      inputs.flat().map((g, i) => ({ ...g, row_group_id: String(i) })),
    );
    // The rows in the file are the inputs' in commit order.
    const ids = await query(`SELECT id FROM read_parquet('${joined!.url}')`);
    expect(ids.map((r) => Number(r['id']))).toEqual(Array.from({ length: from }, (_, i) => i));
    expect(await rowsOf(t)).toEqual(before);
    expect(JSON.parse(joined!.add.stats!)).toEqual({
      numRecords: from,
      minValues: { id: 0, kind: 'a', ts: '2024-01-01T00:00:00.000Z', note: 'note-1' },
      maxValues: {
        id: from - 1,
        kind: 'c',
        ts: new Date(Date.UTC(2024, 0, 1) + (from - 1) * 1000).toISOString(),
        note: 'note-9999',
      },
      nullCount: { id: 0, kind: 0, ts: 0, note: Math.ceil(from / 7) },
    });
    expect(joined!.add.dataChange).toBe(false);
    const commit = (await t.history()).find((h) => h.operation === 'OPTIMIZE');
    expect(commit?.operationMetrics).toMatchObject({
      numRemovedFiles: '4',
      numAddedFiles: '1',
      numConcatenatedFiles: '4',
    });
  });

  it('rewrites files of small row groups, joins the others, and rewrites all with concatMinRowGroupRows 0', async () => {
    const t = await newTable();
    await t.create({ schema });
    for (const [a, b] of [
      [0, 3000],
      [3000, 3100],
      [3100, 6100],
      [6100, 6150],
      [6150, 9000],
    ] as const)
      await t.write({ sql: `${rowsSql(a, b)} ORDER BY id` });
    const before = await rowsOf(t);
    expect(await t.optimize()).toMatchObject({ filesRemoved: 5, filesAdded: 2, filesConcatenated: 3 });
    expect(await rowsOf(t)).toEqual(before);
    const groups = await Promise.all((await t.latest()).files().map((f) => rowGroupsOf(f.url)));
    expect(groups.map((g) => g.map((x) => Number(x.n))).sort()).toEqual([[150], [3000, 3000, 2850]]);

    const all = await newTable();
    await all.create({ schema });
    for (const [a, b] of [
      [0, 3000],
      [3000, 6000],
    ] as const)
      await all.write({ sql: rowsSql(a, b) });
    expect(await all.optimize({ concatMinRowGroupRows: 0 })).toMatchObject({
      filesAdded: 1,
      filesConcatenated: 0,
    });
    expect(await rowGroupsOf((await all.latest()).files()[0]!.url)).toHaveLength(1);
  });

  it('orders the joined row groups by the sort column, per partition, so statistics still skip', async () => {
    const t = await newTable();
    await t.create({
      schema,
      partitionColumns: ['kind'],
      properties: { 'rtlakehouse.sortBy': 'ts', 'rtlakehouse.parquet.rowGroupRows': '2048' },
    });
    // Out of time order: the second write's rows are the oldest, the third's the newest.
    await t.write({ sql: rowsSql(0, 9000, 7200) });
    await t.write({ sql: rowsSql(9000, 18000, -18000) });
    await t.write({ sql: rowsSql(18000, 27000, 3600) });
    const before = await rowsOf(t);
    expect((await t.latest()).numFiles).toBe(9);
    expect(await t.optimize()).toMatchObject({
      filesRemoved: 9,
      filesAdded: 3,
      filesConcatenated: 9,
      partitionsOptimized: 3,
    });
    expect(await rowsOf(t)).toEqual(before);
    for (const f of (await t.latest()).files()) {
      const groups = await rowGroupsOf(f.url);
      expect(groups.length).toBeGreaterThan(3);
      const mins = groups.map((g) => g.min_ts);
      expect(mins).toEqual([...mins].sort());
      const ts = (await query(`SELECT ts::VARCHAR AS ts FROM read_parquet('${f.url}')`)).map((r) =>
        String(r['ts']),
      );
      expect(ts).toEqual([...ts].sort());
    }
  });

  it('rewrites a layout sorted by several columns, which joining could not keep', async () => {
    const t = await newTable();
    await t.create({
      schema,
      properties: { 'rtlakehouse.sortBy': 'kind,ts', 'rtlakehouse.parquet.rowGroupRows': '2048' },
    });
    for (const [a, b] of [
      [0, 5000],
      [5000, 10000],
    ] as const)
      await t.write({ sql: rowsSql(a, b) });
    expect(await t.optimize()).toMatchObject({ filesRemoved: 2, filesAdded: 1, filesConcatenated: 0 });
    const kinds = (await query(`SELECT kind FROM read_parquet('${(await t.latest()).files()[0]!.url}')`)).map(
      (r) => r['kind'],
    );
    expect(kinds).toEqual([...kinds].sort());
  });
});
