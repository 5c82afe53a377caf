// Per-file statistics (PROTOCOL.md "Per-file Statistics") built from what DuckDB reports for
// each parquet file it writes (COPY ... RETURN_STATS). Pure.
import { type DataType, isArrayType, isMapType, isStructType, type StructType } from './schema.js';

/** DuckDB's statistics for one leaf column: min, max, null_count ... as strings. */
export type ColumnStatistics = Record<string, string | undefined>;

/** Longest string prefix kept in minValues; longer maxima are left out (still a valid bound). */
const STRING_PREFIX = 32;

/** Splits a DuckDB stats key such as `"st"."a"` into its path segments. */
export function statsKeyPath(key: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"]|"")*)"/g;
  for (let m = re.exec(key); m; m = re.exec(key)) out.push(m[1]!.replaceAll('""', '"'));
  return out.length > 0 ? out : [key];
}

function timestampStat(value: string, kind: 'min' | 'max', utc: boolean): string | undefined {
  // DuckDB prints `2024-01-01 00:00:09.123456+00` (or without zone for timestamp_ntz).
  const m =
    /^(-?\d{4,}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(?:([+-]\d{2})(?::?(\d{2}))?)?$/.exec(
      value,
    );
  if (!m) return undefined;
  const [, date, time, frac = '', offH, offM] = m;
  if (offH !== undefined && (Number(offH) !== 0 || Number(offM ?? 0) !== 0)) return undefined;
  const micros = frac.padEnd(6, '0').slice(0, 6);
  let millis = Number(micros.slice(0, 3));
  const subMillis = Number(micros.slice(3));
  let base = Date.parse(`${date}T${time}Z`);
  if (Number.isNaN(base)) return undefined;
  // Stats hold milliseconds: round a maximum up so that it still bounds the data.
  if (kind === 'max' && subMillis > 0) millis += 1;
  base += millis;
  const iso = new Date(base).toISOString();
  return utc ? iso : iso.slice(0, -1);
}

/** A JSON literal for one statistic of a column of type `t`, or undefined to leave it out. */
function statLiteral(t: DataType, value: string, kind: 'min' | 'max'): string | undefined {
  if (typeof t !== 'string') return undefined;
  switch (t) {
    case 'string': {
      if ([...value].length <= STRING_PREFIX) return JSON.stringify(value);
      return kind === 'min' ? JSON.stringify([...value].slice(0, STRING_PREFIX).join('')) : undefined;
    }
    case 'long':
    case 'integer':
    case 'short':
    case 'byte':
      return /^-?\d+$/.test(value) ? value : undefined;
    case 'float':
    case 'double': {
      const n = Number(value);
      return Number.isFinite(n) ? String(n) : undefined;
    }
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(value) ? JSON.stringify(value) : undefined;
    case 'timestamp':
    case 'timestamp_ntz': {
      const s = timestampStat(value, kind, t === 'timestamp');
      return s === undefined ? undefined : JSON.stringify(s);
    }
    case 'boolean':
    case 'binary':
      return undefined;
    default:
      // decimal(p,s)
      return /^-?\d+(\.\d+)?$/.test(value) ? value : undefined;
  }
}

interface StatsTree {
  [name: string]: StatsTree | string;
}

function setPath(tree: StatsTree, path: string[], literal: string): void {
  let node = tree;
  for (const segment of path.slice(0, -1)) {
    const next = node[segment];
    if (typeof next === 'object') node = next;
    else {
      const created: StatsTree = {};
      node[segment] = created;
      node = created;
    }
  }
  node[path[path.length - 1]!] = literal;
}

function render(tree: StatsTree): string {
  return `{${Object.entries(tree)
    .map(([k, v]) => `${JSON.stringify(k)}:${typeof v === 'string' ? v : render(v)}`)
    .join(',')}}`;
}

/** Leaf columns eligible for stats, in schema order: paths and types (arrays and maps excluded). */
export function statsLeafColumns(
  schema: StructType,
  skipTopLevel: ReadonlySet<string>,
): { path: string[]; type: DataType }[] {
  const out: { path: string[]; type: DataType }[] = [];
  const visit = (t: StructType, prefix: string[]) => {
    for (const f of t.fields) {
      if (prefix.length === 0 && skipTopLevel.has(f.name)) continue;
      const p = [...prefix, f.name];
      if (isStructType(f.type)) visit(f.type, p);
      else if (!isArrayType(f.type) && !isMapType(f.type)) out.push({ path: p, type: f.type });
    }
  };
  visit(schema, []);
  return out;
}

/**
 * The `stats` JSON string of one data file: numRecords, and minValues / maxValues /
 * nullCount for the first `numIndexedCols` leaf columns (partition columns excluded).
 * `columnStats` is keyed by DuckDB's quoted column path.
 */
export function buildFileStats(
  numRecords: number,
  schema: StructType,
  partitionColumns: readonly string[],
  columnStats: ReadonlyMap<string, ColumnStatistics>,
  numIndexedCols = 32,
): string {
  const byPath = new Map<string, ColumnStatistics>();
  for (const [key, stats] of columnStats) byPath.set(statsKeyPath(key).join('\u0000'), stats);
  const leaves = statsLeafColumns(schema, new Set(partitionColumns));
  const limited = numIndexedCols < 0 ? leaves : leaves.slice(0, numIndexedCols);
  const minValues: StatsTree = {};
  const maxValues: StatsTree = {};
  const nullCount: StatsTree = {};
  for (const { path, type } of limited) {
    const stats = byPath.get(path.join('\u0000'));
    if (!stats) {
      // A column the file does not hold is entirely null.
      setPath(nullCount, path, String(numRecords));
      continue;
    }
    const nulls = stats['null_count'];
    if (nulls !== undefined && /^\d+$/.test(nulls)) setPath(nullCount, path, nulls);
    const min = stats['min'] === undefined ? undefined : statLiteral(type, stats['min'], 'min');
    const max = stats['max'] === undefined ? undefined : statLiteral(type, stats['max'], 'max');
    if (min !== undefined && max !== undefined) {
      setPath(minValues, path, min);
      setPath(maxValues, path, max);
    }
  }
  return `{"numRecords":${numRecords},"minValues":${render(minValues)},"maxValues":${render(maxValues)},"nullCount":${render(nullCount)}}`;
}

type StatsJson = { [name: string]: StatsJson | string | number | boolean | null };

/** How two statistics of a column of type `t` compare, or undefined when they cannot be compared exactly. */
function compareStat(t: DataType, a: unknown, b: unknown): number | undefined {
  if (typeof a === 'number' && typeof b === 'number') {
    // JSON numbers past 2^53 lost digits on parsing: such a bound may no longer hold.
    if (t !== 'double' && t !== 'float' && !(Number.isSafeInteger(a) && Number.isSafeInteger(b)))
      return undefined;
    return a - b;
  }
  if (typeof a !== 'string' || typeof b !== 'string') return undefined;
  if (t === 'timestamp' || t === 'timestamp_ntz') {
    const x = Date.parse(t === 'timestamp_ntz' ? `${a}Z` : a);
    const y = Date.parse(t === 'timestamp_ntz' ? `${b}Z` : b);
    return Number.isNaN(x) || Number.isNaN(y) ? undefined : x - y;
  }
  // Strings and dates: Delta orders strings by their UTF-8 bytes.
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

function getPath(tree: unknown, path: readonly string[]): unknown {
  let node = tree;
  for (const segment of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as StatsJson)[segment];
  }
  return node;
}

/**
 * The `stats` of a file that holds the rows of `files` (their `stats` JSON strings), as
 * OPTIMIZE's row-group concatenation makes: records and null counts add up; a minimum or
 * maximum is kept where every file has one and they compare exactly. Undefined when a file
 * has no stats.
 */
export function mergeFileStats(
  files: readonly (string | undefined)[],
  schema: StructType,
  partitionColumns: readonly string[],
): string | undefined {
  if (files.length === 0 || files.some((s) => s === undefined)) return undefined;
  const parsed = files.map((s) => JSON.parse(s!) as StatsJson);
  if (parsed.some((p) => typeof p['numRecords'] !== 'number')) return undefined;
  const numRecords = parsed.reduce((n, p) => n + (p['numRecords'] as number), 0);
  const minValues: StatsTree = {};
  const maxValues: StatsTree = {};
  const nullCount: StatsTree = {};
  for (const { path, type } of statsLeafColumns(schema, new Set(partitionColumns))) {
    const nulls = parsed.map((p) => getPath(p['nullCount'], path));
    if (nulls.every((n) => typeof n === 'number'))
      setPath(nullCount, path, String((nulls as number[]).reduce((a, b) => a + b, 0)));
    const bound = (tree: 'minValues' | 'maxValues', sign: 1 | -1): unknown => {
      let best: unknown;
      for (const p of parsed) {
        const v = getPath(p[tree], path);
        if (v === undefined || v === null || typeof v === 'object') return undefined;
        if (best === undefined) best = v;
        else {
          const c = compareStat(type, v, best);
          if (c === undefined) return undefined;
          if (c * sign < 0) best = v;
        }
      }
      return best;
    };
    const min = bound('minValues', 1);
    const max = bound('maxValues', -1);
    if (min !== undefined && max !== undefined) {
      setPath(minValues, path, JSON.stringify(min));
      setPath(maxValues, path, JSON.stringify(max));
    }
  }
  return `{"numRecords":${numRecords},"minValues":${render(minValues)},"maxValues":${render(maxValues)},"nullCount":${render(nullCount)}}`;
}
