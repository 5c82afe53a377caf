// Partition values are strings in the log (PROTOCOL.md "Partition Value Serialization");
// these helpers turn them into SQL literals for DuckDB and produce them when writing.
import { type DataType, duckdbTypeOf, quoteLiteral } from './schema.js';

/** Whether a serialised partition value stands for NULL (`null`, or '' for non-strings). */
export function isNullPartitionValue(value: string | null | undefined, type: DataType): boolean {
  return value === null || value === undefined || (value === '' && type !== 'string');
}

/** A DuckDB SQL expression of type `type` for a serialised partition value. */
export function partitionValueSql(
  value: string | null | undefined,
  type: DataType,
  timeZone = 'UTC',
): string {
  const duckType = duckdbTypeOf(type);
  if (isNullPartitionValue(value, type)) return `CAST(NULL AS ${duckType})`;
  const v = value as string;
  if (type === 'timestamp') {
    // Without a zone the value is a wall-clock time in UTC (the protocol's reading); tables
    // written by Spark with another session time zone name it through `timeZone`.
    const hasZone = /([zZ]|[+-]\d{2}(:?\d{2})?)$/.test(v);
    if (hasZone) return `CAST(${quoteLiteral(v)} AS TIMESTAMPTZ)`;
    return `timezone(${quoteLiteral(timeZone)}, CAST(${quoteLiteral(v)} AS TIMESTAMP))`;
  }
  if (type === 'binary') return `encode(${quoteLiteral(v)})`;
  return `CAST(${quoteLiteral(v)} AS ${duckType})`;
}

/** A DuckDB SQL expression rendering a value of `type` as its partition value string. */
export function partitionValueFormatSql(expr: string, type: DataType): string {
  switch (type) {
    case 'timestamp':
      return `strftime(${expr}, '%Y-%m-%d %H:%M:%S.%f')`;
    case 'timestamp_ntz':
      return `strftime(${expr}, '%Y-%m-%d %H:%M:%S.%f')`;
    case 'date':
      return `strftime(${expr}, '%Y-%m-%d')`;
    case 'binary':
      return `decode(${expr})`;
    default:
      return `CAST(${expr} AS VARCHAR)`;
  }
}

/** The Hive-style folder segment `col=value` Spark uses for a partition value. */
export function partitionPathSegment(column: string, value: string | null): string {
  return `${escapePathChars(column)}=${value === null ? '__HIVE_DEFAULT_PARTITION__' : escapePathChars(value)}`;
}

// Characters Hive escapes in partition folder names (besides control characters).
const ESCAPED = new Set('"#%\'*/:=?\\{}[]^\u007f');

function escapePathChars(s: string): string {
  let out = '';
  for (const c of s) {
    const code = c.charCodeAt(0);
    out += code < 0x20 || ESCAPED.has(c) ? `%${code.toString(16).toUpperCase().padStart(2, '0')}` : c;
  }
  return out;
}
