// The execution-match rule of ../shared/nl2sql_public.json, as a pure function: every gold
// column is matched by some predicted column (values equal within 1e-6 relative, NULL equals
// NULL), and the row multisets are equal — in order when the gold SQL has ORDER BY. Rows that
// tie on every ORDER BY key may come in any order (the gold's own order among them is arbitrary).

export interface ResultSet {
  columns: readonly { name: string }[];
  rows: readonly Record<string, unknown>[];
}

export interface MatchOptions {
  /** Compare rows in order (the gold SQL has ORDER BY). */
  ordered: boolean;
  /**
   * Gold columns the ORDER BY sorts on, when every term is one (rows tying on all of them may be
   * permuted); null compares the sequence strictly.
   */
  orderKeys?: readonly string[] | null;
  /** Relative tolerance for numbers (1e-6). */
  tolerance?: number;
}

export type MatchResult = { match: true; columns: Record<string, string> } | { match: false; reason: string };

type Norm = { k: 'null' } | { k: 'num'; v: number } | { k: 'time'; v: number } | { k: 'str'; v: string };

const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$/;
const NUMERIC = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** A value as compared: numbers (also numeric strings, NaN, ±Infinity), instants, strings, NULL. */
export function normalise(value: unknown): Norm {
  if (value === null || value === undefined) return { k: 'null' };
  if (typeof value === 'number') return { k: 'num', v: value };
  if (typeof value === 'bigint') return { k: 'num', v: Number(value) };
  if (typeof value === 'boolean') return { k: 'str', v: String(value) };
  if (typeof value === 'string') {
    if (NUMERIC.test(value)) return { k: 'num', v: Number(value) };
    if (value === 'NaN') return { k: 'num', v: Number.NaN };
    if (value === 'Infinity' || value === 'inf') return { k: 'num', v: Number.POSITIVE_INFINITY };
    if (value === '-Infinity' || value === '-inf') return { k: 'num', v: Number.NEGATIVE_INFINITY };
    if (ISO.test(value)) {
      const hasZone = /(?:Z|[+-]\d{2}(?::?\d{2})?)$/.test(value) && value.length > 10;
      const ms = Date.parse(
        hasZone ? value : value.length === 10 ? `${value}T00:00:00Z` : `${value.replace(' ', 'T')}Z`,
      );
      if (!Number.isNaN(ms)) return { k: 'time', v: ms };
    }
    return { k: 'str', v: value };
  }
  return { k: 'str', v: JSON.stringify(value) };
}

const KIND_RANK = { null: 0, num: 1, time: 2, str: 3 } as const;

function equalNorm(a: Norm, b: Norm, tolerance: number): boolean {
  if (a.k !== b.k) return false;
  if (a.k === 'null') return true;
  if (a.k === 'str') return a.v === (b as { v: string }).v;
  const x = a.v;
  const y = (b as { v: number }).v;
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) && Number.isNaN(y);
  if (x === y) return true;
  if (!Number.isFinite(x) || !Number.isFinite(y)) return false;
  return Math.abs(x - y) <= tolerance * Math.max(Math.abs(x), Math.abs(y));
}

function compareNorm(a: Norm, b: Norm): number {
  if (a.k !== b.k) return KIND_RANK[a.k] - KIND_RANK[b.k];
  if (a.k === 'null') return 0;
  if (a.k === 'str') {
    const y = (b as { v: string }).v;
    return a.v < y ? -1 : a.v > y ? 1 : 0;
  }
  const x = a.v;
  const y = (b as { v: number }).v;
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) ? (Number.isNaN(y) ? 0 : 1) : -1;
  return x - y;
}

/** Rows compare strings first (exact), then numbers: near-equal numbers then sit side by side. */
function compareRows(a: Norm[], b: Norm[]): number {
  for (const exactFirst of [true, false]) {
    for (let i = 0; i < a.length; i++) {
      const x = a[i]!;
      const y = b[i]!;
      const exact = x.k !== 'num' || y.k !== 'num';
      if (exact !== exactFirst) continue;
      const c = compareNorm(x, y);
      if (c !== 0) return c;
    }
  }
  return 0;
}

const rowsEqual = (a: Norm[], b: Norm[], tolerance: number) =>
  a.every((x, i) => equalNorm(x, b[i]!, tolerance));

/** Whether two lists of rows are equal as multisets. */
function sameMultiset(a: Norm[][], b: Norm[][], tolerance: number): boolean {
  if (a.length !== b.length) return false;
  const sa = [...a].sort(compareRows);
  const sb = [...b].sort(compareRows);
  if (sa.every((row, i) => rowsEqual(row, sb[i]!, tolerance))) return true;
  // Tolerance can reorder near-equal rows: fall back to matching each row (small results only).
  if (a.length > 5_000) return false;
  const used = new Array<boolean>(b.length).fill(false);
  for (const row of sa) {
    const j = sb.findIndex((other, k) => !used[k] && rowsEqual(row, other, tolerance));
    if (j < 0) return false;
    used[j] = true;
  }
  return true;
}

/** Gold rows in runs that tie on the order keys (consecutive), as [start, end) pairs. */
function tieGroups(rows: Norm[][], keyIndexes: number[] | null, tolerance: number): [number, number][] {
  const groups: [number, number][] = [];
  let start = 0;
  for (let i = 1; i <= rows.length; i++) {
    const tie =
      i < rows.length &&
      keyIndexes !== null &&
      keyIndexes.every((k) => equalNorm(rows[i]![k]!, rows[start]![k]!, tolerance));
    if (!tie) {
      groups.push([start, i]);
      start = i;
    }
  }
  return groups;
}

function rowsMatch(
  gold: Norm[][],
  predicted: Norm[][],
  options: Required<Pick<MatchOptions, 'ordered' | 'tolerance'>> & { keyIndexes: number[] | null },
): boolean {
  if (gold.length !== predicted.length) return false;
  if (!options.ordered) return sameMultiset(gold, predicted, options.tolerance);
  for (const [start, end] of tieGroups(gold, options.keyIndexes, options.tolerance)) {
    if (end - start === 1) {
      if (!rowsEqual(gold[start]!, predicted[start]!, options.tolerance)) return false;
    } else if (!sameMultiset(gold.slice(start, end), predicted.slice(start, end), options.tolerance))
      return false;
  }
  return true;
}

const MAX_ASSIGNMENTS = 20_000;

/**
 * Whether `predicted` matches `gold` under the rule above. Each gold column is assigned a
 * predicted column (several may share one); assignments are tried until the rows match.
 */
export function executionMatch(gold: ResultSet, predicted: ResultSet, options: MatchOptions): MatchResult {
  const tolerance = options.tolerance ?? 1e-6;
  if (gold.rows.length !== predicted.rows.length)
    return {
      match: false,
      reason: `row count: gold ${gold.rows.length}, predicted ${predicted.rows.length}`,
    };
  const goldNames = gold.columns.map((c) => c.name);
  const predNames = predicted.columns.map((c) => c.name);
  const goldCols = goldNames.map((name) => gold.rows.map((r) => normalise(r[name])));
  const predCols = predNames.map((name) => predicted.rows.map((r) => normalise(r[name])));
  // Candidates: predicted columns holding the same multiset of values; same name first.
  const candidates = goldCols.map((g, gi) => {
    const list: number[] = [];
    predCols.forEach((p, pi) => {
      if (
        sameMultiset(
          g.map((v) => [v]),
          p.map((v) => [v]),
          tolerance,
        )
      )
        list.push(pi);
    });
    const name = goldNames[gi]!.toLowerCase();
    return list.sort(
      (a, b) => Number(predNames[b]!.toLowerCase() === name) - Number(predNames[a]!.toLowerCase() === name),
    );
  });
  const missing = candidates.findIndex((c) => c.length === 0);
  if (missing >= 0)
    return {
      match: false,
      reason: `no predicted column holds the values of gold column '${goldNames[missing]}'`,
    };
  const keyIndexes =
    options.ordered && options.orderKeys
      ? options.orderKeys.map((k) => goldNames.findIndex((n) => n.toLowerCase() === k.toLowerCase()))
      : null;
  const keys = keyIndexes?.every((k) => k >= 0) ? keyIndexes : null;
  const goldRows = gold.rows.map((_, r) => goldCols.map((c) => c[r]!));
  const assignment: number[] = [];
  let tried = 0;
  const search = (gi: number): boolean => {
    if (gi === goldCols.length) {
      tried++;
      const projected = predicted.rows.map((_, r) => assignment.map((pi) => predCols[pi]![r]!));
      return rowsMatch(goldRows, projected, { ordered: options.ordered, tolerance, keyIndexes: keys });
    }
    for (const pi of candidates[gi]!) {
      if (tried >= MAX_ASSIGNMENTS) return false;
      assignment[gi] = pi;
      if (search(gi + 1)) return true;
    }
    return false;
  };
  if (search(0))
    return {
      match: true,
      columns: Object.fromEntries(goldNames.map((name, gi) => [name, predNames[assignment[gi]!]!])),
    };
  return {
    match: false,
    reason: options.ordered
      ? 'the columns match but the rows differ (compared in ORDER BY order)'
      : 'the columns match but the row multisets differ',
  };
}

/**
 * The top-level ORDER BY of a SQL text: whether there is one, and its terms as column names or
 * 1-based positions (null when a term is an expression, e.g. `sum(price*quantity) DESC`).
 */
export function orderByOf(sql: string): { ordered: boolean; terms: (string | number)[] | null } {
  const text = sql.replace(/'(?:[^']|'')*'/g, "''");
  let depth = 0;
  let at = -1;
  const upper = text.toUpperCase();
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (depth === 0 && upper.startsWith('ORDER BY', i) && /\s/.test(text[i - 1] ?? ' '))
      at = i + 'ORDER BY'.length;
  }
  if (at < 0) return { ordered: false, terms: null };
  let clause = text.slice(at);
  const end = clause.search(/\b(LIMIT|OFFSET)\b/i);
  if (end >= 0) clause = clause.slice(0, end);
  const terms: (string | number)[] = [];
  depth = 0;
  let current = '';
  const parts: string[] = [];
  for (const ch of clause) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  for (const part of parts) {
    const term = part
      .trim()
      .replace(/\s+NULLS\s+(FIRST|LAST)$/i, '')
      .replace(/\s+(ASC|DESC)$/i, '')
      .trim();
    if (/^\d+$/.test(term)) terms.push(Number(term));
    else if (/^"?[A-Za-z_][A-Za-z0-9_]*"?$/.test(term)) terms.push(term.replaceAll('"', ''));
    else return { ordered: true, terms: null };
  }
  return { ordered: true, terms };
}

/** ORDER BY terms as gold column names (positions resolved), or null when one is an expression. */
export function orderKeysOf(
  terms: (string | number)[] | null,
  goldColumns: readonly { name: string }[],
): string[] | null {
  if (terms === null) return null;
  const keys: string[] = [];
  for (const t of terms) {
    if (typeof t === 'number') {
      const c = goldColumns[t - 1];
      if (!c) return null;
      keys.push(c.name);
    } else if (goldColumns.some((c) => c.name.toLowerCase() === t.toLowerCase())) keys.push(t);
    else return null;
  }
  return keys;
}
