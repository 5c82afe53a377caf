// How a table lays rows out in the parquet files this project writes, read from two table
// properties (Delta leaves properties outside `delta.*` to the writer):
//
//   rtlakehouse.sortBy                 columns each written file is sorted by, comma-separated
//   rtlakehouse.parquet.rowGroupRows   rows per parquet row group (DuckDB's default: 122,880)
//
// Sorted files with small row groups let a reader skip row groups by their min/max statistics:
// Silver sorted by (event_type, ts) keeps a rare event type in a few row groups of each file,
// so "purchases of the last 7 days" reads those instead of every row. Appends, overwrites and
// OPTIMIZE all honour the layout; readers need nothing. Pure.
import { DeltaError } from '../errors.js';
import { quoteIdent, type StructType } from './schema.js';

export const SORT_BY_PROPERTY = 'rtlakehouse.sortBy';
export const ROW_GROUP_ROWS_PROPERTY = 'rtlakehouse.parquet.rowGroupRows';

export interface DataLayout {
  /** Columns (as the schema spells them) every written file is sorted by, in order. */
  sortBy: string[];
  /** Rows per parquet row group; DuckDB's default when undefined. */
  rowGroupRows?: number;
}

/**
 * The layout the properties ask for, checked against `schema`.
 * @throws DeltaError DELTA_INVALID_LAYOUT naming the property, the value and what is wrong.
 */
export function dataLayoutOf(
  properties: Readonly<Record<string, string | null>>,
  schema: StructType,
  table: string,
  version?: number,
): DataLayout {
  const invalid = (property: string, problem: string) =>
    new DeltaError(
      'DELTA_INVALID_LAYOUT',
      table,
      version,
      `table property ${property} = '${properties[property]}': ${problem}`,
    );
  const sortBy: string[] = [];
  const rawSort = properties[SORT_BY_PROPERTY]?.trim();
  if (rawSort) {
    for (const name of rawSort.split(',').map((s) => s.trim())) {
      const f = schema.fields.find((x) => x.name.toLowerCase() === name.toLowerCase());
      if (!f)
        throw invalid(
          SORT_BY_PROPERTY,
          `no column '${name}' (columns: ${schema.fields.map((x) => x.name).join(', ')})`,
        );
      if (typeof f.type !== 'string')
        throw invalid(SORT_BY_PROPERTY, `column '${f.name}' is not of a primitive type`);
      if (!sortBy.includes(f.name)) sortBy.push(f.name);
    }
  }
  const rawRows = properties[ROW_GROUP_ROWS_PROPERTY]?.trim();
  if (rawRows === undefined || rawRows === '') return { sortBy };
  const rows = Number(rawRows);
  if (!Number.isInteger(rows) || rows < 2048 || rows > 10_000_000)
    throw invalid(ROW_GROUP_ROWS_PROPERTY, 'expected a whole number of rows from 2048 to 10,000,000');
  return { sortBy, rowGroupRows: rows };
}

/** `ORDER BY a, b` for the layout's sort columns, or '' without them. */
export function layoutOrderBySql(layout: DataLayout): string {
  return layout.sortBy.length === 0 ? '' : ` ORDER BY ${layout.sortBy.map(quoteIdent).join(', ')}`;
}
