// Reading the rows a Delta stream batch added, in a deterministic order, with the version each
// row came from (sinks that are ahead skip rows per version). A version this process appended
// and still remembers comes from memory (DeltaChange.append); the others from its files.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { DeltaChange, DeltaTable, RecentAppend } from '@rt-lakehouse/kernel-helpers';

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

/** The changes whose rows are in memory, and the SQL over the rows of the others (if any). */
export async function splitChanges(
  table: DeltaTable,
  changes: readonly DeltaChange[],
  columns: string[],
): Promise<{ inMemory: (DeltaChange & { append: RecentAppend })[]; filesSql: string | undefined }> {
  const inMemory = changes.filter((c): c is DeltaChange & { append: RecentAppend } => !!c.append);
  const onDisk = inMemory.length === 0 ? changes : changes.filter((c) => !c.append);
  return { inMemory, filesSql: await changedRowsSql(table, onDisk, columns) };
}

/**
 * Row indexes of a remembered append ordered by the numeric-or-bigint `keys` columns (as
 * `ORDER BY k1, k2` over the files would give them; the keys must be unique together).
 */
export function orderedIndexes(append: RecentAppend, keys: readonly string[]): number[] {
  const columns = keys.map((k) => append.columns[k] ?? []);
  const order = Array.from({ length: append.rowCount }, (_, i) => i);
  const before = (a: number, b: number) => {
    for (const c of columns) {
      const x = c[a] as number | bigint;
      const y = c[b] as number | bigint;
      if (x < y) return -1;
      if (x > y) return 1;
    }
    return 0;
  };
  for (let i = 1; i < order.length; i++) if (before(order[i - 1]!, order[i]!) > 0) return order.sort(before);
  return order;
}
