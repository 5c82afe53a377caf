// Maps DuckDB's error classes ("Binder Error: ...") to QueryError codes, as data.
import { QueryError } from '../errors.js';

/** DuckDB error class (the text before " Error:") → QueryError code. */
const CODE_BY_DUCKDB_CLASS: Record<string, string> = {
  Parser: 'SQL_SYNTAX_ERROR',
  Binder: 'SQL_BIND_ERROR',
  Catalog: 'SQL_BIND_ERROR',
  Permission: 'SQL_PERMISSION_DENIED',
  INTERRUPT: 'QUERY_INTERRUPTED',
  'Out of Memory': 'QUERY_OUT_OF_MEMORY',
};

/**
 * The QueryError for an error DuckDB raised while binding or running `sql`: a code from the
 * table above (QUERY_FAILED otherwise) and DuckDB's message, which names the problem and points
 * at its position.
 */
export function queryErrorFromDuckDb(error: unknown, sql: string): QueryError {
  const message = error instanceof Error ? error.message : String(error);
  const match = /^([A-Za-z ]+?) Error: /.exec(message);
  const code = (match && CODE_BY_DUCKDB_CLASS[match[1]!]) ?? 'QUERY_FAILED';
  return new QueryError(code, message, { cause: error, sql });
}
