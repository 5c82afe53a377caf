// The Delta table API end to end on a local folder: writes, reads, time travel, history,
// txn, checkpoints, OPTIMIZE and VACUUM, with exact row-level assertions.
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { DeltaTable, field, struct, where } from '@rt-lakehouse/kernel-helpers';
import { describe, expect, it } from 'vitest';
import { deltaWorkspace } from '../../support/deltaWorkspace.js';

const ws = deltaWorkspace();
let n = 0;
const newTable = async () => DeltaTable.forPath(path.join(ws.dir, `t${++n}`), { duck: ws.duck });
const ids = (rows: Record<string, unknown>[]) => rows.map((r) => Number(r['id'])).sort((a, b) => a - b);
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe('DeltaTable', () => {
  it('creates a table from a query, appends and reads every row back', async () => {
    const t = await newTable();
    const first = await t.write({
      sql: `SELECT range AS id, 'u' || range AS user_id, TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_seconds(range) AS ts FROM range(100)`,
    });
    expect(first.version).toBe(0);
    expect(first.snapshot.protocol).toMatchObject({ minReaderVersion: 1, minWriterVersion: 2 });
    expect(first.snapshot.schema.fields.map((f) => [f.name, f.type])).toEqual([
      ['id', 'long'],
      ['user_id', 'string'],
      ['ts', 'timestamp'],
    ]);
    const second = await t.write({
      rows: range(100, 150).map((i) => ({ id: i, user_id: `u${i}`, ts: new Date(Date.UTC(2024, 0, 2) + i) })),
    });
    expect(second.version).toBe(1);
    expect(second.rowsWritten).toBe(50);
    const rows = await t.readRows();
    expect(ids(rows)).toEqual(range(0, 150));
    const row = rows.find((r) => r['id'] === 120n)!;
    expect(row).toEqual({ id: 120n, user_id: 'u120', ts: new Date(Date.UTC(2024, 0, 2) + 120) });
    expect((await t.latest()).numRecords()).toBe(150);
  });

  it('records per-file statistics that match the data', async () => {
    const t = await newTable();
    await t.write({ sql: 'SELECT range AS id, range * 2.5 AS price FROM range(10, 20)' });
    const [file] = (await t.latest()).files();
    expect(JSON.parse(file!.add.stats!)).toEqual({
      numRecords: 10,
      minValues: { id: 10, price: 25 },
      maxValues: { id: 19, price: 47.5 },
      nullCount: { id: 0, price: 0 },
    });
  });

  it('overwrites, and travels back by version and by timestamp', async () => {
    const t = await newTable();
    await t.write({ sql: 'SELECT range AS id FROM range(10)' });
    const before = Date.now();
    await new Promise((r) => setTimeout(r, 20));
    await t.write({ sql: 'SELECT range AS id FROM range(100, 103)' }, { mode: 'overwrite' });
    expect(ids(await t.readRows())).toEqual([100, 101, 102]);
    expect(ids(await t.readRows({ snapshot: await t.snapshot({ version: 0 }) }))).toEqual(range(0, 10));
    expect((await t.snapshot({ timestamp: before })).version).toBe(0);
    expect((await t.snapshot({ timestamp: new Date() })).version).toBe(1);
    await expect(t.snapshot({ timestamp: '2000-01-01T00:00:00Z' })).rejects.toThrow(
      /is before the earliest available commit/,
    );
    await expect(t.snapshot({ version: 7 })).rejects.toThrow(
      /version does not exist: the log holds versions up to 1/,
    );
    const history = await t.history();
    expect(history.map((h) => [h.version, h.operation, h.operationParameters?.['mode']])).toEqual([
      [1, 'WRITE', 'Overwrite'],
      [0, 'CREATE TABLE AS SELECT', 'Append'],
    ]);
    expect(history[0]!.operationMetrics).toMatchObject({ numOutputRows: '3', numRemovedFiles: '1' });
  });

  it('replaces only the rows matching replaceWhere (gold windows), keeping the rest', async () => {
    const t = await newTable();
    const minute = (m: number) => `TIMESTAMPTZ '2024-01-01 00:00:00+00' + INTERVAL ${m} MINUTE`;
    await t.write({
      sql: `SELECT ${minute(0)} + INTERVAL (range) MINUTE AS window_start, 1::BIGINT AS n FROM range(20)`,
    });
    const from = new Date('2024-01-01T00:15:00Z');
    const res = await t.write(
      { sql: `SELECT ${minute(15)} + INTERVAL (range) MINUTE AS window_start, 2::BIGINT AS n FROM range(5)` },
      { mode: 'overwrite', replaceWhere: where.ge('window_start', from) },
    );
    expect(res.removedFiles).toBe(1);
    // The kept rows and the new ones are written together, in window order.
    expect(res.addedFiles).toBe(1);
    const rows = await t.readRows({ orderBy: 'window_start' });
    expect(rows).toHaveLength(20);
    expect(rows.map((r) => Number(r['n']))).toEqual([...Array(15).fill(1), ...Array(5).fill(2)]);
    // Replacing every row of the one file keeps none: no file of kept rows, even an empty one.
    await t.write(
      { sql: `SELECT ${minute(0)} + INTERVAL (range) MINUTE AS window_start, 3::BIGINT AS n FROM range(20)` },
      { mode: 'overwrite', replaceWhere: where.ge('window_start', new Date('2024-01-01T00:00:00Z')) },
    );
    const parquet = (await fs.readdir(t.store.root)).filter((f) => f.endsWith('.parquet'));
    expect(parquet).toHaveLength(3);
    expect((await t.latest()).files()).toHaveLength(1);
    expect((await t.readRows()).map((r) => Number(r['n']))).toEqual(Array(20).fill(3));
    // An overwrite with no rows empties the table; DuckDB's empty file is not left behind.
    const emptied = await t.write(
      { sql: `SELECT ${minute(0)} AS window_start, 1::BIGINT AS n WHERE false` },
      { mode: 'overwrite' },
    );
    expect(emptied).toMatchObject({ addedFiles: 0, removedFiles: 1, rowsWritten: 0 });
    expect((await fs.readdir(t.store.root)).filter((f) => f.endsWith('.parquet'))).toHaveLength(3);
    expect(await t.readRows()).toEqual([]);
    // New rows outside the predicate are refused.
    await expect(
      t.write(
        { sql: `SELECT ${minute(1)} AS window_start, 3::BIGINT AS n` },
        { mode: 'overwrite', replaceWhere: where.ge('window_start', from) },
      ),
    ).rejects.toThrow(/1 written rows do not match the replaceWhere predicate/);
    expect((await t.latest()).version).toBe(3);
  });

  it('evolves the schema with mergeSchema and refuses unknown columns without it', async () => {
    const t = await newTable();
    await t.write({ sql: 'SELECT 1::BIGINT AS id' });
    await expect(t.write({ sql: "SELECT 2::BIGINT AS id, 'DE' AS country" })).rejects.toThrow(
      "the source has column 'country' (string) that the table lacks; write with mergeSchema to add it",
    );
    await expect(t.write({ sql: "SELECT 'x' AS id" })).rejects.toThrow(
      "column 'id' is long in the table but string in the source",
    );
    await t.write({ sql: "SELECT 2::BIGINT AS id, 'DE' AS country" }, { mergeSchema: true });
    const rows = await t.readRows({ orderBy: 'id' });
    expect(rows).toEqual([
      { id: 1n, country: null },
      { id: 2n, country: 'DE' },
    ]);
    expect((await t.history(1))[0]!.isBlindAppend).toBe(false);
    // Row writes evolve the schema the same way, with types taken from the values.
    await expect(t.write({ rows: [{ id: 3n, device: 'mobile' }] })).rejects.toThrow(
      "the rows have column 'device' that the table lacks; write with mergeSchema to add it",
    );
    await t.write({ rows: [{ id: 3n, device: 'mobile', score: 0.5 }] }, { mergeSchema: true });
    expect((await t.latest()).schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
      'id:long',
      'country:string',
      'device:string',
      'score:double',
    ]);
    expect((await t.readRows({ orderBy: 'id' }))[2]).toEqual({
      id: 3n,
      country: null,
      device: 'mobile',
      score: 0.5,
    });
  });

  it('writes partitioned tables, with NULL partitions, and prunes by partition value', async () => {
    const t = await newTable();
    await t.write(
      {
        sql: "SELECT range AS id, CASE WHEN range % 3 = 0 THEN NULL WHEN range % 3 = 1 THEN 'DE' ELSE 'U/S' END AS country FROM range(9)",
      },
      { partitionBy: ['country'] },
    );
    const s = await t.latest();
    expect(s.partitionColumns).toEqual(['country']);
    expect(
      s
        .files()
        .map((f) => f.add.partitionValues)
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    ).toEqual([{ country: 'DE' }, { country: 'U/S' }, { country: null }]);
    expect(
      s
        .files()
        .map((f) => f.add.path)
        .sort()[0],
    ).toMatch(/^country=DE\/part-/);
    expect(ids(await t.readRows({ predicate: where.eq('country', 'DE') }))).toEqual([1, 4, 7]);
    expect(s.files(where.eq('country', 'DE'))).toHaveLength(1);
    expect(ids(await t.readRows({ predicate: where.isNull('country') }))).toEqual([0, 3, 6]);
    // Across partitions (a UNION ALL of scans) a count reads no column, only the footers' counts,
    // as one read_parquet does; the values still come out per row.
    const c = await ws.duck.connect();
    try {
      const sql = await t.scanSql(s);
      const plan = (await c.runAndReadAll(`EXPLAIN SELECT count(*) FROM (${sql})`)).getRows()[0]![1];
      expect(String(plan)).toContain('READ_PARQUET');
      expect(String(plan)).not.toContain('Projections');
      expect(Number((await c.runAndReadAll(`SELECT count(*) FROM (${sql})`)).getRows()[0]![0])).toBe(9);
      const columns = (await c.runAndReadAll(`SELECT * FROM (${sql}) LIMIT 0`)).columnNames();
      expect(columns).toEqual(['id', 'country']);
    } finally {
      c.closeSync();
    }
  });

  it('stores txn versions atomically with data and reads them back, also from a checkpoint', async () => {
    const t = await newTable();
    await t.create({ schema: struct(field('id', 'long')) });
    for (let i = 1; i < 12; i++)
      await t.write({ rows: [{ id: i }] }, { txns: [{ appId: 'bronze-topic-0', version: i * 100 }] });
    await t.whenIdle();
    expect(existsSync(path.join(t.store.root, '_delta_log/00000000000000000010.checkpoint.parquet'))).toBe(
      true,
    );
    expect(
      JSON.parse(await fs.readFile(path.join(t.store.root, '_delta_log/_last_checkpoint'), 'utf8')),
    ).toMatchObject({
      version: 10,
      numOfAddFiles: 10,
    });
    const fresh = await DeltaTable.forPath(t.store.root, { duck: ws.duck });
    const s = await fresh.latest();
    expect(s.version).toBe(11);
    expect(s.txn('bronze-topic-0')?.version).toBe(1100);
    expect(await fresh.txnVersion('bronze-topic-0')).toBe(1100);
    expect(await fresh.txnVersion('other')).toBeUndefined();
    expect((await fresh.snapshot({ version: 10 })).txn('bronze-topic-0')?.version).toBe(1000);
    expect(ids(await fresh.readRows())).toEqual(range(1, 12));
  });

  it('writes string columns beside other columns row for row, from columns and from rows', async () => {
    const t = await newTable();
    await t.create({
      schema: struct(
        field('n', 'long'),
        field('s', 'string'),
        field('ts', 'timestamp'),
        field('note', 'string'),
        field('x', 'double'),
      ),
    });
    const count = 5_000;
    const n = Array.from({ length: count }, (_, i) => i);
    // Strings with quotes, escapes, non-ASCII, a lone surrogate (stored as U+FFFD, as UTF-8
    // has it), empty strings, nulls, and values of other types (stored as text).
    const odd = ['say "hi"\n', 'naïve — ✓ 🚀', 'lone \ud800 end', '', null, { a: 1 }, 42, '\u0000 nul'];
    const s = n.map((i) => (i % 10 === 0 ? odd[(i / 10) % odd.length] : `s-${i}`));
    const ts = n.map((i) => Date.UTC(2026, 0, 1) + i * 1_000);
    await t.write({ columns: { n, s, ts, x: n.map((i) => i / 4) }, rowCount: count });
    await t.write({ rows: [{ n: count, s: 'row', note: 'only here' }, { n: count + 1 }] });
    const rows = await t.readRows({ orderBy: 'n' });
    expect(rows).toHaveLength(count + 2);
    const expected = (i: number) => {
      const v = s[i];
      if (v === null) return null;
      if (typeof v === 'object') return '{"a":1}';
      if (typeof v === 'number') return '42';
      return v === 'lone \ud800 end' ? 'lone \ufffd end' : v;
    };
    for (let i = 0; i < count; i++) {
      expect(rows[i]).toEqual({ n: BigInt(i), s: expected(i), ts: expect.any(Date), note: null, x: i / 4 });
      expect((rows[i]!['ts'] as Date).getTime()).toBe(ts[i]);
    }
    expect(rows[count]).toMatchObject({ n: BigInt(count), s: 'row', note: 'only here', ts: null, x: null });
    expect(rows[count + 1]).toMatchObject({ n: BigInt(count + 1), s: null, note: null });
    // Only string columns, and no rows at all.
    const u = await newTable();
    await u.create({ schema: struct(field('a', 'string'), field('b', 'string')) });
    await u.write({ columns: { a: ['x', 'y'], b: ['1', null] }, rowCount: 2 });
    await u.write({ columns: { a: [], b: [] }, rowCount: 0 });
    expect(await u.readRows({ orderBy: 'a' })).toEqual([
      { a: 'x', b: '1' },
      { a: 'y', b: null },
    ]);
  });

  it('compacts small files with OPTIMIZE (dataChange=false), keeping every row', async () => {
    const t = await newTable();
    for (let i = 0; i < 6; i++)
      await t.write({ sql: `SELECT range AS id FROM range(${i * 10}, ${i * 10 + 10})` });
    expect((await t.latest()).numFiles).toBe(6);
    const result = await t.optimize();
    expect(result).toMatchObject({ filesRemoved: 6, filesAdded: 1, partitionsOptimized: 1, version: 6 });
    const s = await t.latest();
    expect(s.numFiles).toBe(1);
    expect(ids(await t.readRows())).toEqual(range(0, 60));
    const commit = await t.log.readCommit(6);
    expect(
      commit
        .filter((a) => a.kind === 'add' || a.kind === 'remove')
        .every(
          (a) => (a.kind === 'add' ? a.add.dataChange : a.kind === 'remove' && a.remove.dataChange) === false,
        ),
    ).toBe(true);
    expect((await t.history(1))[0]!.operation).toBe('OPTIMIZE');
    expect(await t.optimize()).toMatchObject({ version: undefined, filesRemoved: 0 });
  });

  it('vacuums only files no version in the retention period needs', async () => {
    const t = await newTable();
    await t.write({ sql: 'SELECT range AS id FROM range(5)' });
    await t.write({ sql: 'SELECT range AS id FROM range(5, 10)' }, { mode: 'overwrite' });
    const stray = path.join(t.store.root, 'part-orphan.parquet');
    await fs.writeFile(stray, 'not referenced');
    await expect(t.vacuum({ retentionHours: 1 })).rejects.toThrow(
      /retention of 1 hours is under the table's 168 hours \(delta.deletedFileRetentionDuration\)/,
    );
    // Within the default retention nothing goes: the removed file still serves version 0.
    expect((await t.vacuum({ dryRun: true })).files).toEqual([]);
    const later = Date.now() + 200 * 3_600_000;
    const dry = await t.vacuum({ dryRun: true, now: later });
    expect(dry.files.sort()).toEqual(
      [path.basename((await t.snapshot({ version: 0 })).files()[0]!.url), 'part-orphan.parquet'].sort(),
    );
    const done = await t.vacuum({ now: later });
    expect(done.files.sort()).toEqual(dry.files.sort());
    expect(existsSync(stray)).toBe(false);
    expect(ids(await t.readRows())).toEqual(range(5, 10));
    for (const f of (await t.latest()).files()) expect(existsSync(f.url)).toBe(true);
  });

  it('creates empty tables and refuses a second create', async () => {
    const t = await newTable();
    const s = await t.create({ schema: struct(field('id', 'long'), field('ts', 'timestamp_ntz')) });
    expect(s.protocol).toEqual({
      minReaderVersion: 3,
      minWriterVersion: 7,
      readerFeatures: ['timestampNtz'],
      writerFeatures: ['timestampNtz'],
    });
    expect(await t.readRows()).toEqual([]);
    await expect(t.create({ schema: struct(field('id', 'long')) })).rejects.toThrow('table already exists');
    expect((await t.create({ schema: struct(field('id', 'long')), ifNotExists: true })).version).toBe(0);
  });
});
