// The lakehouse schemas as the planner receives them (Delta types), built from the pipelines'
// own table definitions so the tests follow DESIGN.md's tables.
import { type TableSchema, typeToString } from '@rt-lakehouse/kernel-helpers';
import {
  BRONZE_EVENTS_SCHEMA,
  GOLD_KPIS_SCHEMA,
  QUARANTINE_EVENTS_SCHEMA,
  SILVER_EVENTS_SCHEMA,
  TABLES,
} from '@rt-lakehouse/pipelines';

const schema = (name: string, struct: typeof SILVER_EVENTS_SCHEMA): TableSchema => ({
  name,
  columns: struct.fields.map((f) => ({ name: f.name, type: typeToString(f.type) })),
});

export const LAKEHOUSE_TABLES: TableSchema[] = [
  schema(TABLES.bronze, BRONZE_EVENTS_SCHEMA),
  schema(TABLES.gold, GOLD_KPIS_SCHEMA),
  schema(TABLES.quarantine, QUARANTINE_EVENTS_SCHEMA),
  schema(TABLES.silver, SILVER_EVENTS_SCHEMA),
];

/** `tables` with `column` removed from `table`. */
export function withoutColumn(tables: TableSchema[], table: string, column: string): TableSchema[] {
  return tables.map((t) =>
    t.name === table ? { ...t, columns: t.columns.filter((c) => c.name !== column) } : t,
  );
}
