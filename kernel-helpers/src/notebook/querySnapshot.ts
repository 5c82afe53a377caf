// Time travel in SQL: a read-only SELECT over one table as of an older snapshot. The query is
// checked by the same guard as the engine's (one SELECT, this table only, no file access), then
// runs on a private connection where the table's name is a temporary view of that snapshot.
import type { DeltaTable } from '../delta/DeltaTable.js';
import type { Snapshot } from '../delta/Snapshot.js';
import { quoteIdent } from '../delta/schema.js';
import { guardSql } from '../engine/guardSql.js';
import { type JsonValue, jsonValueFromDuckDb } from '../engine/jsonValueFromDuckDb.js';
import type { Lakehouse } from '../engine/Lakehouse.js';
import type { QueryResult } from '../engine/SqlEngine.js';
import { QueryError } from '../errors.js';

/**
 * Runs `sql`, in which `name` means `table` at `snapshot`, returning at most `maxRows` rows.
 * @throws QueryError with the guard's SQL_* code, or QUERY_FAILED when DuckDB fails.
 */
export async function querySnapshot(
  lakehouse: Lakehouse,
  name: string,
  table: DeltaTable,
  snapshot: Snapshot,
  sql: string,
  options: { maxRows: number },
): Promise<QueryResult> {
  const started = performance.now();
  const connection = await lakehouse.duck.connect();
  try {
    const serialized = await connection.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR)', [sql]);
    const tree = JSON.parse(String(serialized.getRows()[0]?.[0] ?? '{}')) as unknown;
    const verdict = guardSql({ sql, statementCount: undefined, tree }, { tables: [name] });
    if (!verdict.success) throw new QueryError(verdict.error.code, verdict.error.message, { sql });
    const scan = await table.scanSql(snapshot);
    const body = sql.trim().replace(/;+\s*$/, '');
    let reader: Awaited<ReturnType<typeof connection.runAndReadAll>>;
    try {
      await connection.run(`CREATE TEMP VIEW ${quoteIdent(name)} AS ${scan}`);
      reader = await connection.runAndReadAll(`SELECT * FROM (\n${body}\n) LIMIT ${options.maxRows + 1}`);
    } catch (cause) {
      throw new QueryError('QUERY_FAILED', (cause as Error).message, { sql, cause });
    }
    const names = reader.deduplicatedColumnNames();
    const types = reader.columnTypes();
    const all = reader.convertRows(jsonValueFromDuckDb);
    const truncated = all.length > options.maxRows;
    const rows = all
      .slice(0, options.maxRows)
      .map((values) => Object.fromEntries(names.map((n, i) => [n, (values[i] ?? null) as JsonValue])));
    return {
      columns: names.map((n, i) => ({ name: n, type: types[i]!.toString() })),
      rows,
      rowCount: rows.length,
      truncated,
      totalRows: truncated ? undefined : rows.length,
      elapsedMs: performance.now() - started,
      tableVersions: { [name]: snapshot.version },
    };
  } finally {
    connection.closeSync();
  }
}
