// Errors of the RT-Lakehouse library: one base class with a stable `code`, a `retriable` flag
// that retry loops read, and the underlying `cause`; narrow subclasses per concern below.

export interface LakehouseErrorOptions {
  cause?: unknown;
  retriable?: boolean;
}

/** Base error: every error the library throws on purpose is a LakehouseError. */
export class LakehouseError extends Error {
  readonly code: string;
  readonly retriable: boolean;

  constructor(code: string, message: string, options: LakehouseErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retriable = options.retriable ?? false;
  }
}

/** A Delta table that cannot be read or written: corrupt log, missing file, bad state. */
export class DeltaError extends LakehouseError {
  readonly table: string;
  readonly version: number | undefined;

  constructor(
    code: string,
    table: string,
    version: number | undefined,
    problem: string,
    options: LakehouseErrorOptions = {},
  ) {
    super(
      code,
      `Delta table ${table}${version === undefined ? '' : ` at version ${version}`}: ${problem}`,
      options,
    );
    this.table = table;
    this.version = version;
  }
}

/** The table needs a reader or writer feature this project does not implement. */
export class UnsupportedFeatureError extends DeltaError {
  readonly feature: string;

  constructor(table: string, version: number | undefined, feature: string, detail = '') {
    super(
      'DELTA_UNSUPPORTED_FEATURE',
      table,
      version,
      `unsupported Delta feature '${feature}'${detail ? ` (${detail})` : ''}`,
    );
    this.feature = feature;
  }
}

/** Another writer committed the same version first and its changes conflict with ours. */
export class CommitConflictError extends DeltaError {
  constructor(table: string, version: number, problem: string) {
    super('DELTA_COMMIT_CONFLICT', table, version, problem, { retriable: false });
  }
}

/** An object that must not exist already does (the basis of optimistic commits). */
export class FileAlreadyExistsError extends LakehouseError {
  readonly path: string;

  constructor(path: string, options: LakehouseErrorOptions = {}) {
    super('FILE_ALREADY_EXISTS', `file already exists: ${path}`, options);
    this.path = path;
  }
}

/** A Kafka operation failed; `retriable` follows the broker's own classification. */
export class KafkaError extends LakehouseError {}

/** Configuration from the environment or a definition object did not validate. */
export class ConfigError extends LakehouseError {
  constructor(message: string, options: LakehouseErrorOptions = {}) {
    super('CONFIG_INVALID', message, options);
  }
}

/**
 * A user or AI query that was refused by the SQL guard, failed in DuckDB or ran out of time;
 * `code` says which (SQL_* for refusals and bad SQL, QUERY_* for execution). `sql` is the text
 * that was submitted.
 */
export class QueryError extends LakehouseError {
  readonly sql: string | undefined;

  constructor(code: string, message: string, options: LakehouseErrorOptions & { sql?: string } = {}) {
    super(code, message, options);
    this.sql = options.sql;
  }
}
