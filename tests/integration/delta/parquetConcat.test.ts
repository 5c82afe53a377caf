// concatParquetFiles on files DuckDB writes (several row groups each, a one-row file, dictionary
// pages and bloom filters, nested columns): the output reads back as the inputs read in order,
// row-group metadata and statistics carry over with offsets moved, pruning by statistics and
// bloom filters still works, and pyarrow (when the venv has it) reads the output too.
import { execFileSync } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { connectUtc, openDuckDb } from '@rt-lakehouse/kernel-helpers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concatParquetFiles, readParquetFooter } from '../../../kernel-helpers/src/delta/parquetConcat.js';
import {
  CompactType,
  encodeThriftStruct,
  getField,
  setField,
  type ThriftStruct,
  type ThriftValue,
} from '../../../kernel-helpers/src/delta/thriftCompact.js';
import { makeTempDir, removeDir } from '../../support/tempDir.js';
import { venvPython } from './deltaRsProcess.js';

const hasPyarrow = (() => {
  if (!existsSync(venvPython)) return false;
  try {
    execFileSync(venvPython, ['-c', 'import pyarrow.parquet'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Rows per input file: several row groups of 2,048, a single row, uneven tails. */
const FILE_ROWS = [5_000, 1, 3_000, 7_000];
/** The one row whose `cat` is 'rare': in the first row group of the third file only. */
const RARE_SEQ = 5_001 + 100;

let dir: string;
let instance: DuckDBInstance;
let db: DuckDBConnection;
let inputs: string[];
let output: string;
let concatResult: { rows: number; size: number; rowGroups: number };

const sqlString = (s: string) => `'${s.replaceAll("'", "''")}'`;
const inputsSql = () => `read_parquet([${inputs.map(sqlString).join(', ')}])`;

async function rows(sql: string): Promise<Record<string, unknown>[]> {
  return (await db.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
}

async function single(sql: string): Promise<unknown> {
  return Object.values((await rows(sql))[0]!)[0];
}

function python(script: string, ...args: string[]): unknown {
  return JSON.parse(
    execFileSync(venvPython, ['-c', script, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }),
  );
}

const structs = (v: ThriftValue | undefined) => (v as { elements: ThriftStruct[] }).elements;

/** The RowGroup structs of a decoded FileMetaData. */
const rowGroupsOf = (metadata: ThriftStruct) => structs(getField(metadata, 4)?.value);

/** The ColumnChunk structs of a decoded FileMetaData, row group by row group. */
const columnChunks = (metadata: ThriftStruct) =>
  rowGroupsOf(metadata).flatMap((g) => structs(getField(g, 1)?.value));

beforeAll(async () => {
  dir = await makeTempDir('rtl-concat-');
  instance = await openDuckDb();
  db = await connectUtc(instance);
  await db.run(`CREATE TABLE src AS SELECT
      seq::BIGINT AS seq,
      CASE WHEN seq = ${RARE_SEQ} THEN 'rare' WHEN seq % 11 = 0 THEN NULL ELSE 'cat-' || (seq % 5) END AS cat,
      repeat('a long and often repeated text ', 12) || (seq % 9) AS txt,
      CASE WHEN seq % 13 = 0 THEN NULL ELSE md5(seq::VARCHAR) || repeat('z', (seq % 40)::INTEGER) END AS u,
      (seq % 1000)::INTEGER - 500 AS i,
      seq * 1000003 - 4611686018427387904 AS b,
      CASE WHEN seq % 7 = 0 THEN NULL ELSE seq / 3.0 END AS d,
      CASE WHEN seq % 3 = 0 THEN NULL ELSE seq % 2 = 0 END AS flag,
      TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_microseconds(seq * 1234567) AS ts,
      CASE WHEN seq % 6 = 0 THEN NULL ELSE list_transform(range(seq % 4), x -> 'e' || x) END AS tags,
      {'a': (seq % 100)::INTEGER, 'b': CASE WHEN seq % 4 = 0 THEN NULL ELSE 'b' || (seq % 3) END} AS st
    FROM range(${FILE_ROWS.reduce((a, b) => a + b)}) t(seq)`);
  inputs = [];
  let start = 0;
  for (const [k, count] of FILE_ROWS.entries()) {
    const file = path.join(dir, `in-${k}.parquet`);
    await db.run(
      `COPY (SELECT * FROM src WHERE seq >= ${start} AND seq < ${start + count} ORDER BY seq)
        TO ${sqlString(file)} (FORMAT parquet, ROW_GROUP_SIZE 2048)`,
    );
    inputs.push(file);
    start += count;
  }
  output = path.join(dir, 'out.parquet');
  concatResult = await concatParquetFiles(inputs, output);
});

afterAll(async () => {
  db?.closeSync();
  instance?.closeSync();
  await removeDir(dir);
});

describe('concatParquetFiles', () => {
  it('reads back exactly the rows of the inputs, in their order', async () => {
    const total = FILE_ROWS.reduce((a, b) => a + b);
    expect(await single(`SELECT count(*) FROM ${sqlString(output)}`)).toBe(String(total));
    const out = sqlString(output);
    expect(await single(`SELECT count(*) FROM (FROM ${out} EXCEPT ALL FROM ${inputsSql()})`)).toBe('0');
    expect(await single(`SELECT count(*) FROM (FROM ${inputsSql()} EXCEPT ALL FROM ${out})`)).toBe('0');
    // seq numbers the rows of the inputs read in order, and is unique.
    expect(
      await single(
        `SELECT count(*) FROM read_parquet(${out}, file_row_number = true) WHERE seq <> file_row_number`,
      ),
    ).toBe('0');
    expect(concatResult).toEqual({
      rows: total,
      size: (await fs.stat(output)).size,
      rowGroups: concatResult.rowGroups,
    });
  });

  it('lists every input row group, statistics unchanged and offsets moved by where its bytes went', async () => {
    const columns = `row_group_num_rows, column_id, file_offset, index_page_offset, path_in_schema, type, stats_min, stats_max, stats_null_count,
      stats_min_value, stats_max_value, num_values, total_compressed_size, total_uncompressed_size, encodings,
      compression, data_page_offset, dictionary_page_offset, bloom_filter_offset, bloom_filter_length`;
    const meta = (file: string) =>
      rows(
        `SELECT row_group_id, ${columns} FROM parquet_metadata(${sqlString(file)}) ORDER BY row_group_id, column_id`,
      );
    const expected: Record<string, unknown>[] = [];
    let groupsBefore = 0;
    let shift = 0;
    for (const file of inputs) {
      const bytes = await fs.readFile(file);
      const dataLength = bytes.length - 8 - bytes.readUInt32LE(bytes.length - 8) - 4;
      const groups = await meta(file);
      for (const row of groups) {
        const moved: Record<string, unknown> = {
          ...row,
          row_group_id: String(Number(row['row_group_id']) + groupsBefore),
        };
        for (const key of ['data_page_offset', 'dictionary_page_offset', 'bloom_filter_offset'])
          if (row[key] !== null) moved[key] = String(Number(row[key]) + shift);
        // DuckDB leaves ColumnChunk.file_offset at 0 ("not set"); 0 must stay 0.
        expect(row['file_offset']).toBe('0');
        expected.push(moved);
      }
      groupsBefore += new Set(groups.map((g) => g['row_group_id'])).size;
      shift += dataLength;
    }
    expect(groupsBefore).toBeGreaterThan(FILE_ROWS.length); // several row groups per file
    expect(await meta(output)).toEqual(expected);
    expect(concatResult.rowGroups).toBe(groupsBefore);
    expect(
      expected.some((r) => r['dictionary_page_offset'] !== null && r['bloom_filter_offset'] !== null),
    ).toBe(true);

    const footer = await readParquetFooter(output);
    const inputFooters = await Promise.all(inputs.map(readParquetFooter));
    expect(footer.rows).toBe(FILE_ROWS.reduce((a, b) => a + b));
    expect(footer.rowGroupRows).toEqual(inputFooters.flatMap((f) => f.rowGroupRows));
    expect(inputFooters.map((f) => f.rows)).toEqual(FILE_ROWS);
    expect(new Set([footer, ...inputFooters].map((f) => f.schemaKey)).size).toBe(1);
    // RowGroup.file_offset (not in parquet_metadata): moved like the page offsets.
    let before = 0;
    const expectedFileOffsets = inputFooters.flatMap((f) => {
      const moved = rowGroupsOf(f.metadata).map((g) => (getField(g, 5)!.value as bigint) + BigInt(before));
      before += f.size - 8 - f.footerLength - 4;
      return moved;
    });
    expect(rowGroupsOf(footer.metadata).map((g) => getField(g, 5)?.value)).toEqual(expectedFileOffsets);
  });

  it.each([
    ['an int', 'i = 123'],
    ['a dictionary string and a range', `cat = 'cat-3' AND seq > 12000`],
    [
      'a timestamp range',
      `ts BETWEEN TIMESTAMPTZ '2024-01-01 02:00:00+00' AND TIMESTAMPTZ '2024-01-01 02:10:00+00'`,
    ],
    ['the one-row file', 'seq = 5000'],
    ['nulls and doubles', 'u IS NULL AND d > 3000'],
    ['struct and list members', `st.a = 43 AND list_contains(tags, 'e2')`],
    ['a big bigint', `b = ${14_000n * 1000003n - 4611686018427387904n}`],
    ['a boolean', 'flag AND seq BETWEEN 9000 AND 9100'],
  ])('filters on %s as the inputs do', async (_, where) => {
    const query = (from: string) => rows(`SELECT * FROM ${from} WHERE ${where} ORDER BY seq`);
    const expected = await query(inputsSql());
    expect(expected.length).toBeGreaterThan(0);
    expect(await query(sqlString(output))).toEqual(expected);
  });

  it('keeps bloom filters working: the same probes and the right rows for a point query', async () => {
    const bloomColumns = await rows(
      `SELECT DISTINCT path_in_schema FROM parquet_metadata(${sqlString(inputs[0]!)}) WHERE bloom_filter_offset IS NOT NULL ORDER BY 1`,
    );
    expect(bloomColumns.map((r) => r['path_in_schema'])).toContain('cat');
    const probe = (file: string) =>
      rows(
        `SELECT bloom_filter_excludes FROM parquet_bloom_probe(${sqlString(file)}, 'cat', 'rare') ORDER BY row_group_id`,
      );
    const expected = (await Promise.all(inputs.map(probe))).flat();
    expect(expected.filter((r) => r['bloom_filter_excludes'] === false).length).toBeGreaterThan(0);
    expect(expected.filter((r) => r['bloom_filter_excludes'] === true).length).toBeGreaterThan(0);
    expect(await probe(output)).toEqual(expected);
    expect(await rows(`SELECT seq, cat FROM ${sqlString(output)} WHERE cat = 'rare'`)).toEqual([
      { seq: String(RARE_SEQ), cat: 'rare' },
    ]);
  });

  it.skipIf(!hasPyarrow)('writes a file pyarrow reads as the same rows', async () => {
    const read = python(
      `import json, sys, pyarrow.parquet as pq
f = pq.ParquetFile(sys.argv[1])
t = f.read()
print(json.dumps({"rows": t.num_rows, "groups": f.metadata.num_row_groups,
  "seq": [str(v) for v in t.column("seq").to_pylist()], "b": [str(v) for v in t.column("b").to_pylist()],
  "cat": t.column("cat").to_pylist(), "u": t.column("u").to_pylist(), "i": t.column("i").to_pylist(),
  "tags": t.column("tags").to_pylist(), "st": t.column("st").to_pylist()}))`,
      output,
    ) as Record<string, unknown[]>;
    const expected = await rows(`SELECT seq, b, cat, u, i, tags, st FROM ${inputsSql()}`);
    expect(read['rows']).toBe(expected.length);
    expect(read['groups']).toBe(concatResult.rowGroups);
    for (const column of ['seq', 'b', 'cat', 'u', 'i', 'tags', 'st'])
      expect(read[column], column).toEqual(expected.map((r) => r[column]));
  });

  it.skipIf(!hasPyarrow)(
    'drops page index references of inputs that have them (pyarrow-written)',
    async () => {
      const written = [path.join(dir, 'pa-0.parquet'), path.join(dir, 'pa-1.parquet')];
      python(
        `import json, sys, pyarrow as pa, pyarrow.parquet as pq
for k, p in enumerate(sys.argv[1:]):
    n = 3000 + k * 500
    t = pa.table({"k": list(range(k * 10000, k * 10000 + n)), "s": ["v%d" % (i % 17) for i in range(n)]})
    pq.write_table(t, p, row_group_size=1000, write_page_index=True)
print("null")`,
        ...written,
      );
      const paOutput = path.join(dir, 'pa-out.parquet');
      await concatParquetFiles(written, paOutput);
      const pageIndexFields = (chunk: ThriftStruct) =>
        chunk.fields.filter((f) => f.id >= 4 && f.id <= 7).length;
      const inputChunks = (await Promise.all(written.map(readParquetFooter))).flatMap((f) =>
        columnChunks(f.metadata),
      );
      expect(inputChunks.every((c) => pageIndexFields(c) === 4)).toBe(true);
      const outputChunks = columnChunks((await readParquetFooter(paOutput)).metadata);
      expect(outputChunks).toHaveLength(inputChunks.length);
      expect(outputChunks.map(pageIndexFields)).toEqual(outputChunks.map(() => 0));

      const read = python(
        `import json, sys, pyarrow.parquet as pq
t = pq.read_table(sys.argv[1], filters=[("k", ">=", 10000)])
print(json.dumps({"k": t.column("k").to_pylist(), "s": t.column("s").to_pylist()}))`,
        paOutput,
      ) as { k: number[]; s: string[] };
      expect(read.k).toEqual(Array.from({ length: 3500 }, (_, i) => 10000 + i));
      expect(read.s).toEqual(Array.from({ length: 3500 }, (_, i) => `v${i % 17}`));
      expect(await single(`SELECT count(*) FROM ${sqlString(paOutput)} WHERE s = 'v3'`)).toBe(
        await single(
          `SELECT count(*) FROM read_parquet([${written.map(sqlString).join(', ')}]) WHERE s = 'v3'`,
        ),
      );
    },
  );

  it('renumbers row group ordinals when the inputs carry them', async () => {
    // Neither DuckDB nor pyarrow writes RowGroup.ordinal: add it to copies of two inputs.
    const withOrdinals = [inputs[0]!, inputs[3]!].map((file) =>
      path.join(dir, `ordinal-${path.basename(file)}`),
    );
    for (const [k, file] of [inputs[0]!, inputs[3]!].entries()) {
      const bytes = await fs.readFile(file);
      const { metadata, footerLength } = await readParquetFooter(file);
      for (const [i, group] of rowGroupsOf(metadata).entries()) setField(group, 7, CompactType.I16, i);
      const footer = encodeThriftStruct(metadata);
      const tail = Buffer.alloc(8);
      tail.writeUInt32LE(footer.length);
      tail.write('PAR1', 4);
      await fs.writeFile(
        withOrdinals[k]!,
        Buffer.concat([bytes.subarray(0, bytes.length - 8 - footerLength), footer, tail]),
      );
    }
    const ordinalOutput = path.join(dir, 'ordinal-out.parquet');
    const { rowGroups } = await concatParquetFiles(withOrdinals, ordinalOutput);
    const { metadata } = await readParquetFooter(ordinalOutput);
    expect(rowGroupsOf(metadata).map((g) => getField(g, 7)?.value)).toEqual(
      Array.from({ length: rowGroups }, (_, i) => i),
    );
    expect(await single(`SELECT sum(seq) FROM ${sqlString(ordinalOutput)}`)).toBe(
      await single(`SELECT sum(seq) FROM read_parquet([${withOrdinals.map(sqlString).join(', ')}])`),
    );
  });

  describe('refuses', () => {
    it('inputs of another schema, naming the file', async () => {
      const other = path.join(dir, 'other-schema.parquet');
      await db.run(
        `COPY (SELECT * REPLACE (i::BIGINT AS i) FROM src WHERE seq < 10) TO ${sqlString(other)} (FORMAT parquet)`,
      );
      const target = path.join(dir, 'mismatch.parquet');
      await expect(concatParquetFiles([inputs[0]!, other], target)).rejects.toThrow(
        `parquet file ${other} has a different schema than ${inputs[0]}`,
      );
      expect(existsSync(target)).toBe(false);
    });

    it('an empty input list', async () => {
      await expect(concatParquetFiles([], path.join(dir, 'none.parquet'))).rejects.toThrow(
        'concatParquetFiles needs at least one input',
      );
    });

    it('an output that is also an input', async () => {
      await expect(concatParquetFiles([inputs[0]!, inputs[1]!], inputs[1]!)).rejects.toThrow(
        'is also an input',
      );
    });

    it.each([
      ['a text file', Buffer.from('this is not a parquet file at all'), 'no PAR1 magic: not a parquet file'],
      ['a tiny file', Buffer.from('PAR1'), '4 bytes is too short for parquet'],
      [
        'an encrypted footer',
        Buffer.from('PARE-ciphertext-\x05\x00\x00\x00PARE', 'latin1'),
        'encrypted footers (PARE)',
      ],
      [
        'a footer longer than the file',
        Buffer.from('PAR1data\xff\x00\x00\x00PAR1', 'latin1'),
        'footer length 255 does not fit',
      ],
      [
        'a corrupt footer',
        Buffer.from('PAR1data\x1c\x1c\x03\x00\x00\x00PAR1', 'latin1'),
        'corrupt footer: truncated thrift',
      ],
    ])('%s', async (name, bytes, message) => {
      const bad = path.join(dir, `${name.replaceAll(' ', '-')}.parquet`);
      await fs.writeFile(bad, bytes);
      await expect(readParquetFooter(bad)).rejects.toThrow(`parquet file ${bad}: ${message}`);
      await expect(concatParquetFiles([inputs[0]!, bad], path.join(dir, 'bad-out.parquet'))).rejects.toThrow(
        message,
      );
    });
  });
});
