// Staging JavaScript rows into a DuckDB temporary table, column by column through the
// appender, typed by the Delta schema. Nested and decimal values go through JSON/text.
import {
  BIGINT,
  BLOB,
  BOOLEAN,
  DATE,
  DOUBLE,
  DuckDBBlobValue,
  type DuckDBConnection,
  DuckDBDataChunk,
  DuckDBDateValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  type DuckDBType,
  type DuckDBValue,
  FLOAT,
  INTEGER,
  SMALLINT,
  TIMESTAMP,
  TIMESTAMPTZ,
  TINYINT,
  VARCHAR,
} from '@duckdb/node-api';
import duckdb from '@duckdb/node-bindings';
import { LakehouseError } from '../errors.js';
import { type DataType, duckdbTypeOf, quoteIdent, type StructType } from './schema.js';
import { utf8Text, vectorFillFor } from './vectorFill.js';

const CHUNK_ROWS = 2048;

function toMillis(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return Date.parse(value);
  return Number.NaN;
}

function toMicros(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'string') {
    // Keep sub-millisecond digits that Date would drop.
    const m = /^(.*?[T ]\d{2}:\d{2}:\d{2})\.(\d{4,9})(.*)$/.exec(value);
    if (m) {
      const base = Date.parse(`${m[1]}${m[3] || 'Z'}`);
      if (!Number.isNaN(base)) return BigInt(base) * 1000n + BigInt(m[2]!.padEnd(6, '0').slice(0, 6));
    }
  }
  const ms = toMillis(value);
  if (Number.isNaN(ms)) throw new TypeError(`not a timestamp: ${String(value)}`);
  return BigInt(Math.round(ms * 1000));
}

interface StagedColumn {
  stageType: DuckDBType;
  /** SQL that turns the staged column into the table type. */
  castSql: (ident: string) => string;
  convert: (value: unknown) => DuckDBValue;
}

function stagedColumn(type: DataType): StagedColumn {
  const plain = (stageType: DuckDBType, convert: (v: unknown) => DuckDBValue): StagedColumn => ({
    stageType,
    castSql: (ident) => ident,
    convert,
  });
  switch (type) {
    case 'string':
      return plain(VARCHAR, (v) =>
        typeof v === 'string'
          ? v
          : v instanceof Uint8Array
            ? utf8Text(v)
            : typeof v === 'object'
              ? JSON.stringify(v)
              : String(v),
      );
    case 'long':
      return plain(BIGINT, (v) => BigInt(v as number | bigint | string));
    case 'integer':
      return plain(INTEGER, (v) => Number(v));
    case 'short':
      return plain(SMALLINT, (v) => Number(v));
    case 'byte':
      return plain(TINYINT, (v) => Number(v));
    case 'double':
      return plain(DOUBLE, (v) => Number(v));
    case 'float':
      return plain(FLOAT, (v) => Number(v));
    case 'boolean':
      return plain(BOOLEAN, (v) => Boolean(v));
    case 'timestamp':
      return plain(TIMESTAMPTZ, (v) => new DuckDBTimestampTZValue(toMicros(v)));
    case 'timestamp_ntz':
      return plain(TIMESTAMP, (v) => new DuckDBTimestampValue(toMicros(v)));
    case 'binary':
      // Bytes as they are; a string stands for its UTF-8 bytes.
      return plain(BLOB, (v) => {
        if (v instanceof Uint8Array) return new DuckDBBlobValue(v);
        if (typeof v === 'string') return new DuckDBBlobValue(Buffer.from(v, 'utf8'));
        throw new TypeError('binary values must be Uint8Array (or Buffer) or string');
      });
    case 'date':
      return plain(
        DATE,
        (v) =>
          new DuckDBDateValue(
            Math.floor(
              toMillis(typeof v === 'string' && v.length === 10 ? `${v}T00:00:00Z` : v) / 86_400_000,
            ),
          ),
      );
    default: {
      const target = duckdbTypeOf(type);
      const nested = typeof type === 'object';
      return {
        stageType: VARCHAR,
        castSql: (ident) => `CAST(${nested ? `${ident}::JSON` : ident} AS ${target})`,
        convert: (v) => (nested || typeof v === 'object' ? JSON.stringify(v) : String(v)),
      };
    }
  }
}

/**
 * Values of one column for rows [offset, offset + n): `values[start + i]` is row offset + i;
 * undefined entries (also past the array's end) are NULL.
 */
type ColumnReader = (
  name: string,
  offset: number,
  n: number,
) => { readonly values: readonly unknown[]; readonly start: number };

async function stage(
  connection: DuckDBConnection,
  name: string,
  schema: StructType,
  rowCount: number,
  read: ColumnReader,
): Promise<string> {
  const columns = schema.fields.map((f) => ({
    field: f,
    staged: stagedColumn(f.type),
    fill: vectorFillFor(f.type),
  }));
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE ${quoteIdent(name)} (${columns
      .map((c) => `${quoteIdent(c.field.name)} ${c.staged.stageType.toString()}`)
      .join(', ')})`,
  );
  const appender = await connection.createAppender(name, 'main', 'temp');
  try {
    const types = columns.map((c) => c.staged.stageType);
    for (let offset = 0; offset < rowCount; offset += CHUNK_ROWS) {
      const n = Math.min(CHUNK_ROWS, rowCount - offset);
      const chunk = DuckDBDataChunk.create(types, n);
      columns.forEach((c, col) => {
        const { values: raw, start } = read(c.field.name, offset, n);
        if (c.fill?.(duckdb.data_chunk_get_vector(chunk.chunk, col), raw, start, n)) return;
        const isVarchar = c.staged.stageType === VARCHAR;
        const values: DuckDBValue[] = new Array(n);
        for (let i = 0; i < n; i++) {
          const v = raw[start + i];
          if (v === null || v === undefined) {
            values[i] = null;
          } else if (isVarchar && typeof v === 'string') {
            values[i] = v;
          } else {
            try {
              values[i] = c.staged.convert(v);
            } catch (cause) {
              throw new LakehouseError(
                'ROW_CONVERSION',
                `row ${offset + i}: column ${c.field.name} cannot hold ${JSON.stringify(v)} (${(cause as Error).message})`,
                { cause },
              );
            }
          }
        }
        chunk.setColumnValues(col, values);
      });
      appender.appendDataChunk(chunk);
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
  return `SELECT ${columns.map((c) => `${c.staged.castSql(quoteIdent(c.field.name))} AS ${quoteIdent(c.field.name)}`).join(', ')} FROM temp.${quoteIdent(name)}`;
}

/**
 * Creates temporary table `name` on `connection` holding `rows` with the schema's columns
 * (missing properties are NULL) and returns a SELECT that yields them with the table's types.
 * Throws LakehouseError (ROW_CONVERSION) naming the row and column of a value that does not fit.
 */
export function stageRows(
  connection: DuckDBConnection,
  name: string,
  schema: StructType,
  rows: readonly Record<string, unknown>[],
): Promise<string> {
  return stage(connection, name, schema, rows.length, (column, offset, n) => {
    const values = new Array<unknown>(n);
    for (let i = 0; i < n; i++) values[i] = rows[offset + i]![column];
    return { values, start: 0 };
  });
}

/**
 * Like stageRows, for data already held column by column: `columns[name][i]` is row i's value
 * (a column the schema has and `columns` lacks is NULL). Cheaper than rows for large batches.
 */
export function stageColumns(
  connection: DuckDBConnection,
  name: string,
  schema: StructType,
  columns: Readonly<Record<string, readonly unknown[]>>,
  rowCount: number,
): Promise<string> {
  const missing = { values: [], start: 0 };
  return stage(connection, name, schema, rowCount, (column, offset) => {
    const values = columns[column];
    return values ? { values, start: offset } : missing;
  });
}
