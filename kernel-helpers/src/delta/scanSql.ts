// The DuckDB SQL that reads a snapshot's data files as the table's logical rows: column
// mapping, partition values, columns absent from older files, and type widening. Pure.
import { partitionValueSql } from './partitionValues.js';
import {
  type ColumnMappingMode,
  type DataType,
  duckdbTypeOf,
  isArrayType,
  isMapType,
  isStructType,
  physicalName,
  quoteIdent,
  quoteLiteral,
  type StructType,
} from './schema.js';

/** Files that share partition values and the same set of top-level columns. */
export interface ScanGroup {
  partitionValues: Record<string, string | null>;
  urls: string[];
  /** Lower-cased physical names of the top-level columns found in these files. */
  presentColumns: ReadonlySet<string>;
  /** Rows a deletion vector removed (0-based positions in the file); only for single-file groups. */
  deletedRows?: readonly number[];
}

export interface ScanSqlInput {
  schema: StructType;
  partitionColumns: readonly string[];
  columnMapping: ColumnMappingMode;
  groups: readonly ScanGroup[];
  /** Time zone of timestamp partition values written without one (UTC by default). */
  partitionTimeZone?: string;
  /** Only these logical columns, in this order (all when omitted). */
  columns?: readonly string[];
}

let lambdaCounter = 0;

/** Reads `expr` (physical layout) as a value of logical type `type`. */
function convert(expr: string, type: DataType, mode: ColumnMappingMode): string {
  if (mode === 'none' || typeof type === 'string') return `CAST(${expr} AS ${duckdbTypeOf(type)})`;
  if (isStructType(type)) {
    const fields = type.fields.map(
      (f) =>
        `${quoteIdent(f.name)} := ${convert(`${expr}.${quoteIdent(physicalName(f, mode))}`, f.type, mode)}`,
    );
    return `CASE WHEN ${expr} IS NULL THEN NULL ELSE struct_pack(${fields.join(', ')}) END`;
  }
  const v = `x${++lambdaCounter}`;
  if (isArrayType(type)) return `list_transform(${expr}, ${v} -> ${convert(v, type.elementType, mode)})`;
  if (isMapType(type)) {
    const k = convert(`${v}.key`, type.keyType, mode);
    const val = convert(`${v}.value`, type.valueType, mode);
    return `map_from_entries(list_transform(map_entries(${expr}), ${v} -> {'key': ${k}, 'value': ${val}}))`;
  }
  return expr;
}

function listLiteral(urls: readonly string[]): string {
  return `[${urls.map(quoteLiteral).join(', ')}]`;
}

/** SQL returning the logical rows of the given file groups (no rows when there are none). */
export function buildScanSql(input: ScanSqlInput): string {
  const partitionSet = new Set(input.partitionColumns.map((c) => c.toLowerCase()));
  const wanted = input.columns
    ? input.columns.map((name) => {
        const f = input.schema.fields.find((x) => x.name.toLowerCase() === name.toLowerCase());
        if (!f) throw new Error(`unknown column ${name}`);
        return f;
      })
    : input.schema.fields;
  const projection = (group: ScanGroup | undefined) =>
    wanted
      .map((f) => {
        const name = quoteIdent(f.name);
        if (partitionSet.has(f.name.toLowerCase())) {
          const key = Object.keys(group?.partitionValues ?? {}).find(
            (k) => k.toLowerCase() === f.name.toLowerCase(),
          );
          const raw = key === undefined ? undefined : group?.partitionValues[key];
          // Partition values are keyed by physical name under column mapping.
          const physical = group?.partitionValues[physicalName(f, input.columnMapping)];
          return `${partitionValueSql(raw ?? physical, f.type, input.partitionTimeZone)} AS ${name}`;
        }
        const phys = physicalName(f, input.columnMapping);
        if (!group || !group.presentColumns.has(phys.toLowerCase())) {
          return `CAST(NULL AS ${duckdbTypeOf(f.type)}) AS ${name}`;
        }
        return `${convert(quoteIdent(phys), f.type, input.columnMapping)} AS ${name}`;
      })
      .join(', ');
  if (input.groups.length === 0) return `SELECT ${projection(undefined)} WHERE false`;
  // Several groups (partitions, files of different columns) are a UNION ALL. A query that needs
  // no column of it (count(*)) still makes DuckDB keep one column of each branch, the first,
  // and read it from every file; a leading constant is that column, so such a query reads the
  // row counts from the footers as it does for one read_parquet (18x faster on 10M events).
  const branch = input.groups.length > 1 ? unusedName(input.schema, '__branch') : undefined;
  const lead = branch ? `0 AS ${quoteIdent(branch)}, ` : '';
  const union = input.groups
    .map((g) =>
      g.deletedRows && g.deletedRows.length > 0
        ? `SELECT ${lead}${projection(g)} FROM read_parquet(${listLiteral(g.urls)}, file_row_number = true) WHERE file_row_number NOT IN (SELECT unnest([${g.deletedRows.join(',')}]::BIGINT[]))`
        : `SELECT ${lead}${projection(g)} FROM read_parquet(${listLiteral(g.urls)})`,
    )
    .join('\nUNION ALL\n');
  return branch ? `SELECT * EXCLUDE (${quoteIdent(branch)}) FROM (\n${union}\n)` : union;
}

/** `base`, or `base` with a number after it, that is not a column of `schema`. */
function unusedName(schema: StructType, base: string): string {
  const taken = new Set(schema.fields.map((f) => f.name.toLowerCase()));
  let name = base;
  for (let i = 2; taken.has(name.toLowerCase()); i++) name = `${base}${i}`;
  return name;
}
