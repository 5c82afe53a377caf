// Time travel in SQL: a read-only SELECT over tables as of older snapshots. The query is checked
// by the same guard as the engine's (one SELECT over lakehouse tables, no file access), then runs
// on a private connection where each table it reads is a temporary view of the chosen snapshot.
import type { DeltaTable } from '../delta/DeltaTable.js';
import type { Snapshot } from '../delta/Snapshot.js';
import { quoteIdent } from '../delta/schema.js';
import { guardSql } from '../engine/guardSql.js';
import { type JsonValue, jsonValueFromDuckDb } from '../engine/jsonValueFromDuckDb.js';
import type { Lakehouse } from '../engine/Lakehouse.js';
import type { QueryResult } from '../engine/SqlEngine.js';
import { QueryError } from '../errors.js';

/** The snapshot to read for each table a query uses. */
export type SnapshotChooser = (name: string, table: DeltaTable) => Promise<Snapshot>;

/**
 * Runs `sql` over `tables` (the names it may read), each table it reads as of the snapshot
 * `choose` picks, returning at most `maxRows` rows.
 * @throws QueryError with the guard's SQL_* code, or QUERY_FAILED when DuckDB fails.
 */
export async function querySnapshot(
  lakehouse: Lakehouse,
  tables: readonly string[],
  choose: SnapshotChooser,
  sql: string,
  options: { maxRows: number },
): Promise<QueryResult> {
  const started = performance.now();
  const connection = await lakehouse.duck.connect();
  try {
    const serialized = await connection.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR)', [sql]);
    const tree = JSON.parse(String(serialized.getRows()[0]?.[0] ?? '{}')) as unknown;
    const verdict = guardSql({ sql, statementCount: undefined, tree }, { tables });
    if (!verdict.success) throw new QueryError(verdict.error.code, verdict.error.message, { sql });
    const versions: Record<string, number> = {};
    for (const used of verdict.data.tables) {
      const name = tables.find((t) => t.toLowerCase() === used.toLowerCase()) ?? used;
      const table = await lakehouse.table(name);
      const snapshot = await choose(name, table);
      versions[name] = snapshot.version;
      await connection.run(`CREATE TEMP VIEW ${quoteIdent(name)} AS ${await table.scanSql(snapshot)}`);
    }
    const body = sql.trim().replace(/;+\s*$/, '');
    let reader: Awaited<ReturnType<typeof connection.runAndReadAll>>;
    try {
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
      tableVersions: versions,
    };
  } finally {
    connection.closeSync();
  }
}
