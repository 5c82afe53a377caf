// The catalogue of Delta conformance cases in ../shared/delta-conformance (golden tables from
// delta-kernel-rs and Delta Acceptance Tests) and the check each one gets. One list, one loop.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeltaError, UnsupportedFeatureError } from '@rt-lakehouse/kernel-helpers';
import { type DeltaDuckDb, DeltaTable, type Snapshot } from '@rt-lakehouse/kernel-helpers/delta';
import { sharedPath } from '../support/sharedData.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(here, '../..');
export const CONFORMANCE_ROOT = path.resolve(
  process.env['DELTA_CONFORMANCE_DIR'] ?? sharedPath('delta-conformance'),
);

/** One expected state of a table: the rows (parquet files) and, for DAT, protocol versions. */
interface Expectation {
  version: number | 'latest';
  parquet: string[];
  metadata?: { version: number; min_reader_version: number; min_writer_version: number };
}

export interface ConformanceCase {
  id: string;
  table: string;
  expectations: Expectation[];
}

/** Golden tables that are invalid on purpose: loading them must fail with a clear DeltaError. */
const INVALID_ON_PURPOSE = new Set([
  'golden/deltalog-invalid-protocol-version',
  'golden/deltalog-state-reconstruction-from-checkpoint-missing-metadata',
  'golden/deltalog-state-reconstruction-from-checkpoint-missing-protocol',
  'golden/deltalog-state-reconstruction-without-metadata',
  'golden/deltalog-state-reconstruction-without-protocol',
  'golden/no-delta-log-folder',
  'golden/versions-not-contiguous',
  // Written by an old Delta with only protocol and add actions: there is no metaData.
  'golden/data-reader-absolute-paths-escaped-chars',
]);

/** Facts about tables without expected rows, from the delta-kernel-rs golden test notes. */
const FILE_CHECKS: Record<string, (s: Snapshot) => string | undefined> = {
  'golden/checkpoint': (s) =>
    s.version === 14 && s.numFiles === 1
      ? undefined
      : `expected v14 with 1 file, got v${s.version} with ${s.numFiles}`,
  'golden/canonicalized-paths-normal-a': noFilesAtV1,
  'golden/canonicalized-paths-normal-b': noFilesAtV1,
  'golden/canonicalized-paths-special-a': noFilesAtV1,
  'golden/canonicalized-paths-special-b': noFilesAtV1,
  'golden/delete-re-add-same-file-different-transactions': (s) => {
    const files = s.files().map((f) => f.add);
    const names = files.map((f) => f.path).sort();
    const foo = files.find((f) => f.path === 'foo');
    return names.join(',') === 'bar,foo' && foo?.modificationTime === 1700000000000
      ? undefined
      : `expected files bar, foo (foo re-added at 1700000000000), got ${names.join(', ')}`;
  },
  'golden/log-replay-special-characters-b': (s) =>
    s
      .files()
      .map((f) => path.basename(f.url))
      .join(',') === 'special p@#h'
      ? undefined
      : 'expected one file named "special p@#h"',
};

/**
 * Reader settings some tables need. data-reader-partition-values was written by Spark in the
 * America/Los_Angeles session time zone: its timestamp partition value "2021-09-08 11:11:11"
 * is 18:11:11 UTC in the expected rows, where the protocol's zone-less reading is UTC.
 */
const READER_OPTIONS: Record<string, { partitionTimeZone: string }> = {
  'golden/data-reader-partition-values': { partitionTimeZone: 'America/Los_Angeles' },
};

function noFilesAtV1(s: Snapshot): string | undefined {
  return s.version === 1 && s.numFiles === 0
    ? undefined
    : `expected v1 with no files, got v${s.version} with ${s.numFiles}`;
}

function parquetFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.parquet'))
    .map((f) => path.join(dir, f))
    .sort();
}

/** Every case under the conformance folder, in a stable order. */
export function listConformanceCases(root = CONFORMANCE_ROOT): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  const golden = path.join(root, 'golden');
  for (const name of readdirSync(golden).sort()) {
    if (name === 'hive') {
      const hiveRoot = path.join(golden, 'hive', 'delta');
      for (const t of readdirSync(hiveRoot).sort()) {
        cases.push({ id: `golden/hive/delta/${t}`, table: path.join(hiveRoot, t), expectations: [] });
      }
      continue;
    }
    const dir = path.join(golden, name);
    const expected = path.join(dir, 'expected');
    cases.push({
      id: `golden/${name}`,
      table: path.join(dir, 'delta'),
      expectations: existsSync(expected) ? [{ version: 'latest', parquet: parquetFiles(expected) }] : [],
    });
  }
  const dat = path.join(root, 'dat');
  for (const name of readdirSync(dat).sort()) {
    const dir = path.join(dat, name);
    const expectedRoot = path.join(dir, 'expected');
    const expectations: Expectation[] = [];
    for (const v of readdirSync(expectedRoot).sort()) {
      const vdir = path.join(expectedRoot, v);
      if (!statSync(vdir).isDirectory()) continue;
      const metaPath = path.join(vdir, 'table_version_metadata.json');
      const metadata = existsSync(metaPath) ? JSON.parse(readFileSync(metaPath, 'utf8')) : undefined;
      expectations.push({
        version: v === 'latest' ? 'latest' : Number(v.slice(1)),
        parquet: existsSync(path.join(vdir, 'table_content.parquet'))
          ? [path.join(vdir, 'table_content.parquet')]
          : parquetFiles(vdir),
        metadata,
      });
    }
    cases.push({ id: `dat/${name}`, table: path.join(dir, 'delta'), expectations });
  }
  return cases;
}

export type CaseOutcome =
  | { status: 'passed'; detail: string }
  | { status: 'refused'; feature: string; detail: string }
  | { status: 'failed'; detail: string };

const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;
const ident = (s: string) => `"${s.replaceAll('"', '""')}"`;

/** Compares the rows of a snapshot with expected parquet files as multisets; returns a problem or undefined. */
async function compareRows(
  duck: DeltaDuckDb,
  table: DeltaTable,
  snapshot: Snapshot,
  expected: string[],
): Promise<string | undefined> {
  const connection = await duck.connect();
  try {
    const actualSql = await table.scanSql(snapshot);
    const expectedSql = `SELECT * FROM read_parquet([${expected.map(quote).join(', ')}])`;
    const actualCols = await duck.describe(actualSql, connection);
    const expectedCols = await duck.describe(expectedSql, connection);
    const a = actualCols.map((c) => c.name.toLowerCase()).sort();
    const e = expectedCols.map((c) => c.name.toLowerCase()).sort();
    if (a.join(',') !== e.join(','))
      return `columns differ: got [${a.join(', ')}], expected [${e.join(', ')}]`;
    const typeOf = new Map(actualCols.map((c) => [c.name.toLowerCase(), c.type.toString()]));
    const cols = expectedCols.map((c) => ({ name: c.name, type: typeOf.get(c.name.toLowerCase())! }));
    const projected = (sql: string) =>
      `SELECT ${cols.map((c) => `CAST(${ident(c.name)} AS ${c.type}) AS ${ident(c.name)}`).join(', ')} FROM (${sql})`;
    const count = async (sql: string) =>
      Number((await connection.runAndReadAll(`SELECT count(*) FROM (${sql})`)).getRows()[0]![0]);
    const [na, ne] = [await count(actualSql), await count(expectedSql)];
    if (na !== ne) return `row count ${na}, expected ${ne}`;
    const missing = await count(`${projected(expectedSql)} EXCEPT ALL ${projected(actualSql)}`);
    const extra = await count(`${projected(actualSql)} EXCEPT ALL ${projected(expectedSql)}`);
    if (missing > 0 || extra > 0) return `${missing} expected rows missing, ${extra} unexpected rows`;
    return undefined;
  } finally {
    connection.closeSync();
  }
}

/** Runs one case: every expected version must read back the expected rows and protocol. */
export async function runConformanceCase(c: ConformanceCase, duck: DeltaDuckDb): Promise<CaseOutcome> {
  const table = await DeltaTable.forPath(c.table, { duck, name: c.id, ...READER_OPTIONS[c.id] });
  try {
    if (INVALID_ON_PURPOSE.has(c.id)) {
      try {
        const s = await table.snapshot();
        return {
          status: 'failed',
          detail: `invalid table loaded at version ${s.version} instead of failing`,
        };
      } catch (e) {
        if (e instanceof DeltaError) return { status: 'passed', detail: `rejected as invalid: ${e.message}` };
        throw e;
      }
    }
    if (c.expectations.length === 0) {
      const s = await table.snapshot();
      const check = FILE_CHECKS[c.id];
      const problem = check?.(s);
      if (problem) return { status: 'failed', detail: problem };
      let rows = '';
      if (!check && s.files().every((f) => existsSync(f.url)))
        rows = `, ${(await table.readRows({ snapshot: s })).length} rows`;
      return { status: 'passed', detail: `loads at v${s.version}, ${s.numFiles} files${rows}` };
    }
    const details: string[] = [];
    for (const exp of c.expectations) {
      const snapshot =
        exp.version === 'latest' ? await table.snapshot() : await table.snapshot({ version: exp.version });
      const label = exp.version === 'latest' ? `latest=v${snapshot.version}` : `v${exp.version}`;
      if (exp.metadata) {
        const m = exp.metadata;
        const got = [
          snapshot.version,
          snapshot.protocol.minReaderVersion,
          snapshot.protocol.minWriterVersion,
        ];
        const want = [m.version, m.min_reader_version, m.min_writer_version];
        if (got.join('/') !== want.join('/')) {
          return {
            status: 'failed',
            detail: `${label}: version/reader/writer ${got.join('/')}, expected ${want.join('/')}`,
          };
        }
      }
      const problem = await compareRows(duck, table, snapshot, exp.parquet);
      if (problem) return { status: 'failed', detail: `${label}: ${problem}` };
      details.push(label);
    }
    return { status: 'passed', detail: `rows match at ${details.join(', ')}` };
  } catch (e) {
    if (e instanceof UnsupportedFeatureError)
      return { status: 'refused', feature: e.feature, detail: e.message };
    return { status: 'failed', detail: `${(e as Error).name}: ${(e as Error).message}` };
  }
}

/** Feature names the README's Delta feature table lists as refused for reading. */
export function readmeRefusedFeatures(readmePath = path.join(REPO_ROOT, 'README.md')): Set<string> {
  const out = new Set<string>();
  if (!existsSync(readmePath)) return out;
  for (const line of readFileSync(readmePath, 'utf8').split('\n')) {
    const m = /^\|\s*`([^`]+)`[^|]*\|\s*refused/i.exec(line);
    if (m) out.add(m[1]!);
  }
  return out;
}
