// Converts DuckDB values to JSON-friendly values: integers as numbers when exactly
// representable (else strings), decimals as numbers, instants as ISO-8601 strings.
import {
  arrayFromArrayValue,
  arrayFromListValue,
  booleanFromValue,
  createDuckDBValueConverter,
  type DuckDBTimestampMillisecondsValue,
  type DuckDBTimestampNanosecondsValue,
  type DuckDBTimestampSecondsValue,
  type DuckDBTimestampTZValue,
  type DuckDBTimestampValue,
  DuckDBTypeId,
  type DuckDBValueConverter,
  doubleFromDecimalValue,
  fromVariantValue,
  jsonNumberFromValue,
  nullConverter,
  numberFromValue,
  objectArrayFromMapValue,
  objectFromStructValue,
  objectFromUnionValue,
  stringFromValue,
} from '@duckdb/node-api';

/** A value that JSON.stringify renders faithfully. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Converters return `T | null`, so they are typed over the non-null JSON values. */
type Converter = DuckDBValueConverter<NonNullable<JsonValue>>;

/** BIGINT, HUGEINT ...: a number when it is a safe integer, else its decimal string. */
const integerFromValue: Converter = (value) => {
  if (typeof value === 'bigint') {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  return typeof value === 'number' ? value : String(value);
};

/** An ISO-8601 string (millisecond precision) for a timestamp `micros` since the epoch. */
function isoFromMicros(micros: bigint, zone: 'Z' | ''): string | undefined {
  const ms = Number((micros - (((micros % 1000n) + 1000n) % 1000n)) / 1000n);
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) return undefined;
  const iso = date.toISOString();
  return zone === 'Z' ? iso : iso.slice(0, -1);
}

type TimestampLike =
  | DuckDBTimestampTZValue
  | DuckDBTimestampValue
  | DuckDBTimestampSecondsValue
  | DuckDBTimestampMillisecondsValue
  | DuckDBTimestampNanosecondsValue;

/** Timestamps: ISO strings (`Z` for TIMESTAMPTZ); infinities and out-of-range values as DuckDB prints them. */
function timestampConverter(toMicros: (v: TimestampLike) => bigint, zone: 'Z' | ''): Converter {
  return (value) => {
    const v = value as TimestampLike;
    if (!v.isFinite) return v.toString();
    return isoFromMicros(toMicros(v), zone) ?? v.toString();
  };
}

const micros = (v: TimestampLike) => (v as DuckDBTimestampValue).micros;

const OVERRIDES: Partial<Record<DuckDBTypeId, Converter>> = {
  [DuckDBTypeId.BOOLEAN]: booleanFromValue,
  [DuckDBTypeId.TINYINT]: numberFromValue,
  [DuckDBTypeId.SMALLINT]: numberFromValue,
  [DuckDBTypeId.INTEGER]: numberFromValue,
  [DuckDBTypeId.UTINYINT]: numberFromValue,
  [DuckDBTypeId.USMALLINT]: numberFromValue,
  [DuckDBTypeId.UINTEGER]: numberFromValue,
  [DuckDBTypeId.BIGINT]: integerFromValue,
  [DuckDBTypeId.UBIGINT]: integerFromValue,
  [DuckDBTypeId.HUGEINT]: integerFromValue,
  [DuckDBTypeId.UHUGEINT]: integerFromValue,
  [DuckDBTypeId.BIGNUM]: integerFromValue,
  [DuckDBTypeId.FLOAT]: jsonNumberFromValue,
  [DuckDBTypeId.DOUBLE]: jsonNumberFromValue,
  [DuckDBTypeId.DECIMAL]: doubleFromDecimalValue,
  [DuckDBTypeId.TIMESTAMP_TZ]: timestampConverter(micros, 'Z'),
  [DuckDBTypeId.TIMESTAMP]: timestampConverter(micros, ''),
  [DuckDBTypeId.TIMESTAMP_S]: timestampConverter(
    (v) => (v as DuckDBTimestampSecondsValue).seconds * 1_000_000n,
    '',
  ),
  [DuckDBTypeId.TIMESTAMP_MS]: timestampConverter(
    (v) => (v as DuckDBTimestampMillisecondsValue).millis * 1000n,
    '',
  ),
  [DuckDBTypeId.TIMESTAMP_NS]: timestampConverter(
    (v) => (v as DuckDBTimestampNanosecondsValue).nanos / 1000n,
    '',
  ),
  [DuckDBTypeId.LIST]: arrayFromListValue,
  [DuckDBTypeId.ARRAY]: arrayFromArrayValue,
  [DuckDBTypeId.STRUCT]: objectFromStructValue,
  [DuckDBTypeId.MAP]: objectArrayFromMapValue as Converter,
  [DuckDBTypeId.UNION]: objectFromUnionValue as Converter,
  [DuckDBTypeId.VARIANT]: fromVariantValue,
  [DuckDBTypeId.SQLNULL]: nullConverter,
};

const convertersByTypeId = Object.fromEntries(
  Object.values(DuckDBTypeId)
    .filter((id): id is DuckDBTypeId => typeof id === 'number')
    .map((id) => [id, OVERRIDES[id] ?? (stringFromValue as Converter)]),
) as Record<DuckDBTypeId, Converter>;

/**
 * The DuckDB value converter of query results: BIGINT/HUGEINT → number when safe, else string;
 * DECIMAL → number; FLOAT/DOUBLE → number (NaN and infinities as strings); TIMESTAMPTZ → ISO
 * string with `Z` (millisecond precision); TIMESTAMP → ISO string without zone; DATE, TIME,
 * INTERVAL, UUID, BLOB → DuckDB's text; LIST/STRUCT/MAP recursively (MAP as {key, value} pairs).
 */
export const jsonValueFromDuckDb: Converter = createDuckDBValueConverter(convertersByTypeId);
