// The port through which untrusted SQL (users, the AI assistant) reaches the lakehouse:
// read-only SELECTs over one view per Delta table, with a row cap and a time limit.
import type { QueryError } from '../errors.js';
import type { JsonValue } from './jsonValueFromDuckDb.js';

/** A query parameter bound to `$1`, `$2` ... or `$name`. Dates bind as TIMESTAMPTZ. */
export type QueryParam = string | number | boolean | bigint | Date | null;

export interface QueryOptions {
  /** Rows returned at most (default: the engine's, 10,000). Further rows set `truncated`. */
  maxRows?: number;
  /** Time limit in ms (default: the engine's, 30 s); the query is interrupted when it passes. */
  timeoutMs?: number;
  params?: readonly QueryParam[] | Readonly<Record<string, QueryParam>>;
  /** When the result is truncated, also count all rows (costs a second pass). */
  countTotal?: boolean;
  /** Read these tables as of these Delta versions (time travel); others at their latest. */
  asOfVersions?: Readonly<Record<string, number>>;
}

/** A result column: its name and DuckDB type (e.g. `TIMESTAMP WITH TIME ZONE`). */
export interface QueryColumnInfo {
  name: string;
  type: string;
}

export interface QueryResult {
  columns: QueryColumnInfo[];
  /** Rows keyed by column name, values JSON-friendly (see jsonValueFromDuckDb). */
  rows: Record<string, JsonValue>[];
  rowCount: number;
  /** More rows existed than `maxRows`. */
  truncated: boolean;
  /** All rows of the query: known when not truncated, or counted when `countTotal` was asked. */
  totalRows: number | undefined;
  elapsedMs: number;
  /** Version of each lakehouse table the query read, as its snapshot was when the query ran. */
  tableVersions: Record<string, number>;
}

export interface TableColumnInfo {
  name: string;
  /** The Delta type, e.g. `string`, `timestamp`, `decimal(10,2)`, `array<string>`. */
  type: string;
  nullable: boolean;
}

/** A lakehouse table as queries see it: from the Delta metadata and file statistics. */
export interface TableInfo {
  name: string;
  version: number;
  columns: TableColumnInfo[];
  partitionColumns: string[];
  numFiles: number;
  /** Rows according to the file statistics (undefined when a file has none). */
  rowCount: number | undefined;
  sizeBytes: number;
  /** Why the last refresh failed; the view still shows `version`. */
  error?: string;
}

export interface RefreshResult {
  /** Current version of every visible table. */
  versions: Record<string, number>;
  /** Tables whose view was created or replaced. */
  updated: string[];
  /** Tables whose view was dropped (their folder or log is gone). */
  removed: string[];
  /** Tables that could not be refreshed (their previous view, if any, stays). */
  failed: { table: string; message: string }[];
}

/** zod-style outcome of checking or running a query. */
export type QueryOutcome<T> = { success: true; data: T } | { success: false; error: QueryError };

/** What `validate` learns without running a query: its result columns and the tables it reads. */
export interface SqlValidation {
  columns: QueryColumnInfo[];
  tables: string[];
}

/**
 * Runs untrusted SQL against the lakehouse. Every query is a single SELECT checked on the
 * database's own parse tree, reads only lakehouse tables (one view per Delta table, refreshed
 * when the table's version changes), returns at most `maxRows` rows and is interrupted at its
 * time limit.
 */
export interface SqlEngine {
  /**
   * Runs one SELECT. @throws QueryError with a `code`: SQL_* when the guard refused the query
   * or DuckDB could not parse or bind it, QUERY_TIMEOUT at the time limit, QUERY_* for other
   * execution failures, ENGINE_CLOSED after close().
   */
  query(sql: string, options?: QueryOptions): Promise<QueryResult>;
  /** `query` with expected failures returned instead of thrown. */
  safeQuery(sql: string, options?: QueryOptions): Promise<QueryOutcome<QueryResult>>;
  /** Checks and binds a query without running it (for generate → validate → repair loops). */
  validate(sql: string): Promise<QueryOutcome<SqlValidation>>;
  /** The visible tables with versions, schemas and statistics (refreshed first). */
  tables(): Promise<TableInfo[]>;
  /** Brings every view up to its table's latest version; finds new and removed tables. */
  refresh(): Promise<RefreshResult>;
  /** Interrupts running queries and releases the database. Idempotent. */
  close(): Promise<void>;
}
