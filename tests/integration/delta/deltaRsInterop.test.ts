// Interoperability with delta-rs (the `deltalake` Python package, an independent implementation):
// tables this project writes read identically in delta-rs, and tables delta-rs writes read
// identically here — same rows (exact multisets, canonical values), versions, live files,
// protocol, metadata and txn versions, at the latest version and by time travel.
// Needs .venv with requirements-test.txt: scripts/setup-python.sh.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  DuckDBBlobValue,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBListValue,
  DuckDBMapValue,
  DuckDBStructValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
} from '@duckdb/node-api';
import {
  type DataType,
  DeltaDuckDb,
  DeltaTable,
  field,
  isArrayType,
  isMapType,
  isStructType,
  type Snapshot,
  type StructType,
  struct,
  where,
} from '@rt-lakehouse/kernel-helpers/delta';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkDeltaRs, runDeltaRs } from './deltaRsProcess.js';

// ------------------------------------------------------------------ canonical values
// Both sides turn every value into the same JSON form (see deltars_helper.py): integers and
// decimals as exact strings, timestamps as ISO-8601 with microseconds, dates as YYYY-MM-DD,
// binary as hex, maps as [key, value] pairs sorted by key, structs as objects.

type Canon = null | boolean | number | string | Canon[] | { [key: string]: Canon };
type Row = Record<string, Canon>;

function formatMicros(micros: bigint, utc: boolean): string {
  const ms = micros >= 0n ? micros / 1000n : -((-micros + 999n) / 1000n);
  const iso = new Date(Number(ms)).toISOString();
  return `${iso.slice(0, -1)}${String(micros - ms * 1000n).padStart(3, '0')}${utc ? 'Z' : ''}`;
}

function formatUnscaled(unscaled: bigint, scale: number): string {
  const sign = unscaled < 0n ? '-' : '';
  const digits = (unscaled < 0n ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  return sign + (scale > 0 ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits);
}

const toHex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

function sortedPairs(pairs: [Canon, Canon][]): Canon[] {
  return pairs.sort((a, b) => (JSON.stringify(a[0]) < JSON.stringify(b[0]) ? -1 : 1));
}

/**
 * The canonical form of a value of Delta type `type`, as DuckDB returned it: raw DuckDB values
 * (`getRowObjects`, exact) or the JS values of `readRows` (`exact` false: DECIMAL arrives as a
 * JS number and timestamps as Date, i.e. milliseconds; see `lossy`).
 */
function canonical(value: unknown, type: DataType): Canon {
  if (value === null || value === undefined) return null;
  if (isStructType(type)) {
    const entries = (value instanceof DuckDBStructValue ? value.entries : value) as Record<string, unknown>;
    return Object.fromEntries(type.fields.map((f) => [f.name, canonical(entries[f.name], f.type)]));
  }
  if (isArrayType(type)) {
    const items = value instanceof DuckDBListValue ? value.items : (value as unknown[]);
    return items.map((v) => canonical(v, type.elementType));
  }
  if (isMapType(type)) {
    const entries =
      value instanceof DuckDBMapValue ? value.entries : (value as { key: unknown; value: unknown }[]);
    return sortedPairs(
      entries.map((e): [Canon, Canon] => [
        canonical(e.key, type.keyType),
        canonical(e.value, type.valueType),
      ]),
    );
  }
  switch (type) {
    case 'long':
    case 'integer':
    case 'short':
    case 'byte':
      return String(value);
    case 'float':
    case 'double':
    case 'boolean':
    case 'string':
      return value as Canon;
    case 'binary':
      return toHex(value instanceof DuckDBBlobValue ? value.bytes : (value as Uint8Array));
    case 'date':
      if (value instanceof DuckDBDateValue)
        return new Date(value.days * 86_400_000).toISOString().slice(0, 10);
      return (value as Date).toISOString().slice(0, 10);
    case 'timestamp':
      if (value instanceof DuckDBTimestampTZValue) return formatMicros(value.micros, true);
      return (value as Date).toISOString();
    case 'timestamp_ntz':
      if (value instanceof DuckDBTimestampValue) return formatMicros(value.micros, false);
      return (value as Date).toISOString().slice(0, -1);
    default:
      if (value instanceof DuckDBDecimalValue) return formatUnscaled(value.value, value.scale);
      return value as number; // readRows: DECIMAL as a JS number
  }
}

/**
 * A canonical value at readRows precision: decimals as numbers (15 significant digits),
 * timestamps to the millisecond.
 */
function lossy(value: Canon, type: DataType): Canon {
  if (value === null) return null;
  if (isStructType(type)) {
    const v = value as Record<string, Canon>;
    return Object.fromEntries(type.fields.map((f) => [f.name, lossy(v[f.name] ?? null, f.type)]));
  }
  if (isArrayType(type)) return (value as Canon[]).map((v) => lossy(v, type.elementType));
  if (isMapType(type))
    return (value as [Canon, Canon][]).map(([k, v]) => [lossy(k, type.keyType), lossy(v, type.valueType)]);
  if (type === 'timestamp') return `${(value as string).slice(0, 23)}Z`;
  if (type === 'timestamp_ntz') return (value as string).slice(0, 23);
  // DuckDB's DECIMAL to double conversion may round differently in the 17th digit.
  if (type.startsWith('decimal')) return Number(Number(value).toPrecision(15));
  return value;
}

/** JSON with object keys sorted, so that equal rows give equal strings. */
function stableJson(value: Canon): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  return `{${Object.keys(value)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${stableJson(value[k]!)}`)
    .join(',')}}`;
}

/** A row multiset in comparable form: rows as sorted-key JSON, sorted. */
const multiset = (rows: readonly Row[]) => rows.map(stableJson).sort();

/** Asserts equal row multisets, reporting only the rows that differ. */
function expectSameRows(actual: readonly Row[], expected: readonly Row[], label: string): void {
  const counts = new Map<string, number>();
  for (const r of multiset(expected)) counts.set(r, (counts.get(r) ?? 0) + 1);
  const unexpected: string[] = [];
  for (const r of multiset(actual)) {
    const n = counts.get(r) ?? 0;
    if (n === 0) unexpected.push(r);
    else counts.set(r, n - 1);
  }
  const missing = [...counts].flatMap(([r, n]) => Array<string>(n).fill(r));
  expect({ unexpected, missing }, `${label}: ${actual.length} rows vs ${expected.length}`).toEqual({
    unexpected: [],
    missing: [],
  });
}

// ------------------------------------------------------------------ both readers

interface DeltaRsFile {
  path: string;
  size: string;
  numRecords: string | null;
  partitionValues: Record<string, string | null>;
}

interface DeltaRsView {
  version: number;
  columns: string[];
  rows: Row[];
  files: DeltaRsFile[];
  protocol: {
    minReaderVersion: number;
    minWriterVersion: number;
    readerFeatures: string[] | null;
    writerFeatures: string[] | null;
  };
  metadata: {
    id: string;
    partitionColumns: string[];
    configuration: Record<string, string>;
    schema: StructType;
  };
  txns: Record<string, number | null>;
}

/** delta-rs's view of a table: latest, `DeltaTable(path, version=)`, or `load_as_version`. */
function deltaRsView(
  tablePath: string,
  options: { version?: number; loadAsVersion?: number; txnAppIds?: string[] } = {},
): Promise<DeltaRsView> {
  return runDeltaRs<DeltaRsView>({ command: 'inspect', path: tablePath, ...options });
}

let duck: DeltaDuckDb;

/** Our rows of a snapshot, exactly: the scan SQL read as raw DuckDB values. */
async function ourRows(table: DeltaTable, snapshot: Snapshot): Promise<Row[]> {
  const connection = await table.duck.connect();
  try {
    const reader = await connection.runAndReadAll(await table.scanSql(snapshot));
    return reader
      .getRowObjects()
      .map((r) =>
        Object.fromEntries(snapshot.schema.fields.map((f) => [f.name, canonical(r[f.name], f.type)])),
      );
  } finally {
    connection.closeSync();
  }
}

/** Our live files in delta-rs's shape (paths as written in the log). */
function ourFiles(snapshot: Snapshot): DeltaRsFile[] {
  return snapshot
    .files()
    .map((f) => ({
      path: f.add.path,
      size: String(f.add.size),
      numRecords: /"numRecords":(\d+)/.exec(f.add.stats ?? '')?.[1] ?? null,
      partitionValues: Object.fromEntries(
        snapshot.partitionColumns.map((c) => [c, f.add.partitionValues?.[c] ?? null]),
      ),
    }))
    .sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** Field names, types and nullability (what both sides must agree on; metadata may differ). */
const fieldsOf = (schema: StructType) =>
  JSON.parse(JSON.stringify(schema.fields.map(({ metadata: _m, ...f }) => f)));

/**
 * Asserts that delta-rs and this project see the same table at `version` (latest when omitted):
 * version, exact row multiset, live files, schema, partition columns, protocol, txns.
 * Returns the rows.
 */
async function expectSameTable(
  table: DeltaTable,
  version?: number,
  options: { txnAppIds?: string[]; loadAsVersion?: boolean } = {},
): Promise<Row[]> {
  const ours = await table.snapshot(version === undefined ? {} : { version });
  const theirs = await deltaRsView(table.store.root, {
    ...(version !== undefined && (options.loadAsVersion ? { loadAsVersion: version } : { version })),
    ...(options.txnAppIds ? { txnAppIds: options.txnAppIds } : {}),
  });
  const at = `version ${ours.version}`;
  expect(theirs.version, at).toBe(ours.version);
  const rows = await ourRows(table, ours);
  expectSameRows(rows, theirs.rows, `rows at ${at} (ours vs delta-rs)`);
  expect(theirs.columns, at).toEqual(ours.schema.fields.map((f) => f.name));
  expect(theirs.files, `files at ${at}`).toEqual(ourFiles(ours));
  expect(fieldsOf(theirs.metadata.schema), at).toEqual(fieldsOf(ours.schema));
  expect(theirs.metadata.id, at).toBe(ours.metadata.id);
  expect(theirs.metadata.partitionColumns, at).toEqual(ours.partitionColumns);
  expect(theirs.protocol.minReaderVersion, at).toBe(ours.protocol.minReaderVersion);
  expect(theirs.protocol.minWriterVersion, at).toBe(ours.protocol.minWriterVersion);
  expect([...(theirs.protocol.readerFeatures ?? [])].sort(), at).toEqual(
    [...(ours.protocol.readerFeatures ?? [])].sort(),
  );
  for (const appId of options.txnAppIds ?? [])
    expect(theirs.txns[appId] ?? null, `txn ${appId} at ${at}`).toBe(ours.txn(appId)?.version ?? null);
  return rows;
}

/** Asserts that `readRows` (the convenience API) returns delta-rs's rows at its precision. */
async function expectReadRowsMatch(table: DeltaTable, version: number): Promise<void> {
  const snapshot = await table.snapshot({ version });
  const theirs = await deltaRsView(table.store.root, { version });
  const types = snapshot.schema.fields;
  const convert = (row: Record<string, unknown>, fn: (v: unknown, t: DataType) => Canon): Row =>
    Object.fromEntries(types.map((f) => [f.name, fn(row[f.name], f.type)]));
  const ours = (await table.readRows({ snapshot })).map((r) =>
    convert(r, (v, t) => lossy(canonical(v, t), t)),
  );
  expectSameRows(
    ours,
    theirs.rows.map((r) => convert(r, (v, t) => lossy(v as Canon, t))),
    `readRows at version ${version} (ours vs delta-rs)`,
  );
}

// ------------------------------------------------------------------ test data

const MAP_TYPE = { type: 'map', keyType: 'string', valueType: 'long', valueContainsNull: true } as const;
const ARRAY_TYPE = { type: 'array', elementType: 'string', containsNull: true } as const;

/** Every primitive type (timestamp_ntz apart: it needs a table feature) and nested types. */
const wideSchema = struct(
  field('id', 'long'),
  field('name', 'string'),
  field('qty', 'integer'),
  field('small', 'short'),
  field('tiny', 'byte'),
  field('price', 'double'),
  field('ratio', 'float'),
  field('amount', 'decimal(18,4)'),
  field('big', 'decimal(38,10)'),
  field('ok', 'boolean'),
  field('ts', 'timestamp'),
  field('day', 'date'),
  field('payload', 'binary'),
  field('tags', ARRAY_TYPE),
  field('attrs', struct(field('k', 'string'), field('n', 'long'))),
  field('props', MAP_TYPE),
);

const BASE_MICROS = 1_709_999_999_999_999n; // 2024-03-09T15:59:59.999999Z

/** Row `i` of the wide schema, canonical (deterministic, with nulls and edge values). */
function wideRow(i: number, label = 'name'): Row {
  const n = BigInt(i);
  const byte = i & 0xff;
  return {
    id: String(i),
    name: i % 7 === 0 ? null : `${label}-${i}${i % 5 === 0 ? ' é✓' : ''}`,
    qty: String(i % 100),
    small: String(((i * 31) % 30_000) - 15_000),
    tiny: String((i % 256) - 128),
    price: i * 1.5 + 0.25,
    ratio: (i % 16) / 8,
    amount: formatUnscaled((i % 5 === 0 ? -1n : 1n) * (n * 10_007n + 3n), 4),
    big: formatUnscaled(n * 10n ** 33n + 123_456_789n, 10),
    ok: i % 3 === 0 ? null : i % 2 === 0,
    ts: i % 11 === 0 ? null : formatMicros(BASE_MICROS + n * 1_234_567_891n, true),
    day: new Date((19_000 + i) * 86_400_000).toISOString().slice(0, 10),
    payload: i % 8 === 0 ? null : toHex(new Uint8Array([byte, 0, 255 - byte])),
    tags: i % 4 === 0 ? null : [`t${i % 3}`, i % 2 === 0 ? null : 'x'],
    attrs: i % 9 === 0 ? null : { k: `k${i}`, n: i % 2 === 0 ? null : String(i * 1000) },
    props:
      i % 6 === 0
        ? null
        : sortedPairs([
            ['a', String(i)],
            ['b', null],
          ]),
  };
}

const wideRows = (from: number, to: number, label?: string) =>
  Array.from({ length: to - from }, (_, k) => wideRow(from + k, label));

/** A canonical row as the JS value our writer takes (`write({ rows })`). */
function writerValue(value: Canon, type: DataType): unknown {
  if (value === null) return null;
  if (type === 'binary') return Buffer.from(value as string, 'hex');
  if (isMapType(type)) return Object.fromEntries(value as [string, Canon][]);
  return value;
}
const writerRows = (rows: Row[], schema: StructType) =>
  rows.map((r) =>
    Object.fromEntries(schema.fields.map((f) => [f.name, writerValue(r[f.name] ?? null, f.type)])),
  );

/** The delta-rs write op for canonical rows of `schema`. */
function deltaRsWrite(schema: StructType, rows: Row[], options: Record<string, unknown> = {}) {
  return {
    op: 'write',
    columns: schema.fields.map((f) => ({ name: f.name, type: f.type })),
    rows,
    ...options,
  };
}

// ------------------------------------------------------------------ the tests

let root: string;
let tableCount = 0;
async function tableDir(name: string): Promise<string> {
  const dir = path.join(root, `${++tableCount}-${name}`);
  await fs.mkdir(dir, { recursive: true });
  return dir;
}

// Every test fails (never skips) when the venv is missing, with the command to run.
let deltaRsReady: Promise<unknown> | undefined;
beforeEach(async () => {
  deltaRsReady ??= checkDeltaRs();
  await deltaRsReady;
});

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'rtl-deltars-'));
  duck = await DeltaDuckDb.create();
});

afterAll(async () => {
  duck?.close();
  if (root && !process.env['KEEP_DELTARS_TABLES']) await fs.rm(root, { recursive: true, force: true });
});

describe('tables written by rt-lakehouse read identically in delta-rs', () => {
  it('appends, overwrite, replaceWhere, mergeSchema, txns, checkpoint and optimize, at every version', async () => {
    const dir = await tableDir('wide');
    const table = await DeltaTable.forPath(dir, { duck, name: 'wide' });
    const rows = (from: number, to: number, label?: string) =>
      writerRows(wideRows(from, to, label), wideSchema);
    await table.create({ schema: wideSchema }); // v0
    await table.write({ rows: rows(0, 50) }); // v1
    await table.write({ rows: rows(50, 100) }); // v2
    // Columns the source lacks are written as nulls.
    await table.write({ sql: `SELECT range AS id, 'sql-' || range AS name FROM range(1000, 1020)` }); // v3
    await table.write({ rows: rows(100, 160) }, { mode: 'overwrite' }); // v4
    await table.write({ rows: rows(160, 200) }); // v5
    await table.write({ rows: rows(200, 240) }); // v6
    await table.write(
      // v7: copy-on-write replace of ids 150..209 spanning three files
      { rows: rows(150, 210, 'replaced') },
      { mode: 'overwrite', replaceWhere: where.and(where.ge('id', 150), where.lt('id', 210)) },
    );
    await table.write(
      // v8: schema evolution adds two nullable columns
      {
        sql: `SELECT range AS id, 'merged-' || range AS name, 'note ' || range AS note, range / 2 AS score FROM range(240, 260)`,
      },
      { mergeSchema: true },
    );
    const txns = ['app-a', 'app-b'];
    await table.write(
      { rows: rows(260, 280) },
      {
        txns: [
          { appId: 'app-a', version: 7 },
          { appId: 'app-b', version: 3 },
        ],
      },
    ); // v9
    const v10 = await table.write({ rows: rows(280, 300) }); // v10: automatic checkpoint
    await table.write({ rows: rows(300, 320) }, { txns: [{ appId: 'app-a', version: 9 }] }); // v11
    const optimized = await table.optimize(); // v12
    await table.write({ rows: rows(320, 340) }); // v13
    await table.checkpoint(); // explicit checkpoint of v13
    await table.whenIdle(); // the automatic checkpoint of v10 is written in the background

    expect(v10.version).toBe(10);
    expect(optimized).toMatchObject({ version: 12, filesAdded: 1 });
    // v7 wrote its kept and new rows as one file: v7 to v11 are five small files.
    expect(optimized.filesRemoved).toBe(5);
    const logNames = await fs.readdir(path.join(dir, '_delta_log'));
    expect(logNames).toEqual(
      expect.arrayContaining([
        '00000000000000000010.checkpoint.parquet',
        '00000000000000000013.checkpoint.parquet',
      ]),
    );
    expect(
      JSON.parse(await fs.readFile(path.join(dir, '_delta_log', '_last_checkpoint'), 'utf8')),
    ).toMatchObject({
      version: 13,
    });

    // Latest (delta-rs starts from checkpoint 13) and every older version.
    const latest = await expectSameTable(table, undefined, { txnAppIds: txns });
    for (let v = 0; v <= 13; v++) await expectSameTable(table, v, { txnAppIds: txns });
    await expectSameTable(table, 5, { loadAsVersion: true });
    await expectSameTable(table, 11, { loadAsVersion: true, txnAppIds: txns });

    // What both read is what was written (guards against both readers erring alike).
    const expected: Row[] = [
      ...wideRows(100, 150),
      ...wideRows(150, 210, 'replaced'),
      ...wideRows(210, 340).filter((r) => Number(r['id']) < 240 || Number(r['id']) >= 260),
    ].map((r): Row => ({ ...r, note: null, score: null }));
    for (let i = 240; i < 260; i++) {
      const blank = Object.fromEntries(wideSchema.fields.map((f) => [f.name, null]));
      expected.push({ ...blank, id: String(i), name: `merged-${i}`, note: `note ${i}`, score: i * 0.5 });
    }
    expectSameRows(latest, expected, 'latest vs the rows written');
    expect((await table.latest()).txn('app-a')?.version).toBe(9);

    await expectReadRowsMatch(table, 13);
    await expectReadRowsMatch(table, 4);
  });

  it('partitioned by string and date, with null and escaped partition values', async () => {
    const dir = await tableDir('partitioned');
    const table = await DeltaTable.forPath(dir, { duck, name: 'partitioned' });
    const schema = struct(
      field('id', 'long'),
      field('region', 'string'),
      field('day', 'date'),
      field('amount', 'decimal(10,2)'),
      field('ts', 'timestamp'),
    );
    const regions = ['eu', 'us', null, 'São Paulo/Nord=1 %', 'a b'];
    const days = ['2024-02-29', null, '1999-12-31'];
    const row = (i: number) => ({
      id: String(i),
      region: regions[i % regions.length]!,
      day: days[i % days.length]!,
      amount: formatUnscaled(BigInt(i * 101 - 500), 2),
      ts: formatMicros(BASE_MICROS + BigInt(i) * 1_000_001n, true),
    });
    const rows = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => row(from + k));
    await table.create({ schema, partitionColumns: ['region', 'day'] }); // v0
    await table.write({ rows: rows(0, 40) }); // v1
    await table.write({ rows: rows(40, 70) }); // v2
    await table.write(
      { rows: rows(100, 130).filter((r) => r.region === 'eu') },
      { mode: 'overwrite', replaceWhere: where.eq('region', 'eu') },
    ); // v3
    await table.write(
      {
        sql: `SELECT range AS id, 'us' AS region, DATE '2024-03-01' AS "day", 1.5::DECIMAL(10,2) AS amount, 'late' AS note FROM range(200, 205)`,
      },
      { mergeSchema: true },
    ); // v4
    await table.optimize(); // v5
    await table.write({ rows: rows(300, 310) }, { mode: 'overwrite' }); // v6

    for (let v = 0; v <= 6; v++) await expectSameTable(table, v);
    const v3 = await deltaRsView(dir, { version: 3 });
    expect(new Set(v3.files.map((f) => f.partitionValues['region']))).toEqual(new Set(regions));
    expect(v3.files.some((f) => f.partitionValues['day'] === null)).toBe(true);
    await expectReadRowsMatch(table, 4);
  });

  it('OPTIMIZE joining row groups (partitioned, sorted by ts, with late rows)', async () => {
    const dir = await tableDir('joined');
    const table = await DeltaTable.forPath(dir, { duck, name: 'joined' });
    const schema = struct(
      field('id', 'long'),
      field('kind', 'string'),
      field('ts', 'timestamp'),
      field('note', 'string'),
    );
    await table.create({
      schema,
      partitionColumns: ['kind'],
      properties: { 'rtlakehouse.sortBy': 'ts', 'rtlakehouse.parquet.rowGroupRows': '2048' },
    }); // v0
    // Files of 3,000 rows per kind: row groups of 2,048 and 952, which OPTIMIZE joins.
    for (let i = 0; i < 3; i++) {
      await table.write({
        sql: `SELECT range AS id, ['view','cart','buy'][(range % 3) + 1] AS kind,
                TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_seconds(CASE WHEN range % 500 = 0 THEN range - 86400 ELSE range END) AS ts,
                CASE WHEN range % 7 = 0 THEN NULL ELSE 'n' || range END AS note
              FROM range(${i * 9000}, ${(i + 1) * 9000})`,
      });
    } // v1-v3
    const optimized = await table.optimize(); // v4
    expect(optimized).toMatchObject({ version: 4, filesRemoved: 9, filesAdded: 3, filesConcatenated: 9 });
    for (let v = 3; v <= 4; v++) await expectSameTable(table, v);
    await expectReadRowsMatch(table, 4);
  });

  it('timestamp_ntz (reader/writer table features)', async () => {
    const dir = await tableDir('ntz');
    const table = await DeltaTable.forPath(dir, { duck, name: 'ntz' });
    const schema = struct(field('id', 'long'), field('local', 'timestamp_ntz'), field('ts', 'timestamp'));
    await table.create({ schema });
    await table.write({
      rows: [0, 1, 2, 3].map((i) => ({
        id: i,
        local: i === 3 ? null : `2024-01-0${i + 1}T12:34:56.${String(123456 + i).padStart(6, '0')}`,
        ts: `2024-01-0${i + 1}T12:34:56.${String(654321 + i).padStart(6, '0')}Z`,
      })),
    });
    expect((await table.latest()).protocol).toMatchObject({
      minReaderVersion: 3,
      readerFeatures: ['timestampNtz'],
    });
    const rows = await expectSameTable(table);
    expect(rows.find((r) => r['id'] === '1')).toEqual({
      id: '1',
      local: '2024-01-02T12:34:56.123457',
      ts: '2024-01-02T12:34:56.654322Z',
    });
  });

  it('delta-rs reads a log that starts at our checkpoint (25 commits, commits before 20 absent)', async () => {
    const dir = await tableDir('checkpointed');
    const table = await DeltaTable.forPath(dir, { duck, name: 'checkpointed' });
    await table.create({ schema: wideSchema, properties: { 'delta.appendOnly': 'false', owner: 'interop' } });
    for (let c = 1; c <= 24; c++) {
      await table.write(
        { rows: writerRows(wideRows(c * 5, c * 5 + 5), wideSchema) },
        { txns: [{ appId: `partition-${c % 3}`, version: c }] },
      );
    }
    const txns = ['partition-0', 'partition-1', 'partition-2', 'never'];
    await table.whenIdle();
    expect(
      JSON.parse(await fs.readFile(path.join(dir, '_delta_log', '_last_checkpoint'), 'utf8')),
    ).toMatchObject({
      version: 20,
    });
    await expectSameTable(table, undefined, { txnAppIds: txns });
    await expectSameTable(table, 15, { txnAppIds: txns }); // from checkpoint 10
    await expectSameTable(table, 20, { txnAppIds: txns });
    const full = await deltaRsView(dir, { txnAppIds: txns });
    expect(full.metadata.configuration).toEqual({ 'delta.appendOnly': 'false', owner: 'interop' });

    // A copy holding only checkpoint 20, commits 21..24 and _last_checkpoint: delta-rs must
    // take protocol, metadata, files and txns from our checkpoint parquet.
    const copy = await tableDir('checkpointed-copy');
    await fs.cp(dir, copy, {
      recursive: true,
      filter: (src) => {
        const name = path.basename(src);
        const m = /^(\d{20})\.(json|checkpoint\.parquet)$/.exec(name);
        if (!m || path.basename(path.dirname(src)) !== '_delta_log') return true;
        return m[2] === 'json' ? Number(m[1]) > 20 : Number(m[1]) >= 20;
      },
    });
    expect((await fs.readdir(path.join(copy, '_delta_log'))).sort()).toEqual([
      '00000000000000000020.checkpoint.parquet',
      '00000000000000000021.json',
      '00000000000000000022.json',
      '00000000000000000023.json',
      '00000000000000000024.json',
      '_last_checkpoint',
    ]);
    const fromCheckpoint = await deltaRsView(copy, { txnAppIds: txns });
    expect(fromCheckpoint.version).toBe(24);
    expectSameRows(fromCheckpoint.rows, full.rows, 'delta-rs from the checkpoint vs from the whole log');
    expect(fromCheckpoint.files).toEqual(full.files);
    expect(fromCheckpoint.txns).toEqual(full.txns);
    expect(fromCheckpoint.txns).toEqual({
      'partition-0': 24,
      'partition-1': 22,
      'partition-2': 23,
      never: null,
    });
    expect(fromCheckpoint.metadata).toEqual(full.metadata);
    expect(fromCheckpoint.protocol).toEqual(full.protocol);
    const atCheckpoint = await deltaRsView(copy, { version: 20, txnAppIds: txns });
    expect(atCheckpoint.version).toBe(20);
    const ours20 = await ourRows(table, await table.snapshot({ version: 20 }));
    expectSameRows(atCheckpoint.rows, ours20, 'delta-rs at the checkpoint version vs ours');
    await expect(deltaRsView(copy, { version: 19 })).rejects.toThrow();
    // And this project reads the copy the same way.
    const copyTable = await DeltaTable.forPath(copy, { duck, name: 'checkpointed-copy' });
    await expectSameTable(copyTable, undefined, { txnAppIds: txns });
  });
});

describe('tables written by delta-rs read identically here', () => {
  it('write, append, overwrite, schema merge, predicate overwrite, checkpoint, compact, delete', async () => {
    const dir = await tableDir('rs-wide');
    const merged = struct(...wideSchema.fields, field('note', 'string'));
    const noted = (rows: Row[]) => rows.map((r) => ({ ...r, note: `n${r['id']}` }));
    const { versions } = await runDeltaRs<{ versions: { op: string; version: number }[] }>({
      command: 'write',
      path: dir,
      ops: [
        deltaRsWrite(wideSchema, wideRows(0, 30), { mode: 'error' }),
        deltaRsWrite(wideSchema, wideRows(30, 60), { txns: [{ appId: 'rs-app', version: 1 }] }),
        deltaRsWrite(wideSchema, wideRows(100, 140), { mode: 'overwrite' }),
        deltaRsWrite(merged, noted(wideRows(140, 150)), { schemaMode: 'merge' }),
        deltaRsWrite(merged, noted(wideRows(120, 130, 'replaced')), {
          mode: 'overwrite',
          predicate: 'id >= 120',
        }),
        { op: 'checkpoint' },
        deltaRsWrite(merged, noted(wideRows(150, 160)), { txns: [{ appId: 'rs-app', version: 2 }] }),
        { op: 'compact' },
        { op: 'delete', predicate: 'id < 105' },
        deltaRsWrite(merged, noted(wideRows(160, 170))),
      ],
    });
    expect(versions.map((v) => v.version)).toEqual([0, 1, 2, 3, 4, 4, 5, 6, 7, 8]);
    await expect(fs.readdir(path.join(dir, '_delta_log'))).resolves.toContain(
      '00000000000000000004.checkpoint.parquet',
    );

    const table = await DeltaTable.forPath(dir, { duck, name: 'rs-wide' });
    const latest = await expectSameTable(table, undefined, { txnAppIds: ['rs-app'] });
    for (let v = 0; v <= 8; v++) await expectSameTable(table, v, { txnAppIds: ['rs-app'] });
    const expected = [
      ...wideRows(105, 120).map((r) => ({ ...r, note: null })),
      ...noted(wideRows(120, 130, 'replaced')),
      ...noted(wideRows(150, 170)),
    ];
    expectSameRows(latest, expected, 'latest vs the rows written');
    expect((await table.latest()).txn('rs-app')?.version).toBe(2);
    await expectReadRowsMatch(table, 8);
    await expectReadRowsMatch(table, 3);
  });

  it('partitioned by string and date with null partitions, timestamp_ntz, schema merge', async () => {
    const dir = await tableDir('rs-partitioned');
    const schema = struct(
      field('id', 'long'),
      field('region', 'string'),
      field('day', 'date'),
      field('amount', 'decimal(10,2)'),
      field('local', 'timestamp_ntz'),
    );
    const regions = ['eu', 'us', null, 'São Paulo/Nord=1 %', 'a b'];
    const days = ['2024-02-29', null, '1999-12-31'];
    const rows = (from: number, to: number): Row[] =>
      Array.from({ length: to - from }, (_, k) => {
        const i = from + k;
        return {
          id: String(i),
          region: regions[i % regions.length]!,
          day: days[i % days.length]!,
          amount: formatUnscaled(BigInt(i * 101 - 500), 2),
          local: i % 4 === 0 ? null : formatMicros(BASE_MICROS + BigInt(i) * 1_000_001n, false),
        };
      });
    const withNote = struct(...schema.fields, field('note', 'string'));
    await runDeltaRs({
      command: 'write',
      path: dir,
      ops: [
        deltaRsWrite(schema, rows(0, 30), { partitionBy: ['region', 'day'] }),
        deltaRsWrite(schema, rows(30, 45)),
        deltaRsWrite(
          withNote,
          rows(50, 60).map((r) => ({ ...r, note: 'merged' })),
          { schemaMode: 'merge' },
        ),
        deltaRsWrite(
          withNote,
          rows(100, 130)
            .filter((r) => r['region'] === 'eu')
            .map((r) => ({ ...r, note: 'eu' })),
          { mode: 'overwrite', predicate: "region = 'eu'" },
        ),
        { op: 'compact' },
        { op: 'delete', predicate: 'day IS NULL' },
      ],
    });
    const table = await DeltaTable.forPath(dir, { duck, name: 'rs-partitioned' });
    expect((await table.latest()).version).toBe(5);
    let latest: Row[] = [];
    for (let v = 0; v <= 5; v++) latest = await expectSameTable(table, v);
    const expected: Row[] = [
      ...rows(0, 45).map((r) => ({ ...r, note: null })),
      ...rows(50, 60).map((r) => ({ ...r, note: 'merged' })),
    ].filter((r: Row) => r['region'] !== 'eu');
    expected.push(...rows(100, 130).flatMap((r) => (r['region'] === 'eu' ? [{ ...r, note: 'eu' }] : [])));
    expectSameRows(
      latest,
      expected.filter((r) => r['day'] !== null),
      'latest vs the rows written',
    );
    const v1 = await deltaRsView(dir, { version: 1 });
    expect(new Set(v1.files.map((f) => f.partitionValues['region']))).toEqual(new Set(regions));
    await expectReadRowsMatch(table, 5);
    await expectReadRowsMatch(table, 2);
  });
});
