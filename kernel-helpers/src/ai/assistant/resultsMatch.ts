// Whether two query results hold the same answer (pure), by the execution-match rule of the NL →
// SQL evaluation: every expected column is matched by some actual column (numbers equal within a
// relative tolerance, instants by time, NULL equals NULL) and the rows are equal as multisets —
// in order when `ordered`.
import type { JsonValue } from '../../engine/jsonValueFromDuckDb.js';

export interface ResultTable {
  columns: readonly { name: string }[];
  rows: readonly Record<string, JsonValue>[];
}

export type ResultsMatch = { match: true } | { match: false; reason: string };

/** Compares `actual` with `expected`. */
export function resultsMatch(
  expected: ResultTable,
  actual: ResultTable,
  options: { ordered: boolean; tolerance?: number },
): ResultsMatch {
  const tolerance = options.tolerance ?? 1e-6;
  if (expected.rows.length !== actual.rows.length)
    return { match: false, reason: `${actual.rows.length} rows; expected ${expected.rows.length}` };
  const order = (
    rows: readonly Record<string, JsonValue>[],
    key: (r: Record<string, JsonValue>) => string,
  ) => (options.ordered ? rows.map(key) : rows.map(key).sort());
  const used = new Set<string>();
  const mapping: [string, string][] = [];
  for (const e of expected.columns) {
    const wanted = order(expected.rows, (r) => cell(r[e.name], tolerance));
    const found = actual.columns.find(
      (a) =>
        !used.has(a.name) &&
        sameList(
          wanted,
          order(actual.rows, (r) => cell(r[a.name], tolerance)),
        ),
    );
    if (!found) return { match: false, reason: `no column matches expected column ${e.name}` };
    used.add(found.name);
    mapping.push([e.name, found.name]);
  }
  // Columns matched one by one; the rows must also line up across columns.
  const rowKey = (r: Record<string, JsonValue>, side: 0 | 1) =>
    mapping.map((m) => cell(r[m[side]], tolerance)).join('\u0001');
  const left = order(expected.rows, (r) => rowKey(r, 0));
  const right = order(actual.rows, (r) => rowKey(r, 1));
  return sameList(left, right) ? { match: true } : { match: false, reason: 'the rows differ' };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** A cell as a comparable string: numbers rounded to the tolerance, instants as epoch ms. */
function cell(value: JsonValue | undefined, tolerance: number): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return num(value, tolerance);
  if (typeof value === 'string') {
    if (/^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(value)) return num(Number(value), tolerance);
    if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(value)) {
      const ms = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? value : `${value.replace(' ', 'T')}Z`);
      if (!Number.isNaN(ms)) return `t${ms}`;
    }
    return `s${value}`;
  }
  return `j${JSON.stringify(value)}`;
}

function num(x: number, tolerance: number): string {
  if (!Number.isFinite(x)) return `n${x}`;
  if (x === 0) return 'n0';
  const digits = Math.max(1, Math.round(-Math.log10(tolerance)));
  return `n${x.toPrecision(digits)}`;
}
