// The lakehouse tables the planner knows by role (DESIGN.md fixes their names) and the time
// column each is filtered and bucketed on.
import type { MetricTable } from './metrics.js';
import type { TableSchema } from './PlannerContext.js';

export const TABLE_ROLES = {
  events: 'silver_events',
  gold: 'gold_kpis',
  quarantine: 'quarantine_events',
  bronze: 'bronze_events',
} as const satisfies Record<MetricTable | 'gold', string>;

const KNOWN_TIME_COLUMNS: Readonly<Record<string, string>> = {
  silver_events: 'ts',
  gold_kpis: 'window_start',
  quarantine_events: 'quarantined_at',
  bronze_events: 'ingested_at',
};

/** The table named `name` (case-insensitive) in `tables`, if any. */
export function findTable(tables: readonly TableSchema[], name: string): TableSchema | undefined {
  const wanted = name.toLowerCase();
  return tables.find((t) => t.name.toLowerCase() === wanted);
}

/** Whether `table` has a column `column` (case-insensitive). */
export function hasColumn(table: TableSchema, column: string): boolean {
  const wanted = column.toLowerCase();
  return table.columns.some((c) => c.name.toLowerCase() === wanted);
}

/** The column a table's rows are timed by: the known one when present, else its first timestamp. */
export function timeColumnOf(table: TableSchema): string | null {
  const known = KNOWN_TIME_COLUMNS[table.name.toLowerCase()];
  if (known !== undefined && hasColumn(table, known)) return known;
  return table.columns.find((c) => c.type.toLowerCase().startsWith('timestamp'))?.name ?? null;
}

/** Whether a Delta type is numeric. */
export function isNumericType(type: string): boolean {
  return /^(byte|short|integer|int|long|bigint|float|double|decimal|tinyint|smallint|hugeint)/i.test(type);
}
