// Data skipping: deciding from a file's partition values and statistics whether it can hold
// rows matching a predicate. Conservative: when unsure, a file is kept. Pure.
import type { AddAction } from './actions.js';
import { isNullPartitionValue } from './partitionValues.js';
import type { Literal, Predicate } from './predicate.js';
import type { DataType, StructType } from './schema.js';

/** Parsed `stats` of a file. */
export interface FileStats {
  numRecords?: number;
  minValues?: Record<string, unknown>;
  maxValues?: Record<string, unknown>;
  nullCount?: Record<string, unknown>;
}

/** Parses an add action's `stats` JSON; undefined when absent or unreadable. */
export function parseFileStats(stats: string | undefined): FileStats | undefined {
  if (!stats) return undefined;
  try {
    return JSON.parse(stats) as FileStats;
  } catch {
    return undefined;
  }
}

type Tri = boolean | undefined; // true: may match; false: cannot match; undefined: unknown

/** A comparable form of a value of type `t`: numbers for numerics and instants, strings otherwise. */
export function comparable(value: unknown, t: DataType | undefined): number | string | boolean | undefined {
  if (value === null || value === undefined) return undefined;
  if (t === 'timestamp' || t === 'timestamp_ntz' || t === 'date') {
    if (value instanceof Date) return value.getTime();
    if (typeof value === 'string') {
      const iso = /^\d{4}-\d{2}-\d{2}$/.test(value)
        ? `${value}T00:00:00Z`
        : /[zZ]|[+-]\d{2}:?\d{2}$/.test(value)
          ? value.replace(' ', 'T')
          : `${value.replace(' ', 'T')}Z`;
      const ms = Date.parse(iso);
      return Number.isNaN(ms) ? undefined : ms;
    }
    if (typeof value === 'number') return value;
    return undefined;
  }
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    if (t === 'string' || t === 'binary' || t === undefined) return value;
    const n = Number(value);
    return Number.isNaN(n) ? value : n;
  }
  return undefined;
}

export function compare(a: number | string | boolean, b: number | string | boolean): number | undefined {
  if (typeof a !== typeof b) return undefined;
  return a < b ? -1 : a > b ? 1 : 0;
}

interface ColumnFacts {
  type: DataType | undefined;
  /** The single value of a partition column (undefined: not a partition column). */
  partition?: { isNull: boolean; value: number | string | boolean | undefined };
  min?: number | string | boolean;
  max?: number | string | boolean;
  nullCount?: number;
  numRecords?: number;
}

function maybeMatches(p: Predicate, facts: (column: string) => ColumnFacts): Tri {
  switch (p.op) {
    case 'and': {
      let result: Tri = true;
      for (const a of p.args) {
        const r = maybeMatches(a, facts);
        if (r === false) return false;
        if (r === undefined) result = undefined;
      }
      return result;
    }
    case 'or': {
      let result: Tri = false;
      for (const a of p.args) {
        const r = maybeMatches(a, facts);
        if (r === true) return true;
        if (r === undefined) result = undefined;
      }
      return result;
    }
    case 'not':
      // Only partition columns give exact answers that can be negated.
      return negatable(p.arg, facts);
    case 'isNull': {
      const f = facts(p.column);
      if (f.partition) return f.partition.isNull;
      if (f.nullCount !== undefined) return f.nullCount > 0;
      return undefined;
    }
    case 'isNotNull': {
      const f = facts(p.column);
      if (f.partition) return !f.partition.isNull;
      if (f.nullCount !== undefined && f.numRecords !== undefined) return f.nullCount < f.numRecords;
      return undefined;
    }
    case 'in': {
      let result: Tri = false;
      for (const v of p.values) {
        const r = maybeMatches({ op: '=', column: p.column, value: v }, facts);
        if (r === true) return true;
        if (r === undefined) result = undefined;
      }
      return result;
    }
    default: {
      const f = facts(p.column);
      const v = comparable(p.value as Literal, f.type);
      if (v === undefined) return undefined;
      if (f.partition) {
        if (f.partition.isNull) return false;
        if (f.partition.value === undefined) return undefined;
        const c = compare(f.partition.value, v);
        if (c === undefined) return undefined;
        return { '=': c === 0, '!=': c !== 0, '<': c < 0, '<=': c <= 0, '>': c > 0, '>=': c >= 0 }[p.op];
      }
      if (f.numRecords !== undefined && f.nullCount !== undefined && f.nullCount >= f.numRecords)
        return false;
      if (f.min === undefined || f.max === undefined) return undefined;
      const lo = compare(f.min, v);
      const hi = compare(f.max, v);
      if (lo === undefined || hi === undefined) return undefined;
      switch (p.op) {
        case '=':
          return lo <= 0 && hi >= 0;
        case '!=':
          return !(lo === 0 && hi === 0);
        case '<':
          return lo < 0;
        case '<=':
          return lo <= 0;
        case '>':
          return hi > 0;
        case '>=':
          return hi >= 0;
      }
    }
  }
}

/** For NOT: exact only when every referenced column is a partition column. */
function negatable(p: Predicate, facts: (column: string) => ColumnFacts): Tri {
  const exact = (q: Predicate): boolean => {
    if (q.op === 'and' || q.op === 'or') return q.args.every(exact);
    if (q.op === 'not') return exact(q.arg);
    return facts(q.column).partition !== undefined;
  };
  if (!exact(p)) return undefined;
  const r = maybeMatches(p, facts);
  return r === undefined ? undefined : !r;
}

function lookup(obj: Record<string, unknown> | undefined, path: string): unknown {
  if (!obj) return undefined;
  const direct = obj[path];
  if (direct !== undefined) return direct;
  const key = Object.keys(obj).find((k) => k.toLowerCase() === path.toLowerCase());
  return key === undefined ? undefined : obj[key];
}

/**
 * Whether `file` may hold rows matching `predicate`: false only when its partition values or
 * statistics prove that none can. Timestamp maxima are widened by 1 ms (stats keep millis).
 */
export function fileMayMatch(
  file: AddAction,
  predicate: Predicate,
  schema: StructType,
  partitionColumns: readonly string[],
  stats: FileStats | undefined = parseFileStats(file.stats),
): boolean {
  const partitions = new Set(partitionColumns.map((c) => c.toLowerCase()));
  const facts = (column: string): ColumnFacts => {
    const field = schema.fields.find((f) => f.name.toLowerCase() === column.toLowerCase());
    const type = field?.type;
    if (partitions.has(column.toLowerCase())) {
      const raw = lookup(file.partitionValues ?? {}, column) as string | null | undefined;
      const isNull = type === undefined ? raw === null || raw === undefined : isNullPartitionValue(raw, type);
      return { type, partition: { isNull, value: isNull ? undefined : comparable(raw, type) } };
    }
    const min = comparable(lookup(stats?.minValues, column), type);
    let max = comparable(lookup(stats?.maxValues, column), type);
    if ((type === 'timestamp' || type === 'timestamp_ntz') && typeof max === 'number') max += 1;
    const nullCount = lookup(stats?.nullCount, column);
    const facts: ColumnFacts = { type };
    if (min !== undefined) facts.min = min;
    if (max !== undefined) facts.max = max;
    if (typeof nullCount === 'number') facts.nullCount = nullCount;
    if (typeof stats?.numRecords === 'number') facts.numRecords = stats.numRecords;
    return facts;
  };
  return maybeMatches(predicate, facts) !== false;
}
