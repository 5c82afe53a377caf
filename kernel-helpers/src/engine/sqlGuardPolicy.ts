// What the SQL guard lets untrusted queries use, as data: the parse-tree node kinds it knows,
// the few table functions that read no files, and the scalar functions it refuses.

/** The SQL guard's allow and deny lists (names lower-case, as DuckDB's parse tree spells them). */
export const sqlGuardPolicy = {
  /** Query node types a SELECT statement may be built from. */
  queryNodeTypes: new Set(['SELECT_NODE', 'SET_OPERATION_NODE', 'RECURSIVE_CTE_NODE', 'CTE_NODE']),

  /** FROM-clause items other than tables and table functions, allowed with their contents. */
  plainTableRefTypes: new Set(['SUBQUERY', 'JOIN', 'EMPTY', 'EXPRESSION_LIST', 'PIVOT']),

  /** Table functions that compute rows without touching files, the network or the catalog. */
  allowedTableFunctions: new Set(['range', 'generate_series', 'unnest', 'json_each', 'json_tree']),

  /** Table functions that read files or URLs: refused with a message about file access. */
  fileTableFunctions: new Set([
    'read_csv',
    'read_csv_auto',
    'read_parquet',
    'parquet_scan',
    'read_json',
    'read_json_auto',
    'read_json_objects',
    'read_json_objects_auto',
    'read_ndjson',
    'read_ndjson_auto',
    'read_ndjson_objects',
    'read_text',
    'read_blob',
    'read_duckdb',
    'glob',
    'sniff_csv',
    'parquet_metadata',
    'parquet_file_metadata',
    'parquet_full_metadata',
    'parquet_kv_metadata',
    'parquet_schema',
    'parquet_bloom_probe',
    'delta_scan',
    'iceberg_scan',
    'st_read',
  ]),

  /** Scalar functions refused, with the reason shown to the user. */
  refusedFunctions: new Map<string, string>([
    ['current_setting', 'it reveals the engine configuration'],
    ['getvariable', 'session variables are not available'],
    ['getenv', 'it reveals the process environment'],
    ['pg_get_viewdef', 'it reveals view definitions (file locations)'],
    ['write_log', 'queries may not write to the log'],
    ['sleep_ms', 'queries may not sleep'],
    ['pg_sleep', 'queries may not sleep'],
  ]),

  /** DESCRIBE / SUMMARIZE are allowed; of the bare SHOW forms only SHOW TABLES. */
  showTypes: new Set(['DESCRIBE', 'SUMMARY']),
  showUnqualifiedTables: new Set(['"tables"']),

  /** Schema and catalog qualifiers a lakehouse table may be written with. */
  schemas: new Set(['', 'main']),
  catalogs: new Set(['', 'memory']),
} as const;
