// The DuckDB adapter of SqlEngine: a dedicated in-process DuckDB, locked down (no file access
// outside the lakehouse's delta/ folder, no extensions, configuration locked), whose only user
// objects are one view per lakehouse table over that table's current Delta snapshot.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import {
  type DuckDBConnection,
  type DuckDBInstance,
  type DuckDBPreparedStatement,
  DuckDBTimestampTZValue,
  type DuckDBValue,
} from '@duckdb/node-api';
import type { Snapshot } from '../delta/Snapshot.js';
import { quoteIdent, typeToString } from '../delta/schema.js';
import { openDuckDb } from '../duckdb/openDuckDb.js';
import { ConfigError, QueryError } from '../errors.js';
import type { Logger } from '../logger.js';
import { noopLogger } from '../noopLogger.js';
import { guardSql, type SqlGuardResult } from './guardSql.js';
import { type JsonValue, jsonValueFromDuckDb } from './jsonValueFromDuckDb.js';
import { Lakehouse } from './Lakehouse.js';
import { lockDownDuckDb, lockedDuckDbStartConfig } from './lockDownDuckDb.js';
import { queryErrorFromDuckDb } from './queryErrorFromDuckDb.js';
import type {
  QueryColumnInfo,
  QueryOptions,
  QueryOutcome,
  QueryParam,
  QueryResult,
  RefreshResult,
  SqlEngine,
  SqlValidation,
  TableInfo,
} from './SqlEngine.js';

export interface DuckDbSqlEngineOptions {
  /** The lakehouse to expose; opened from `LAKEHOUSE_DIR` (and closed with the engine) when omitted. */
  lakehouse?: Lakehouse;
  /** Default row cap of a query (10,000). */
  maxRows?: number;
  /** Default time limit of a query in ms (30,000). */
  timeoutMs?: number;
  /** Check table versions at most this often (0, the default: before every query). */
  minRefreshIntervalMs?: number;
  /** Longest SQL text accepted, in characters (100,000). */
  maxSqlLength?: number;
  threads?: number;
  memoryLimit?: string;
  /**
   * Where DuckDB spills when a query outgrows memory (removed at close); a fresh folder under
   * the OS temporary directory by default, rather than DuckDB's `.tmp` in the working directory.
   */
  tempDirectory?: string;
  logger?: Logger;
}

const DEFAULT_MAX_ROWS = 10_000;
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_SQL_LENGTH = 100_000;
/** Upper bounds a caller's per-query options may ask for. */
const MAX_ROWS_LIMIT = 1_000_000;
const TIMEOUT_LIMIT_MS = 3_600_000;

/** Engine bookkeeping lives outside `main`, where the guard lets no query reach it. */
const INTERNAL_SCHEMA = '_rtl_engine';
const VERSIONS_TABLE = `${INTERNAL_SCHEMA}.table_versions`;
const MAX_REMEMBERED_VERDICTS = 512;
const MAX_REMEMBERED_VERDICT_LENGTH = 8_192;

interface View {
  name: string;
  version: number;
  snapshot: Snapshot;
}

export class DuckDbSqlEngine implements SqlEngine {
  private readonly views = new Map<string, View>();
  private readonly failures = new Map<string, string>();
  private readonly connections = new Set<DuckDBConnection>();
  private readonly running = new Set<Promise<unknown>>();
  private refreshing: Promise<RefreshResult> | undefined;
  private queued: Promise<RefreshResult> | undefined;
  private lastRefreshAt = Number.NEGATIVE_INFINITY;
  private closed = false;
  /**
   * Guard verdicts by view names and SQL text (see guard()). The names in the key keep a verdict
   * judged while a refresh changed the views from being served for the new set; clearing on a
   * change only frees the old entries.
   */
  private readonly verdicts = new Map<string, SqlGuardResult>();
  private viewNamesKey = '';
  /** A sequence lock over view changes: changes under way, and changes finished. */
  private viewsChanging = 0;
  private viewGeneration = 0;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly admin: DuckDBConnection,
    readonly lakehouse: Lakehouse,
    private readonly ownsLakehouse: boolean,
    private readonly settings: EngineSettings,
  ) {}

  /**
   * Starts an engine over `options.lakehouse`: opens the DuckDB instance, locks it down (see
   * docs/query-engine.md) and creates the views. @throws ConfigError for bad options,
   * QueryError ENGINE_LOCK_FAILED when DuckDB refuses a lock setting.
   */
  static async create(options: DuckDbSqlEngineOptions = {}): Promise<DuckDbSqlEngine> {
    const logger = options.logger ?? noopLogger;
    const settings = engineSettings(options, logger);
    const lakehouse = options.lakehouse ?? (await Lakehouse.open({ logger }));
    const ownsLakehouse = options.lakehouse === undefined;
    const instance = await openDuckDb({
      ...(options.threads !== undefined ? { threads: options.threads } : {}),
      ...(options.memoryLimit !== undefined ? { memoryLimit: options.memoryLimit } : {}),
      config: {
        ...lockedDuckDbStartConfig,
        temp_directory: options.tempDirectory ?? path.join(os.tmpdir(), `rtl-sql-engine-${randomUUID()}`),
      },
    });
    const admin = await instance.connect();
    try {
      await admin.run(`CREATE SCHEMA ${INTERNAL_SCHEMA}`);
      await admin.run(`CREATE TABLE ${VERSIONS_TABLE} (name VARCHAR PRIMARY KEY, version BIGINT NOT NULL)`);
      // Delta data files never change once written: their footers are parsed once, not per query.
      await admin.run('SET GLOBAL parquet_metadata_cache = true');
      await lockDownDuckDb(admin, [`${lakehouse.deltaDir}/`]);
    } catch (e) {
      admin.closeSync();
      instance.closeSync();
      if (ownsLakehouse) lakehouse.close();
      throw e;
    }
    const engine = new DuckDbSqlEngine(instance, admin, lakehouse, ownsLakehouse, settings);
    try {
      await engine.refresh();
    } catch (e) {
      await engine.close();
      throw e;
    }
    return engine;
  }

  // ---------------------------------------------------------------- queries

  async query(sql: string, options: QueryOptions = {}): Promise<QueryResult> {
    const started = performance.now();
    const limits = {
      maxRows: boundedInteger('maxRows', options.maxRows ?? this.settings.maxRows, MAX_ROWS_LIMIT, sql),
      timeoutMs: boundedInteger(
        'timeoutMs',
        options.timeoutMs ?? this.settings.timeoutMs,
        TIMEOUT_LIMIT_MS,
        sql,
      ),
      countTotal: options.countTotal === true,
    };
    const params = options.params === undefined ? undefined : duckDbParams(options.params, sql);
    this.assertAcceptable(sql);
    await this.refreshIfDue();
    return this.withConnection(async (connection) => {
      const tables = await this.check(connection, sql);
      const asOf = options.asOfVersions ? await this.timeTravel(options.asOfVersions, sql) : undefined;
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        connection.interrupt();
      }, limits.timeoutMs);
      try {
        const result =
          (await this.execute(connection, sql, params, limits, () => timedOut, asOf?.with, 'optimistic')) ??
          (await this.execute(connection, sql, params, limits, () => timedOut, asOf?.with, 'transaction'))!;
        for (const [t, v] of Object.entries(asOf?.versions ?? {})) result.versions.set(t, v);
        return {
          ...result,
          elapsedMs: Math.round((performance.now() - started) * 1000) / 1000,
          tableVersions: Object.fromEntries(
            tables.flatMap((t) => (result.versions.has(t) ? [[t, result.versions.get(t)!]] : [])),
          ),
        };
      } catch (e) {
        if (timedOut) {
          throw new QueryError(
            'QUERY_TIMEOUT',
            `the query was stopped at its time limit of ${limits.timeoutMs} ms`,
            {
              sql,
              cause: e,
            },
          );
        }
        if (e instanceof QueryError) throw e;
        throw queryErrorFromDuckDb(e, sql);
      } finally {
        clearTimeout(timer);
      }
    });
  }

  /**
   * Runs a checked query and tells the versions of the views it read. Throws when `stopped()`
   * turns true (an interrupt can end a stream early without an error).
   *
   * 'optimistic': the versions are the engine's own record of its views, valid when no view
   * changed from before the statements to after them (a sequence lock over refreshes); when one
   * did, the result is dropped and `undefined` returned. 'transaction': the statements run in
   * one transaction that also reads the versions table — one more round trip, always exact.
   */
  private async execute(
    connection: DuckDBConnection,
    sql: string,
    params: DuckDBValue[] | Record<string, DuckDBValue> | undefined,
    limits: { maxRows: number; countTotal: boolean },
    stopped: () => boolean,
    timeTravel: string | undefined,
    mode: 'optimistic' | 'transaction',
  ): Promise<
    (Omit<QueryResult, 'elapsedMs' | 'tableVersions'> & { versions: Map<string, number> }) | undefined
  > {
    const stop = () => {
      if (stopped())
        throw new QueryError('QUERY_TIMEOUT', 'the query was stopped at its time limit', { sql });
      if (this.closed)
        throw new QueryError('QUERY_INTERRUPTED', 'the SQL engine closed during the query', { sql });
    };
    // LIMIT lets DuckDB stop early (and turns ORDER BY into a top-N). The wrapped text is
    // checked too; when it does not parse (e.g. after a leading `;`) the original streams instead.
    const body = withoutTrailingTerminators(sql);
    const limited = `SELECT * FROM (\n${body}\n) LIMIT ${limits.maxRows + 1}`;
    let canLimit = (await this.guard(connection, limited)).success;

    const generation = this.viewGeneration;
    if (mode === 'optimistic' && this.viewsChanging > 0) return undefined;
    // Optimistic: the views as the engine recorded them (checked below). Transaction: read in
    // the query's own transaction (one round trip with its BEGIN), never committed — it only
    // reads, and closing the connection after the query ends it.
    const versions =
      mode === 'optimistic'
        ? new Map([...this.views.values()].map((v) => [v.name, v.version]))
        : await beginAndReadVersions(connection);
    // Time travel: CTEs named after the tables shadow their views inside the (checked) query.
    const travel = (text: string) =>
      timeTravel ? `${timeTravel}\nSELECT * FROM (\n${withoutTrailingTerminators(text)}\n)` : text;
    let prepared: DuckDBPreparedStatement;
    try {
      prepared = await connection.prepare(travel(canLimit ? limited : sql));
    } catch (e) {
      if (!canLimit) throw e;
      // Report binder errors against the user's own text (or run it when only the wrapper failed).
      prepared = await connection.prepare(travel(sql));
      canLimit = false;
    }
    if (params) prepared.bind(params);
    // The LIMIT bounds a materialised result, which is faster than streaming; without it, stream.
    const result = canLimit ? await prepared.run() : await prepared.stream();
    const names = result.deduplicatedColumnNames();
    const types = result.columnTypes();
    const rows: Record<string, JsonValue>[] = [];
    let seen = 0;
    while (seen <= limits.maxRows) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      seen += chunk.rowCount;
      for (const values of chunk.convertRows(jsonValueFromDuckDb)) {
        if (rows.length === limits.maxRows) break;
        rows.push(Object.fromEntries(names.map((name, i) => [name, values[i] ?? null])));
      }
    }
    stop();
    const truncated = seen > limits.maxRows;
    let totalRows: number | undefined = truncated ? undefined : seen;
    if (truncated && limits.countTotal) {
      if (canLimit) {
        const count = await connection.prepare(travel(`SELECT count(*) FROM (\n${body}\n)`));
        if (params) count.bind(params);
        totalRows = Number((await count.runAndReadAll()).getColumns()[0]![0]);
      } else {
        totalRows = seen;
        for (
          let chunk = await result.fetchChunk();
          chunk && chunk.rowCount > 0;
          chunk = await result.fetchChunk()
        )
          totalRows += chunk.rowCount;
      }
      stop();
    }
    if (mode === 'optimistic' && (this.viewsChanging > 0 || this.viewGeneration !== generation))
      return undefined;
    return {
      columns: names.map((name, i) => ({ name, type: types[i]!.toString() })),
      rows,
      rowCount: rows.length,
      truncated,
      totalRows,
      versions,
    };
  }

  async safeQuery(sql: string, options: QueryOptions = {}): Promise<QueryOutcome<QueryResult>> {
    try {
      return { success: true, data: await this.query(sql, options) };
    } catch (e) {
      if (e instanceof QueryError) return { success: false, error: e };
      throw e;
    }
  }

  async validate(sql: string): Promise<QueryOutcome<SqlValidation>> {
    try {
      this.assertAcceptable(sql);
      await this.refreshIfDue();
      return await this.withConnection(async (connection) => {
        const tables = await this.check(connection, sql);
        try {
          const prepared = await connection.prepare(sql);
          const columns: QueryColumnInfo[] = [];
          for (let i = 0; i < prepared.columnCount; i++)
            columns.push({ name: prepared.columnName(i), type: prepared.columnType(i).toString() });
          prepared.destroySync();
          return { success: true as const, data: { columns, tables } };
        } catch (e) {
          throw queryErrorFromDuckDb(e, sql);
        }
      });
    } catch (e) {
      if (e instanceof QueryError) return { success: false, error: e };
      throw e;
    }
  }

  /**
   * The WITH clause that reads `asOf`'s tables at their versions (one CTE per table, named
   * like its view), and the versions. Throws QueryError QUERY_TIME_TRAVEL for an unknown table
   * or a version the table does not have.
   */
  private async timeTravel(
    asOf: Readonly<Record<string, number>>,
    sql: string,
  ): Promise<{ with: string; versions: Record<string, number> } | undefined> {
    const ctes: string[] = [];
    const versions: Record<string, number> = {};
    for (const [name, version] of Object.entries(asOf)) {
      if (!this.views.has(name)) {
        throw new QueryError(
          'QUERY_TIME_TRAVEL',
          `cannot read ${name} as of a version: no such lakehouse table`,
          { sql },
        );
      }
      if (!Number.isInteger(version) || version < 0) {
        throw new QueryError(
          'QUERY_TIME_TRAVEL',
          `version of ${name} must be a non-negative integer, got ${version}`,
          { sql },
        );
      }
      try {
        const table = await this.lakehouse.table(name);
        const snapshot = await table.snapshot({ version });
        ctes.push(`${quoteIdentifier(name)} AS (${await table.scanSql(snapshot)})`);
        versions[name] = version;
      } catch (cause) {
        throw new QueryError(
          'QUERY_TIME_TRAVEL',
          `cannot read ${name} as of version ${version}: ${(cause as Error).message}`,
          {
            sql,
            cause,
          },
        );
      }
    }
    return ctes.length === 0 ? undefined : { with: `WITH ${ctes.join(',\n')}`, versions };
  }

  private assertAcceptable(sql: string): void {
    if (this.closed) throw new QueryError('ENGINE_CLOSED', 'the SQL engine is closed', { sql });
    if (typeof sql !== 'string') throw new QueryError('SQL_EMPTY', 'the query must be a string');
    if (sql.length > this.settings.maxSqlLength) {
      throw new QueryError(
        'SQL_TOO_LONG',
        `the query is ${sql.length} characters long; the limit is ${this.settings.maxSqlLength}`,
        { sql },
      );
    }
  }

  /** Runs `fn` on a fresh connection; close() interrupts it and waits for it to finish. */
  private async withConnection<T>(fn: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    if (this.closed) throw new QueryError('ENGINE_CLOSED', 'the SQL engine is closed');
    const work = this.onNewConnection(fn);
    this.running.add(work);
    try {
      return await work;
    } finally {
      this.running.delete(work);
    }
  }

  private async onNewConnection<T>(fn: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    const connection = await this.instance.connect();
    this.connections.add(connection);
    try {
      if (this.closed) throw new QueryError('ENGINE_CLOSED', 'the SQL engine is closed');
      return await fn(connection);
    } finally {
      this.connections.delete(connection);
      connection.closeSync();
    }
  }

  /** The guard's verdict on `sql` (from DuckDB's parse tree); the lakehouse tables it reads. */
  private async check(connection: DuckDBConnection, sql: string): Promise<string[]> {
    const verdict = await this.guard(connection, sql);
    if (!verdict.success) throw new QueryError(verdict.error.code, verdict.error.message, { sql });
    return verdict.data.tables;
  }

  /**
   * The guard's verdict, remembered per text and set of views: dashboards and the KPI reads
   * send the same SQL again and again, and a verdict depends on nothing else.
   */
  private async guard(connection: DuckDBConnection, sql: string): Promise<SqlGuardResult> {
    if (sql.length > MAX_REMEMBERED_VERDICT_LENGTH) return this.judge(connection, sql);
    const key = `${this.viewNamesKey}\u0000${sql}`;
    const known = this.verdicts.get(key);
    if (known) {
      // Least recently used first out: a hit moves to the end.
      this.verdicts.delete(key);
      this.verdicts.set(key, known);
      return known;
    }
    const verdict = await this.judge(connection, sql);
    this.verdicts.set(key, verdict);
    if (this.verdicts.size > MAX_REMEMBERED_VERDICTS)
      this.verdicts.delete(this.verdicts.keys().next().value as string);
    return verdict;
  }

  private async judge(connection: DuckDBConnection, sql: string): Promise<SqlGuardResult> {
    let tree: unknown;
    try {
      const reader = await connection.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR)', [sql]);
      tree = JSON.parse(String(reader.getColumns()[0]![0]));
    } catch (e) {
      // json_serialize_sql reports parse errors in its result; a throw is an execution failure.
      throw queryErrorFromDuckDb(e, sql);
    }
    // json_serialize_sql refuses a list holding any non-SELECT without saying how long the list
    // is; the parser's statement count tells "several statements" from "not a SELECT".
    let statementCount: number | undefined;
    const refusedList =
      typeof tree === 'object' && tree !== null && (tree as { error?: unknown }).error === true;
    if (refusedList) {
      try {
        statementCount = (await connection.extractStatements(sql)).count;
      } catch {
        statementCount = undefined;
      }
    }
    return guardSql({ sql, statementCount, tree }, { tables: [...this.views.values()].map((v) => v.name) });
  }

  // ---------------------------------------------------------------- tables and views

  async tables(): Promise<TableInfo[]> {
    if (this.closed) throw new QueryError('ENGINE_CLOSED', 'the SQL engine is closed');
    await this.refreshIfDue();
    return [...this.views.values()]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((view) => {
        const s = view.snapshot;
        let sizeBytes = 0;
        for (const add of s.state.files.values()) sizeBytes += add.size;
        const error = this.failures.get(view.name.toLowerCase());
        return {
          name: view.name,
          version: view.version,
          columns: s.schema.fields.map((f) => ({
            name: f.name,
            type: typeToString(f.type),
            nullable: f.nullable,
          })),
          partitionColumns: [...s.partitionColumns],
          numFiles: s.numFiles,
          rowCount: s.numRecords(),
          sizeBytes,
          ...(error !== undefined ? { error } : {}),
        };
      });
  }

  /**
   * Refreshes the views. Refreshes never overlap: a call during one waits for the next, which
   * starts after it, so every caller sees the lakehouse as it was when it called (or later).
   */
  refresh(): Promise<RefreshResult> {
    if (this.closed) return Promise.reject(new QueryError('ENGINE_CLOSED', 'the SQL engine is closed'));
    if (!this.refreshing) {
      this.lastRefreshAt = performance.now();
      const run = this.refreshViews().finally(() => {
        this.refreshing = undefined;
      });
      this.refreshing = run;
      return run;
    }
    if (!this.queued) {
      this.queued = this.refreshing
        .catch(() => undefined)
        .then(() => {
          this.queued = undefined;
          return this.refresh();
        });
    }
    return this.queued;
  }

  private async refreshIfDue(): Promise<void> {
    const interval = this.settings.minRefreshIntervalMs;
    if (interval > 0 && performance.now() - this.lastRefreshAt < interval) {
      if (this.refreshing) await this.refreshing;
      return;
    }
    await this.refresh();
  }

  private async refreshViews(): Promise<RefreshResult> {
    const logger = this.settings.logger;
    const names = await this.lakehouse.tableNames();
    const present = new Set(names.map((n) => n.toLowerCase()));
    const updated: string[] = [];
    const removed: string[] = [];
    const failed: { table: string; message: string }[] = [];
    // Views whose table has no newer commit stay as they are; the probes are metadata requests
    // and run at once (a refresh runs before every query unless minRefreshIntervalMs is set).
    const unchanged = await Promise.all(
      names.map(async (name) => {
        const known = this.views.get(name.toLowerCase());
        if (!known || this.failures.has(name.toLowerCase())) return false;
        try {
          return !(await (await this.lakehouse.table(name)).hasVersionAfter(known.version));
        } catch {
          return false;
        }
      }),
    );
    // Sequential: the Delta core shares one DuckDB connection for its footer reads.
    for (const [i, name] of names.entries()) {
      if (unchanged[i]) continue;
      const key = name.toLowerCase();
      try {
        const table = await this.lakehouse.table(name);
        const known = this.views.get(key);
        if (!known && !(await table.exists())) continue;
        const snapshot = await table.latest();
        if (known && known.version === snapshot.version) {
          known.snapshot = snapshot;
          this.failures.delete(key);
          continue;
        }
        const scan = await table.scanSql(snapshot);
        await this.changeViews(
          async () => {
            await this.admin.run(`CREATE OR REPLACE VIEW ${quoteIdent(name)} AS ${scan}`);
            await this.admin.run(`INSERT OR REPLACE INTO ${VERSIONS_TABLE} VALUES ($1, $2)`, [
              name,
              snapshot.version,
            ]);
          },
          () => this.views.set(key, { name, version: snapshot.version, snapshot }),
        );
        this.failures.delete(key);
        updated.push(name);
        logger.debug('lakehouse view refreshed', { table: name, version: snapshot.version });
      } catch (e) {
        const message = (e as Error).message;
        this.failures.set(key, message);
        failed.push({ table: name, message });
        logger.warn('lakehouse view refresh failed', { table: name, error: message });
      }
    }
    for (const [key, view] of this.views) {
      if (present.has(key)) continue;
      await this.changeViews(
        async () => {
          await this.admin.run(`DROP VIEW IF EXISTS ${quoteIdent(view.name)}`);
          await this.admin.run(`DELETE FROM ${VERSIONS_TABLE} WHERE name = $1`, [view.name]);
        },
        () => this.views.delete(key),
      );
      this.failures.delete(key);
      this.lakehouse.forget(view.name);
      removed.push(view.name);
      logger.info('lakehouse view dropped: its table is gone', { table: view.name });
    }
    for (const key of this.failures.keys()) if (!present.has(key)) this.failures.delete(key);
    const versions: Record<string, number> = {};
    for (const view of [...this.views.values()].sort((a, b) => (a.name < b.name ? -1 : 1)))
      versions[view.name] = view.version;
    // The guard accepts only the views' names: verdicts given for another set no longer hold.
    const viewNamesKey = Object.keys(versions).join('\u0000');
    if (viewNamesKey !== this.viewNamesKey) {
      this.viewNamesKey = viewNamesKey;
      this.verdicts.clear();
    }
    return { versions, updated, removed, failed };
  }

  /**
   * Changes views in one admin transaction, then the engine's record of them (`record`), inside
   * the sequence lock that optimistic queries check.
   */
  private async changeViews(work: () => Promise<void>, record: () => void): Promise<void> {
    this.viewsChanging++;
    try {
      await this.inTransaction(work);
      record();
    } finally {
      this.viewsChanging--;
      this.viewGeneration++;
    }
  }

  private async inTransaction(work: () => Promise<void>): Promise<void> {
    await this.admin.run('BEGIN TRANSACTION');
    try {
      await work();
      await this.admin.run('COMMIT');
    } catch (e) {
      try {
        await this.admin.run('ROLLBACK');
      } catch (rollbackError) {
        this.settings.logger.error('rollback of a view refresh failed', {
          error: (rollbackError as Error).message,
        });
      }
      throw e;
    }
  }

  // ---------------------------------------------------------------- lifecycle

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const connection of this.connections) connection.interrupt();
    await Promise.allSettled([...this.running, this.refreshing, this.queued]);
    this.admin.closeSync();
    this.instance.closeSync();
    if (this.ownsLakehouse) this.lakehouse.close();
  }
}

/** Begins a transaction on `connection` and reads the view versions in it (one round trip). */
async function beginAndReadVersions(connection: DuckDBConnection): Promise<Map<string, number>> {
  const reader = await connection.runAndReadAll(
    `BEGIN TRANSACTION; SELECT name, version FROM ${VERSIONS_TABLE}`,
  );
  return new Map((reader.getRows() as [string, bigint][]).map(([name, version]) => [name, Number(version)]));
}

/** `sql` without trailing semicolons and whitespace (linear; no regex backtracking). */
function withoutTrailingTerminators(sql: string): string {
  let end = sql.length;
  while (end > 0 && (sql[end - 1] === ';' || /\s/.test(sql[end - 1]!))) end--;
  return sql.slice(0, end);
}

type EngineSettings = Required<
  Omit<DuckDbSqlEngineOptions, 'lakehouse' | 'threads' | 'memoryLimit' | 'tempDirectory'>
>;

/** The engine's defaults, checked. @throws ConfigError naming the bad option. */
function engineSettings(options: DuckDbSqlEngineOptions, logger: Logger): EngineSettings {
  const settings: EngineSettings = {
    maxRows: options.maxRows ?? DEFAULT_MAX_ROWS,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    minRefreshIntervalMs: options.minRefreshIntervalMs ?? 0,
    maxSqlLength: options.maxSqlLength ?? DEFAULT_MAX_SQL_LENGTH,
    logger,
  };
  const limits: [keyof EngineSettings, number, number][] = [
    ['maxRows', 1, MAX_ROWS_LIMIT],
    ['timeoutMs', 1, TIMEOUT_LIMIT_MS],
    ['minRefreshIntervalMs', 0, TIMEOUT_LIMIT_MS],
    ['maxSqlLength', 1, 100_000_000],
  ];
  for (const [name, min, max] of limits) {
    const value = settings[name] as number;
    if (!Number.isInteger(value) || value < min || value > max)
      throw new ConfigError(`SQL engine option ${name} must be an integer from ${min} to ${max}`);
  }
  return settings;
}

function boundedInteger(name: string, value: number, max: number, sql?: string): number {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new QueryError('QUERY_INVALID_OPTIONS', `${name} must be an integer from 1 to ${max}`, {
      ...(sql === undefined ? {} : { sql }),
    });
  }
  return value;
}

function duckDbParam(value: QueryParam, sql: string): DuckDBValue {
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms))
      throw new QueryError('QUERY_INVALID_OPTIONS', 'a Date parameter is invalid', { sql });
    return new DuckDBTimestampTZValue(BigInt(ms) * 1000n);
  }
  if (value === null || ['string', 'number', 'boolean', 'bigint'].includes(typeof value)) return value;
  throw new QueryError('QUERY_INVALID_OPTIONS', `unsupported parameter type ${typeof value}`, { sql });
}

function duckDbParams(
  params: NonNullable<QueryOptions['params']>,
  sql: string,
): DuckDBValue[] | Record<string, DuckDBValue> {
  if (Array.isArray(params)) return params.map((p) => duckDbParam(p, sql));
  return Object.fromEntries(
    Object.entries(params as Record<string, QueryParam>).map(([k, v]) => [k, duckDbParam(v, sql)]),
  );
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
