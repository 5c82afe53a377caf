// Turns a library error into what a notebook user needs: what failed, on which table or query,
// why, and what to do. The advice is data (one line per code, then per family), not if-chains.
// Pure.
import { DeltaError, KafkaError, LakehouseError, QueryError } from '../errors.js';

/** Where the failure happened, as the helper knows it. */
export interface ErrorContext {
  /** The helper call, e.g. `sql()`, `table('gold_kpis').history()`. */
  action: string;
  table?: string;
  sql?: string;
  question?: string;
  /** A URL the helper called (services). */
  url?: string;
}

/** A readable account of an error. */
export interface ErrorDescription {
  /** Stable code: the library error's, or the helper's own (UNANSWERABLE, SCHEDULER_UNREACHABLE, ...). */
  code: string;
  /** "Query failed in sql()". */
  what: string;
  /** "table silver_events" / "query: SELECT ..." / "question: ...": what it was working on. */
  on: string | undefined;
  /** The underlying message. */
  why: string;
  /** What to do next. */
  hint: string;
}

const TABLES_HINT = 'List the tables with `await lakehouse.tables()`.';
const EMPTY_HINT =
  'A fresh lakehouse has no tables: run `npm run lakehouse -- seed` or start the stream with `producer.start()` and `pipelines.start()`.';

/** Advice per exact code. */
const HINTS: Readonly<Record<string, string>> = {
  SQL_EMPTY: 'Write a SELECT statement.',
  SQL_SYNTAX_ERROR: 'Fix the SQL syntax near the place DuckDB names (DuckDB dialect).',
  SQL_BIND_ERROR:
    'A table or column name is wrong: check the names with `table(name).schema()`. ' + TABLES_HINT,
  SQL_UNKNOWN_TABLE: `Check the table name. ${TABLES_HINT} ${EMPTY_HINT}`,
  SQL_NOT_SELECT:
    'Notebook SQL is read-only: one SELECT (or WITH … SELECT). Tables change through pipelines (`pipelines.start()`, `pipelines.run(definition)`).',
  SQL_MULTIPLE_STATEMENTS: 'Run one statement per `sql()` call.',
  SQL_STATEMENT_REFUSED: 'Only SELECT, DESCRIBE, SUMMARIZE and SHOW TABLES run here.',
  SQL_FILE_ACCESS_REFUSED:
    'Queries read lakehouse tables only, not files or URLs: query the table by its name.',
  SQL_TABLE_FUNCTION_REFUSED: 'That table function is not allowed: query the lakehouse tables by name.',
  SQL_FUNCTION_REFUSED: 'That function is not allowed in notebook queries.',
  SQL_TOO_LONG: 'Shorten the query.',
  SQL_TOO_COMPLEX: 'Simplify the query (it is nested too deeply).',
  QUERY_TIMEOUT:
    'Narrow the query (filter on `ts` or `window_start`, aggregate, or read gold_kpis) or pass a longer `{ timeoutMs }`.',
  QUERY_OUT_OF_MEMORY: 'Aggregate or filter more, or ask for fewer rows (`{ maxRows }`).',
  QUERY_INVALID_OPTIONS: 'Check the options: maxRows and timeoutMs are positive integers.',
  QUERY_INTERRUPTED: 'The session was closed while the query ran; run it again.',
  ENGINE_CLOSED: 'The session was closed: run `await lakehouse.reset()` or restart the kernel.',
  DELTA_TABLE_NOT_FOUND: `The table has no commits. ${EMPTY_HINT}`,
  DELTA_VERSION_NOT_FOUND: 'Pick a version that `table(name).history()` lists.',
  DELTA_TIMESTAMP_TOO_EARLY: 'Pick a timestamp at or after the first commit in `table(name).history()`.',
  DELTA_INVALID_TIMESTAMP:
    'Pass a Date, epoch milliseconds or an ISO-8601 string such as 2026-01-31T12:00:00Z.',
  DELTA_VACUUM_RETENTION_TOO_SHORT:
    "Keep the table's retention (`delta.deletedFileRetentionDuration`, 168 hours unless set), or pass `{ retentionHours, enforceRetentionDuration: false }` when no reader needs older versions.",
  DELTA_COMMIT_CONFLICT: 'Another writer changed the table at the same time: run the operation again.',
  DELTA_DATA_FILE_MISSING:
    'A data file the log needs is gone (deleted by hand, or VACUUM with a short retention): read an older version or restore the file.',
  DELTA_UNSUPPORTED_FEATURE: 'This table uses a Delta feature this project cannot read or write.',
  LAKEHOUSE_INVALID_TABLE_NAME: 'Table names are SQL identifiers: letters, digits and underscores.',
  CONFIG_INVALID:
    'Fix the setting named above (an environment variable of the kernel) and restart the kernel.',
  UNANSWERABLE: 'Rephrase with a metric and a time range, or write the SQL with `sql()`.',
  SCHEDULER_UNREACHABLE:
    'Start the scheduler service (`lakehouse up` starts every service) or set SCHEDULER_URL to where it runs.',
  SCHEDULER_REFUSED: 'Fix the request as the scheduler says.',
  PIPELINES_SERVICE_RUNNING:
    'Use `pipelines.status()` to watch the runner service, or stop it before running the medallion in the notebook.',
  PIPELINES_UNAVAILABLE:
    'Install the @rt-lakehouse/pipelines package next to kernel-helpers, or pass your definitions: `pipelines.start({ definitions })`.',
  PIPELINE_FAILED: 'Look at the error in `pipelines.status()`, fix it, then `pipelines.start()` again.',
  PIPELINE_EXPECTATION_FAILED:
    'Rows broke a `fail` expectation: look at the rows, fix the transform or relax the rule.',
  PRODUCER_FAILED:
    'Check the producer status (`producer.status()`) and the Kafka settings, then start it again.',
  TIMEOUT:
    'The stream did not catch up in time: check `pipelines.status()` and wait longer (`{ timeoutMs }`).',
};

/** Advice per code family, when there is no line for the exact code. */
const FAMILY_HINTS: readonly [prefix: string, hint: string][] = [
  ['SQL_', 'Fix the query and run the cell again.'],
  ['QUERY_', 'Run the query again; if it keeps failing, narrow it.'],
  ['DELTA_', "Look at the table's log with `table(name).history()`."],
  [
    'KAFKA_',
    'Check that the broker in KAFKA_BROKERS is reachable, or unset KAFKA_BROKERS to use the embedded mode.',
  ],
  [
    'LLM_',
    'The LLM endpoint failed: check OPENAI_API_KEY / OPENAI_BASE_URL, or unset them to use the embedded planner.',
  ],
  ['PIPELINE_', 'Look at `pipelines.status()` for the failing pipeline.'],
];

/** What failed, by the kind of error. */
function whatFailed(error: unknown, action: string): string {
  if (error instanceof QueryError) return `Query failed in ${action}`;
  if (error instanceof DeltaError) return `Delta table operation failed in ${action}`;
  if (error instanceof KafkaError) return `Kafka operation failed in ${action}`;
  return `${action} failed`;
}

function clip(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1)}…`;
}

function onWhat(error: unknown, context: ErrorContext): string | undefined {
  const parts: string[] = [];
  const table = error instanceof DeltaError ? error.table : context.table;
  if (table) parts.push(`table ${table}`);
  if (context.question) parts.push(`question: ${clip(context.question, 200)}`);
  const sql = error instanceof QueryError && error.sql ? error.sql : context.sql;
  if (sql) parts.push(`query: ${clip(sql, 300)}`);
  if (context.url) parts.push(`url: ${context.url}`);
  return parts.length === 0 ? undefined : parts.join('; ');
}

/** The error's code: a LakehouseError's, else a `code` property, else ERROR. */
function codeOf(error: unknown): string {
  if (error instanceof LakehouseError) return error.code;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code !== '' ? code : 'ERROR';
}

/** The advice for `code`: its own line, else its family's, else a generic one. */
export function hintFor(code: string): string {
  return (
    HINTS[code] ??
    FAMILY_HINTS.find(([prefix]) => code.startsWith(prefix))?.[1] ??
    'See the message above; if it looks like a bug, rerun with the same input and report it.'
  );
}

/** Describes `error` (anything thrown) for a notebook, in the context of the helper call. */
export function describeError(error: unknown, context: ErrorContext): ErrorDescription {
  const code = codeOf(error);
  const why = error instanceof Error ? error.message : String(error);
  return {
    code,
    what: whatFailed(error, context.action),
    on: onWhat(error, context),
    why,
    hint: hintFor(code),
  };
}
