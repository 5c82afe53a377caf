// Reading the rows a Delta stream batch added, in a deterministic order, with the version each
// row came from (sinks that are ahead skip rows per version).
import type { DuckDBConnection } from '@duckdb/node-api';
import type { DeltaChange, DeltaTable } from '@rt-lakehouse/kernel-helpers';

/**
 * SQL over the rows added by `changes` of `table`, with a `_version` column, projected on
 * `columns` (in the table's current schema, so older files without a column give NULL).
 */
export async function changedRowsSql(
  table: DeltaTable,
  changes: readonly DeltaChange[],
  columns: string[],
): Promise<string | undefined> {
  const parts: string[] = [];
  const snapshot = await table.latest();
  for (const change of changes) {
    if (change.files.length === 0) continue;
    const sql = await table.scanSql(snapshot, { files: change.files, columns });
    parts.push(`SELECT ${change.version} AS _version, * FROM (${sql})`);
  }
  return parts.length === 0 ? undefined : parts.join('\nUNION ALL\n');
}

/** Runs `sql` and returns its rows as arrays. */
export async function readRows(connection: DuckDBConnection, sql: string): Promise<unknown[][]> {
  return (await connection.runAndReadAll(sql)).getRows() as unknown[][];
}
