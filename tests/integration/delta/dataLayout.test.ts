// A table's data layout (rtlakehouse.sortBy, rtlakehouse.parquet.rowGroupRows) in the parquet
// files it writes: appends and OPTIMIZE write files sorted by the columns in row groups of the
// given size, read back through parquet_metadata; a bad layout is refused before anything is
// written; the rows themselves are unchanged.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeltaTable, field, struct } from '@rt-lakehouse/kernel-helpers';
import { describe, expect, it } from 'vitest';
import { deltaWorkspace } from '../../support/deltaWorkspace.js';

const ws = deltaWorkspace();
let n = 0;
const newTable = async () => DeltaTable.forPath(path.join(ws.dir, `t${++n}`), { duck: ws.duck });
const schema = struct(field('id', 'long'), field('kind', 'string'), field('ts', 'timestamp'));
const LAYOUT = { 'rtlakehouse.sortBy': 'kind,ts', 'rtlakehouse.parquet.rowGroupRows': '4096' };
// 10,000 rows in id order; kind cycles a, b, c, d with 'rare' on every 500th row; ts falls with id.
const rowsSql = (from: number, to: number) =>
  `SELECT range AS id, CASE WHEN range % 500 = 0 THEN 'rare' ELSE ['a','b','c','d'][(range % 4) + 1] END AS kind,
          TIMESTAMPTZ '2024-01-01 00:00:00+00' - to_seconds(range) AS ts FROM range(${from}, ${to})`;

async function query(sql: string): Promise<Record<string, unknown>[]> {
  const c = await ws.duck.connect();
  try {
    return (await c.runAndReadAll(sql)).getRowObjects();
  } finally {
    c.closeSync();
  }
}

/** Per file: the rows of each row group and the (kind, ts) pairs in file order. */
async function filesOf(t: DeltaTable) {
  const out: { rowGroups: number[]; rows: [string, number][]; rareGroups: number }[] = [];
  for (const f of (await t.latest()).files()) {
    const file = f.url.startsWith('file:') ? fileURLToPath(f.url) : f.url;
    const groups = (await query(
      `SELECT row_group_id, any_value(row_group_num_rows) AS n,
              bool_or(path_in_schema = 'kind' AND stats_min <= 'rare' AND stats_max >= 'rare') AS rare
       FROM parquet_metadata('${file}') GROUP BY 1 ORDER BY 1`,
    )) as unknown as { n: bigint; rare: boolean }[];
    const rows = (await query(
      `SELECT kind, epoch(ts)::BIGINT AS t FROM read_parquet('${file}')`,
    )) as unknown as { kind: string; t: bigint }[];
    out.push({
      rowGroups: groups.map((g) => Number(g.n)),
      rows: rows.map((r) => [r.kind, Number(r.t)]),
      rareGroups: groups.filter((g) => g.rare).length,
    });
  }
  return out;
}

const sortedByKindThenTs = (rows: [string, number][]) =>
  rows.every(
    ([k, t], i) => i === 0 || rows[i - 1]![0] < k || (rows[i - 1]![0] === k && rows[i - 1]![1] <= t),
  );

describe('data layout', () => {
  it('writes each file sorted by rtlakehouse.sortBy in row groups of rtlakehouse.parquet.rowGroupRows', async () => {
    const t = await newTable();
    await t.create({ schema, properties: LAYOUT });
    await t.write({ sql: rowsSql(0, 10_000) });
    const [file, ...others] = await filesOf(t);
    expect(others).toEqual([]);
    expect(file!.rowGroups).toEqual([4096, 4096, 1808]);
    expect(file!.rows).toHaveLength(10_000);
    expect(sortedByKindThenTs(file!.rows)).toBe(true);
    // The 20 'rare' rows sit together at the end: one row group's statistics admit 'rare'.
    expect(file!.rareGroups).toBe(1);
    expect(
      Number(
        (
          await query(`SELECT count(*) AS c FROM (${await t.scanSql(await t.latest())}) WHERE kind = 'rare'`)
        )[0]!['c'],
      ),
    ).toBe(20);
  });

  it('keeps the layout through OPTIMIZE and leaves a table without it in insertion order', async () => {
    const t = await newTable();
    await t.create({ schema, properties: LAYOUT });
    for (let i = 0; i < 4; i++) await t.write({ sql: rowsSql(i * 2_500, (i + 1) * 2_500) });
    expect((await t.latest()).numFiles).toBe(4);
    const result = await t.optimize();
    expect(result).toMatchObject({ filesRemoved: 4, filesAdded: 1 });
    const [file] = await filesOf(t);
    expect(file!.rows).toHaveLength(10_000);
    expect(sortedByKindThenTs(file!.rows)).toBe(true);
    expect(file!.rowGroups).toEqual([4096, 4096, 1808]);

    const plain = await newTable();
    await plain.create({ schema });
    await plain.write({ sql: `${rowsSql(0, 10_000)} ORDER BY id` });
    const [unsorted] = await filesOf(plain);
    expect(sortedByKindThenTs(unsorted!.rows)).toBe(false);
    expect(unsorted!.rows.slice(0, 3).map(([k]) => k)).toEqual(['rare', 'b', 'c']);
    expect(unsorted!.rowGroups).toEqual([10_000]);
  });

  it('refuses a layout naming a missing column or a bad row-group size, writing nothing', async () => {
    const missing = await newTable();
    await expect(
      missing.create({ schema, properties: { 'rtlakehouse.sortBy': 'kind,nope' } }),
    ).rejects.toThrow(/rtlakehouse.sortBy = 'kind,nope': no column 'nope' \(columns: id, kind, ts\)/);
    expect(await missing.exists()).toBe(false);
    const tiny = await newTable();
    await expect(
      tiny.create({ schema, properties: { 'rtlakehouse.parquet.rowGroupRows': '10' } }),
    ).rejects.toMatchObject({ code: 'DELTA_INVALID_LAYOUT' });
    expect(await tiny.exists()).toBe(false);
  });
});
