// A Delta table: snapshots and time travel, history, writes (append, overwrite, replace-where,
// schema evolution, txn), optimistic commits with conflict checks, checkpoints, OPTIMIZE and
// VACUUM. Storage goes through an ObjectStore; parquet through DuckDB.
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { CommitConflictError, DeltaError, FileAlreadyExistsError } from '../errors.js';
import type { Logger } from '../logger.js';
import { noopLogger } from '../noopLogger.js';
import { LocalObjectStore } from '../storage/LocalObjectStore.js';
import type { ObjectStore } from '../storage/ObjectStore.js';
import type {
  Action,
  AddAction,
  CommitInfoAction,
  DeletionVector,
  MetadataAction,
  ProtocolAction,
  RemoveAction,
} from './actions.js';
import { findConflict, type TransactionFootprint } from './conflicts.js';
import { DeltaDuckDb } from './DeltaDuckDb.js';
import { DeltaLog, LOG_DIR } from './DeltaLog.js';
import { encodeDataFilePath, resolveDataFilePath } from './dataFilePath.js';
import { type DataLayout, dataLayoutOf, layoutOrderBySql } from './dataLayout.js';
import { comparable, compare, parseFileStats } from './dataSkipping.js';
import { decodeDeletionVector, deletionVectorFromFile, deletionVectorSource } from './deletionVectors.js';
import { deltaTypeFromDuckDb } from './deltaTypeFromDuckDb.js';
import { buildFileStats, mergeFileStats } from './fileStats.js';
import { logFilesFromNames } from './LogSegment.js';
import { logCutCandidates, logFilesBefore } from './logCleanup.js';
import { checkpointFileName, commitFileName } from './logFileNames.js';
import { concatParquetFiles, type ParquetFooterInfo, readParquetFooter } from './parquetConcat.js';
import { serializeActions } from './parseActions.js';
import { partitionPathSegment, partitionValueFormatSql } from './partitionValues.js';
import { type Predicate, predicateToSql } from './predicate.js';
import { type RecentAppend, RecentAppends, type RecentAppendsReader } from './RecentAppends.js';
import { deletedFileRetentionHours, logRetentionHours } from './retention.js';
import { type DataFile, Snapshot } from './Snapshot.js';
import { buildScanSql, type ScanGroup } from './scanSql.js';
import {
  type DataType,
  duckdbTypeOf,
  field,
  isStructType,
  quoteIdent,
  quoteLiteral,
  type StructField,
  type StructType,
  typeToString,
} from './schema.js';
import { stageColumns, stageRows } from './stageRows.js';
import { fileKey, replayLog } from './TableState.js';
import { assertWritable, isAppendOnly } from './tableFeatures.js';
import { canonicalPropertyKey, checkedTableProperties, protocolForProperties } from './tableProperties.js';
import { carriedFromBase, tombstonesAfter } from './tombstones.js';

export const ENGINE_INFO = 'rt-lakehouse/0.1.0';
const DEFAULT_CHECKPOINT_INTERVAL = 10;
/** A checkpoint that took this long (ms) limits how soon the next one starts. */
const SLOW_CHECKPOINT_MS = 1_000;
const MAX_COMMIT_ATTEMPTS = 10_000;
const DEFAULT_TARGET_FILE_BYTES = 128 * 1024 * 1024;
const HOUR_MS = 3_600_000;
/** File lookups and deletes in flight at once during a log cleanup or VACUUM. */
const DELETE_BATCH = 64;

/** Where the rows of a write come from. */
export type WriteSource =
  /** A DuckDB SELECT run on the Delta DuckDB instance (may read files, temp tables ...). */
  | { sql: string; connection?: DuckDBConnection }
  /** Plain objects keyed by column name. */
  | { rows: readonly Record<string, unknown>[] }
  /** Column arrays keyed by column name, each `rowCount` long (cheapest for big batches). */
  | { columns: Readonly<Record<string, readonly unknown[]>>; rowCount: number };

export interface WriteOptions {
  /** append (default), overwrite (replace all rows), or replace rows matching `replaceWhere`. */
  mode?: 'append' | 'overwrite';
  /** With mode overwrite: replace only the rows matching this predicate (new rows must match). */
  replaceWhere?: Predicate;
  /** Add columns the source has and the table lacks (as nullable columns). */
  mergeSchema?: boolean;
  /** With mode overwrite: replace the table schema by the source's. */
  overwriteSchema?: boolean;
  /** Partition columns when the write creates the table. */
  partitionBy?: string[];
  /** Table properties when the write creates the table. */
  properties?: Record<string, string>;
  /** Application transaction versions set in the same commit (e.g. Kafka offsets). */
  txns?: { appId: string; version: number }[];
  /** commitInfo operation name; WRITE by default. */
  operation?: string;
  operationParameters?: Record<string, unknown>;
  /** Upper bound for each data file's size. */
  targetFileBytes?: number;
}

export interface CreateTableOptions {
  schema: StructType;
  partitionColumns?: string[];
  properties?: Record<string, string>;
  name?: string;
  description?: string;
  /** Return the existing table instead of failing when it exists. */
  ifNotExists?: boolean;
}

export interface CommitResult {
  version: number;
  snapshot: Snapshot;
  /** Number of attempts the optimistic commit took (1 when uncontended). */
  attempts: number;
  addedFiles: number;
  removedFiles: number;
  rowsWritten: number;
}

export interface HistoryEntry {
  version: number;
  timestamp: Date;
  operation: string | undefined;
  operationParameters: Record<string, unknown> | undefined;
  operationMetrics: Record<string, unknown> | undefined;
  readVersion: number | undefined;
  isBlindAppend: boolean | undefined;
  engineInfo: string | undefined;
}

export interface OptimizeOptions {
  /** Files smaller than this are compacted (default: 3/4 of the target size). */
  minFileBytes?: number;
  targetFileBytes?: number;
  /** Only files that may hold rows matching this predicate. */
  where?: Predicate;
  /**
   * Files of a local table whose row groups average at least this many rows (the last of
   * several aside) are joined row group by row group, without decoding them (docs/streaming.md,
   * Compaction); the others are rewritten. 0 rewrites every file. Default 2048, the rows a
   * reader decodes at a time.
   */
  concatMinRowGroupRows?: number;
}

export interface OptimizeResult {
  version: number | undefined;
  filesRemoved: number;
  filesAdded: number;
  partitionsOptimized: number;
  /** Of filesRemoved, those whose row groups were joined as they were instead of rewritten. */
  filesConcatenated: number;
}

/** Row groups smaller than this on average are rewritten rather than joined: readers pay per row group. */
const DEFAULT_CONCAT_MIN_ROW_GROUP_ROWS = 2048;

/** A file OPTIMIZE joins, with the footer it read to decide so. */
interface JoinableFile {
  file: DataFile;
  footer: ParquetFooterInfo;
}

export interface LogCleanupOptions {
  /** Log files older than this go (default: the table's `delta.logRetentionDuration`, 30 days). */
  retentionHours?: number;
  /** The oldest version a reader still needs (e.g. a stream's next version): never cut above it. */
  keepFrom?: number;
  dryRun?: boolean;
  /** The current time in ms (tests). */
  now?: number;
}

export interface LogCleanupResult {
  dryRun: boolean;
  /** Present when the table turns the cleanup off (`delta.enableExpiredLogCleanup = false`): nothing was looked at. */
  disabled?: true;
  /** The oldest version left (a checkpoint's), or undefined when nothing had expired. */
  cutAt: number | undefined;
  /** Log files deleted (or, in a dry run, to delete). */
  filesDeleted: number;
}

export interface VacuumOptions {
  /** Files removed from the table longer ago than this are deleted (default: the table's, 168 h). */
  retentionHours?: number;
  /** Refuse a retention shorter than the table's (`delta.deletedFileRetentionDuration`) unless false. */
  enforceRetentionDuration?: boolean;
  dryRun?: boolean;
  /** The current time in ms (tests). */
  now?: number;
}

export interface VacuumResult {
  dryRun: boolean;
  /** Keys (relative to the table root) of files deleted or, in a dry run, to delete. */
  files: string[];
}

export interface SetPropertiesOptions {
  /** Properties to remove (a key the table lacks is passed over, as `UNSET TBLPROPERTIES IF EXISTS`). */
  unset?: readonly string[];
}

export interface SetPropertiesResult {
  /** The version holding the properties: the new commit's, or the latest when nothing changed. */
  version: number;
  /** Whether a commit was made (false when the table already had these properties). */
  changed: boolean;
  /** The table's properties at `version`. */
  properties: Record<string, string>;
}

export interface DeltaTableOptions {
  /** The name used in messages (defaults to the location). */
  name?: string;
  /** The DuckDB instance for parquet I/O, shared between tables; created when omitted. */
  duck?: DeltaDuckDb;
  logger?: Logger;
  /**
   * Time zone in which timestamp partition values without a zone were written. The protocol
   * reads them as UTC; Spark writes them in its session time zone, so tables from a Spark
   * session outside UTC need that zone here (an IANA name such as America/Los_Angeles).
   */
  partitionTimeZone?: string;
}

let stageCounter = 0;

export class DeltaTable {
  readonly name: string;
  readonly store: ObjectStore;
  readonly log: DeltaLog;
  readonly duck: DeltaDuckDb;
  private readonly logger: Logger;
  private readonly partitionTimeZone: string | undefined;
  private latestSnapshot: Snapshot | undefined;
  /** The last snapshot asked for by version (streams read consecutive versions). */
  private recentSnapshot: Snapshot | undefined;
  private readonly commitListeners = new Set<(snapshot: Snapshot) => void>();
  private background: Promise<void> = Promise.resolve();
  /** Whether a checkpoint started by a commit is being written, and how long the last one took. */
  private checkpointRunning = false;
  private lastCheckpoint = { endedAt: 0, tookMs: 0 };
  /** Top-level column names per data file URL (data files never change). */
  private readonly fileColumnsCache = new Map<string, Set<string>>();
  private readonly deletionVectorCache = new Map<string, number[]>();
  /** Column-array appends this object committed, for in-process stream readers (opt-in). */
  private recentAppends: RecentAppends | undefined;

  private constructor(store: ObjectStore, duck: DeltaDuckDb, options: DeltaTableOptions) {
    this.store = store;
    this.duck = duck;
    this.name = options.name ?? store.root;
    this.logger = options.logger ?? noopLogger;
    this.partitionTimeZone = options.partitionTimeZone;
    this.log = new DeltaLog(this.name, store, duck);
  }

  /** The table at a local folder or in an ObjectStore. The table need not exist yet. */
  static async forPath(location: string | ObjectStore, options: DeltaTableOptions = {}): Promise<DeltaTable> {
    const store = typeof location === 'string' ? new LocalObjectStore(location) : location;
    const duck = options.duck ?? (await DeltaDuckDb.create());
    return new DeltaTable(store, duck, options);
  }

  /**
   * Calls `listener` after each commit made through this object (not other processes' commits:
   * readers poll `latest()` for those). Returns a function that removes the listener.
   */
  onCommit(listener: (snapshot: Snapshot) => void): () => void {
    this.commitListeners.add(listener);
    return () => this.commitListeners.delete(listener);
  }

  /**
   * From now on, remembers the rows of the column-array appends committed through this object
   * (up to `maxRows` rows, the oldest forgotten first; several readers: the largest asked), so
   * that a stream reader in the same process takes them from memory: see recentAppend. The
   * reader returned says which versions it has taken; an append every open reader has taken is
   * forgotten at once.
   */
  keepRecentAppends(maxRows: number): RecentAppendsReader {
    if (this.recentAppends) this.recentAppends.grow(maxRows);
    else this.recentAppends = new RecentAppends(maxRows);
    return this.recentAppends.reader();
  }

  /**
   * The rows version `version` appended, as the writer's column arrays (values before the cast
   * to the table's types), when this object committed it with a column-array source, still
   * remembers it, and it added exactly the files `paths`; otherwise undefined: read the files.
   */
  recentAppend(version: number, paths: readonly string[]): RecentAppend | undefined {
    return this.recentAppends?.get(version, paths);
  }

  /** Resolves when background work started by commits (checkpoints) has finished. */
  async whenIdle(): Promise<void> {
    await this.background;
  }

  /** Whether the table has a Delta log (a table once seen is not listed again). */
  /**
   * Whether a version after `version` has been committed: a cheap probe of the next commit
   * file (writers create commits in order), for callers that poll for changes.
   */
  hasVersionAfter(version: number): Promise<boolean> {
    return this.log.hasCommit(version + 1);
  }

  async exists(): Promise<boolean> {
    return this.latestSnapshot !== undefined || this.log.exists();
  }

  /**
   * The snapshot at a version or timestamp (latest when neither is given).
   * Timestamps select the last version committed at or before them.
   */
  async snapshot(at: { version?: number; timestamp?: Date | number | string } = {}): Promise<Snapshot> {
    if (at.version !== undefined) return this.snapshotAt(at.version);
    if (at.timestamp !== undefined) return this.snapshotAt(await this.versionAtTimestamp(at.timestamp));
    return this.latest();
  }

  /**
   * The snapshot at `version`: from the snapshots this object already holds when one is at or
   * just before it (advanced by the commits in between), else loaded from the log.
   */
  private async snapshotAt(version: number): Promise<Snapshot> {
    if (this.latestSnapshot && version > this.latestSnapshot.version) await this.latest();
    if (!this.latestSnapshot || version > this.latestSnapshot.version) return this.log.snapshot(version);
    const candidates = [this.latestSnapshot, this.recentSnapshot].filter(
      (s): s is Snapshot => s !== undefined && s.version <= version && version - s.version <= 100,
    );
    const base = candidates.sort((a, b) => b.version - a.version)[0];
    let snapshot: Snapshot;
    if (base?.version === version) snapshot = base;
    else if (base) {
      const versions = Array.from({ length: version - base.version }, (_, i) => base.version + 1 + i);
      snapshot = this.log.advance(base, await this.log.readCommits(versions));
    } else snapshot = await this.log.snapshot(version);
    this.recentSnapshot = snapshot;
    return snapshot;
  }

  /** The latest snapshot, advanced incrementally from the last one this object loaded. */
  async latest(): Promise<Snapshot> {
    const next = this.latestSnapshot ? await this.log.update(this.latestSnapshot) : await this.log.snapshot();
    this.remember(next);
    return next;
  }

  private remember(snapshot: Snapshot): void {
    if (!this.latestSnapshot || snapshot.version > this.latestSnapshot.version)
      this.latestSnapshot = snapshot;
  }

  /** The newest version committed at or before `timestamp`. Throws DeltaError when there is none. */
  async versionAtTimestamp(timestamp: Date | number | string): Promise<number> {
    const target =
      timestamp instanceof Date
        ? timestamp.getTime()
        : typeof timestamp === 'number'
          ? timestamp
          : Date.parse(timestamp);
    if (Number.isNaN(target)) {
      throw new DeltaError(
        'DELTA_INVALID_TIMESTAMP',
        this.name,
        undefined,
        `not a timestamp: ${String(timestamp)}`,
      );
    }
    const versions = await this.log.commitVersions();
    if (versions.length === 0)
      throw new DeltaError('DELTA_TABLE_NOT_FOUND', this.name, undefined, 'no commits');
    let lo = 0;
    let hi = versions.length - 1;
    const first = await this.log.commitTimestamp(versions[0]!);
    if (target < first) {
      throw new DeltaError(
        'DELTA_TIMESTAMP_TOO_EARLY',
        this.name,
        undefined,
        `${new Date(target).toISOString()} is before the earliest available commit (${new Date(first).toISOString()}, version ${versions[0]})`,
      );
    }
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if ((await this.log.commitTimestamp(versions[mid]!)) <= target) lo = mid;
      else hi = mid - 1;
    }
    return versions[lo]!;
  }

  /** Commit history, newest first, at most `limit` entries. */
  async history(limit?: number): Promise<HistoryEntry[]> {
    const versions = (await this.log.commitVersions()).reverse().slice(0, limit);
    const commits = await this.log.readCommits(versions);
    return Promise.all(
      commits.map(async ({ version, actions }) => {
        const info = actions.find((a) => a.kind === 'commitInfo');
        const ci: CommitInfoAction | undefined = info?.kind === 'commitInfo' ? info.commitInfo : undefined;
        return {
          version,
          timestamp: new Date(await this.log.commitTimestamp(version, actions)),
          operation: ci?.operation,
          operationParameters: ci?.operationParameters,
          operationMetrics: ci?.operationMetrics,
          readVersion: ci?.readVersion,
          isBlindAppend: ci?.isBlindAppend,
          engineInfo: ci?.engineInfo,
        };
      }),
    );
  }

  /** The latest `txn` version of an application id, or undefined. */
  async txnVersion(appId: string): Promise<number | undefined> {
    if (!(await this.exists())) return undefined;
    return (await this.latest()).txn(appId)?.version;
  }

  // ---------------------------------------------------------------- reading

  /** Lower-cased top-level column names of data files, cached per file. */
  private async columnsOf(urls: readonly string[]): Promise<Map<string, Set<string>>> {
    const missing = urls.filter((u) => !this.fileColumnsCache.has(u));
    if (missing.length > 0) {
      let found: Map<string, Set<string>>;
      try {
        found = await this.duck.fileColumns(missing);
      } catch (cause) {
        throw await this.explainUnreadable(missing, cause);
      }
      for (const url of missing) {
        const cols = found.get(url);
        if (!cols) {
          throw new DeltaError(
            'DELTA_DATA_FILE_MISSING',
            this.name,
            undefined,
            `data file ${url} is missing or unreadable`,
          );
        }
        this.fileColumnsCache.set(url, cols);
      }
    }
    return new Map(urls.map((u) => [u, this.fileColumnsCache.get(u)!]));
  }

  /** Row positions a deletion vector removes, cached by the DV's unique id (DVs never change). */
  private async deletedRows(dv: DeletionVector, version: number): Promise<number[]> {
    const id = `${dv.storageType}${dv.pathOrInlineDv}@${dv.offset ?? ''}`;
    const cached = this.deletionVectorCache.get(id);
    if (cached) return cached;
    let rows: number[];
    try {
      const source = deletionVectorSource(this.name, this.store.root, dv);
      let data: Uint8Array;
      if ('inline' in source) data = source.inline;
      else {
        const root = this.store.root.endsWith('/') ? this.store.root : `${this.store.root}/`;
        const bytes = source.file.startsWith(root)
          ? await this.store.get(source.file.slice(root.length))
          : await fs.readFile(source.file);
        data = deletionVectorFromFile(bytes, source.offset, dv.sizeInBytes);
      }
      rows = decodeDeletionVector(data);
    } catch (cause) {
      if (cause instanceof DeltaError) throw cause;
      throw new DeltaError(
        'DELTA_INVALID_DELETION_VECTOR',
        this.name,
        version,
        `cannot read deletion vector ${id}: ${(cause as Error).message}`,
        {
          cause,
        },
      );
    }
    if (rows.length !== dv.cardinality) {
      throw new DeltaError(
        'DELTA_INVALID_DELETION_VECTOR',
        this.name,
        version,
        `deletion vector ${id} holds ${rows.length} rows where its descriptor says ${dv.cardinality}`,
      );
    }
    this.deletionVectorCache.set(id, rows);
    return rows;
  }

  /** The error for a batch of data files DuckDB could not read: names the first bad file. */
  private async explainUnreadable(urls: readonly string[], cause: unknown): Promise<DeltaError> {
    for (const url of urls) {
      try {
        await this.duck.fileColumns([url]);
      } catch (e) {
        const message = (e as Error).message;
        return /No files found|No such file|does not exist/i.test(message)
          ? new DeltaError('DELTA_DATA_FILE_MISSING', this.name, undefined, `data file ${url} is missing`, {
              cause: e,
            })
          : new DeltaError(
              'DELTA_DATA_FILE_UNREADABLE',
              this.name,
              undefined,
              `data file ${url} is unreadable: ${message}`,
              { cause: e },
            );
      }
    }
    return new DeltaError(
      'DELTA_DATA_FILE_UNREADABLE',
      this.name,
      undefined,
      `cannot read data files: ${(cause as Error).message}`,
      { cause },
    );
  }

  /**
   * DuckDB SQL returning the logical rows of `snapshot` (only files that may match `predicate`;
   * rows are filtered by it too). Throws DeltaError when a data file is missing.
   */
  async scanSql(
    snapshot: Snapshot,
    options: { predicate?: Predicate; columns?: string[]; files?: DataFile[] } = {},
  ): Promise<string> {
    const files = options.files ?? snapshot.files(options.predicate);
    const columns = await this.columnsOf(files.map((f) => f.url));
    const groups = new Map<string, ScanGroup>();
    for (const f of files) {
      const present = columns.get(f.url)!;
      const dv = f.add.deletionVector;
      if (dv) {
        // A file with deleted rows is read on its own, leaving those rows out.
        groups.set(`dv:${f.url}`, {
          partitionValues: f.add.partitionValues ?? {},
          urls: [f.url],
          presentColumns: present,
          deletedRows: await this.deletedRows(dv, snapshot.version),
        });
        continue;
      }
      const key = JSON.stringify([f.add.partitionValues ?? {}, [...present].sort()]);
      let g = groups.get(key);
      if (!g) {
        g = { partitionValues: f.add.partitionValues ?? {}, urls: [], presentColumns: present };
        groups.set(key, g);
      }
      g.urls.push(f.url);
    }
    const sql = buildScanSql({
      schema: snapshot.schema,
      partitionColumns: snapshot.partitionColumns,
      columnMapping: snapshot.columnMapping,
      groups: [...groups.values()],
      ...(this.partitionTimeZone ? { partitionTimeZone: this.partitionTimeZone } : {}),
      ...(options.columns ? { columns: options.columns } : {}),
    });
    return options.predicate ? `SELECT * FROM (${sql}) WHERE ${predicateToSql(options.predicate)}` : sql;
  }

  /** All rows of a snapshot (latest by default) as objects: for tests and small tables. */
  async readRows(
    options: { snapshot?: Snapshot; predicate?: Predicate; orderBy?: string } = {},
  ): Promise<Record<string, unknown>[]> {
    const snapshot = options.snapshot ?? (await this.latest());
    const sql = await this.scanSql(snapshot, options.predicate ? { predicate: options.predicate } : {});
    const connection = await this.duck.connect();
    try {
      const reader = await connection.runAndReadAll(
        `${sql}${options.orderBy ? ` ORDER BY ${options.orderBy}` : ''}`,
      );
      return reader.getRowObjectsJS() as Record<string, unknown>[];
    } catch (cause) {
      throw new DeltaError('DELTA_READ_FAILED', this.name, snapshot.version, (cause as Error).message, {
        cause,
      });
    } finally {
      connection.closeSync();
    }
  }

  // ---------------------------------------------------------------- writing

  /** Creates the table (version 0) with a schema and no data. */
  async create(options: CreateTableOptions): Promise<Snapshot> {
    if (await this.exists()) {
      if (options.ifNotExists) return this.latest();
      throw new DeltaError('DELTA_TABLE_ALREADY_EXISTS', this.name, undefined, 'table already exists');
    }
    const { protocol, metadata } = this.newTableActions(
      options.schema,
      options.partitionColumns ?? [],
      options.properties ?? {},
      options,
    );
    dataLayoutOf(metadata.configuration ?? {}, options.schema, this.name); // refuse a bad layout now
    try {
      const result = await this.commit(
        undefined,
        [
          { kind: 'protocol', protocol },
          { kind: 'metaData', metaData: metadata },
        ],
        {
          operation: 'CREATE TABLE',
          operationParameters: { partitionBy: JSON.stringify(metadata.partitionColumns) },
          footprint: this.footprint(options.schema, metadata.partitionColumns),
          isBlindAppend: true,
        },
      );
      return result.snapshot;
    } catch (e) {
      if (options.ifNotExists && e instanceof DeltaError && e.code === 'DELTA_TABLE_ALREADY_EXISTS')
        return this.latest();
      throw e;
    }
  }

  /**
   * Sets and removes table properties (Delta's `ALTER TABLE … SET / UNSET TBLPROPERTIES`): one
   * commit with the table's metaData carrying the new properties, and nothing when they are
   * already so. Each property is checked first (checkedTableProperties; the data layout keys by
   * dataLayoutOf); a key of Delta's replaces the table's in any case. The protocol follows the
   * properties (protocolForProperties: `delta.appendOnly=true`). A writer that read the table before this commit gets a conflict
   * (DELTA_METADATA_CHANGED) and starts again from the new version, as with any metadata change.
   */
  async setProperties(
    properties: Readonly<Record<string, string>>,
    options: SetPropertiesOptions = {},
  ): Promise<SetPropertiesResult> {
    const snapshot = await this.latest();
    assertWritable(this.name, snapshot.version, snapshot.protocol, snapshot.metadata);
    const set = checkedTableProperties(this.name, snapshot.version, properties);
    const unset = (options.unset ?? []).map(canonicalPropertyKey);
    const both = unset.filter((key) => key in set);
    if (both.length > 0) {
      throw new DeltaError(
        'DELTA_INVALID_TABLE_PROPERTY',
        this.name,
        snapshot.version,
        `table property ${both.join(', ')} is both set and unset`,
      );
    }
    const before = snapshot.properties;
    // Another engine may have stored a Delta key in another case: it is the same property.
    const touched = new Set([...unset, ...Object.keys(set)]);
    const after: Record<string, string> = {};
    for (const [key, value] of Object.entries(before))
      if (!touched.has(canonicalPropertyKey(key))) after[key] = value;
    Object.assign(after, set);
    dataLayoutOf(after, snapshot.schema, this.name, snapshot.version);
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    if ([...keys].every((key) => before[key] === after[key]))
      return { version: snapshot.version, changed: false, properties: after };
    const actions: Action[] = [];
    const protocol = protocolForProperties(snapshot.protocol, after);
    if (protocol !== snapshot.protocol) actions.push({ kind: 'protocol', protocol });
    actions.push({ kind: 'metaData', metaData: { ...snapshot.metadata, configuration: after } });
    const setAny = Object.keys(set).length > 0;
    const result = await this.commit(snapshot, actions, {
      operation: setAny ? 'SET TBLPROPERTIES' : 'UNSET TBLPROPERTIES',
      operationParameters: setAny
        ? { properties: JSON.stringify(set), ...(unset.length > 0 ? { unset: JSON.stringify(unset) } : {}) }
        : { propertyKeys: JSON.stringify(unset), ifExists: 'true' },
      footprint: this.footprint(snapshot.schema, snapshot.partitionColumns),
      isBlindAppend: false,
    });
    this.logger.info('table properties changed', {
      table: this.name,
      version: result.version,
      ...(setAny ? { set } : {}),
      ...(unset.length > 0 ? { unset } : {}),
    });
    return { version: result.version, changed: true, properties: result.snapshot.properties };
  }

  private newTableActions(
    schema: StructType,
    partitionColumns: string[],
    properties: Record<string, string>,
    options: { name?: string; description?: string } = {},
  ): { protocol: ProtocolAction; metadata: MetadataAction } {
    for (const p of partitionColumns) {
      const f = schema.fields.find((x) => x.name === p);
      if (!f)
        throw new DeltaError(
          'DELTA_INVALID_PARTITION_COLUMN',
          this.name,
          undefined,
          `partition column '${p}' is not in the schema`,
        );
      if (typeof f.type !== 'string') {
        throw new DeltaError(
          'DELTA_INVALID_PARTITION_COLUMN',
          this.name,
          undefined,
          `partition column '${p}' must have a primitive type`,
        );
      }
    }
    const usesNtz = JSON.stringify(schema).includes('"timestamp_ntz"');
    const configuration = checkedTableProperties(this.name, undefined, properties);
    const protocol: ProtocolAction = protocolForProperties(
      usesNtz
        ? {
            minReaderVersion: 3,
            minWriterVersion: 7,
            readerFeatures: ['timestampNtz'],
            writerFeatures: ['timestampNtz'],
          }
        : { minReaderVersion: 1, minWriterVersion: 2 },
      configuration,
    );
    const metadata: MetadataAction = {
      id: randomUUID(),
      ...(options.name ? { name: options.name } : {}),
      ...(options.description ? { description: options.description } : {}),
      format: { provider: 'parquet', options: {} },
      schemaString: JSON.stringify(schema),
      partitionColumns,
      configuration,
      createdTime: Date.now(),
    };
    return { protocol, metadata };
  }

  private footprint(
    schema: StructType,
    partitionColumns: readonly string[],
    extra: Partial<TransactionFootprint> = {},
  ): TransactionFootprint {
    return {
      removedFiles: new Set(),
      readPredicate: undefined,
      appIds: new Set(),
      schema,
      partitionColumns,
      ...extra,
    };
  }

  /**
   * Resolves a write source to SQL on `connection`, staging rows when needed. Row properties
   * the table lacks are added as new columns (types inferred from the values) with
   * `mergeSchema`, and refused without it. `fields` are the columns of staged rows (known
   * without asking DuckDB); undefined for a SQL source.
   */
  private async sourceSql(
    source: WriteSource,
    schema: StructType | undefined,
    connection: DuckDBConnection,
    options: WriteOptions,
  ): Promise<{ sql: string; fields?: readonly StructField[] }> {
    if ('sql' in source) return { sql: source.sql };
    if (!schema) {
      throw new DeltaError(
        'DELTA_TABLE_NOT_FOUND',
        this.name,
        undefined,
        'writing rows needs an existing table (create it with a schema first)',
      );
    }
    const known = new Set(schema.fields.map((f) => f.name));
    const extra = new Map<string, DataType>();
    const addColumn = (key: string, value: unknown) => {
      if (!options.mergeSchema) {
        throw new DeltaError(
          'DELTA_SCHEMA_MISMATCH',
          this.name,
          undefined,
          `the rows have column '${key}' that the table lacks; write with mergeSchema to add it`,
        );
      }
      const type = deltaTypeOfValue(value);
      if (!type) {
        throw new DeltaError(
          'DELTA_SCHEMA_MISMATCH',
          this.name,
          undefined,
          `cannot infer a column type for '${key}' from ${JSON.stringify(value)}; write it through a SQL source`,
        );
      }
      extra.set(key, type);
    };
    if ('columns' in source) {
      for (const [key, values] of Object.entries(source.columns)) {
        if (values.length !== source.rowCount) {
          throw new DeltaError(
            'DELTA_INVALID_SOURCE',
            this.name,
            undefined,
            `column '${key}' has ${values.length} values for ${source.rowCount} rows`,
          );
        }
        if (known.has(key)) continue;
        const first = values.find((v) => v !== null && v !== undefined);
        if (first !== undefined) addColumn(key, first);
      }
    } else {
      for (const row of source.rows) {
        for (const key in row) {
          if (known.has(key) || extra.has(key)) continue;
          const value = row[key];
          if (value !== null && value !== undefined) addColumn(key, value);
        }
      }
    }
    const staged: StructType =
      extra.size === 0
        ? schema
        : {
            type: 'struct',
            fields: [...schema.fields, ...[...extra].map(([name, type]) => field(name, type))],
          };
    const tableName = `rtl_stage_${process.pid}_${++stageCounter}`;
    const sql = await ('columns' in source
      ? stageColumns(connection, tableName, staged, source.columns, source.rowCount)
      : stageRows(connection, tableName, staged, source.rows));
    // The staging SELECT casts each column to its field's type: these are its columns.
    return {
      sql,
      fields: staged.fields.map((f) => ({ name: f.name, type: f.type, nullable: true, metadata: {} })),
    };
  }

  /** The source's columns as Delta fields: those of staged rows, or DuckDB's description of the SQL. */
  private async sourceFields(
    source: { sql: string; fields?: readonly StructField[] },
    connection: DuckDBConnection,
  ): Promise<readonly StructField[]> {
    if (source.fields) return source.fields;
    let columns: Awaited<ReturnType<DeltaDuckDb['describe']>>;
    try {
      columns = await this.duck.describe(source.sql, connection);
    } catch (cause) {
      throw new DeltaError(
        'DELTA_INVALID_SOURCE',
        this.name,
        undefined,
        `the write's source query failed: ${(cause as Error).message}`,
        { cause },
      );
    }
    return columns.map(({ name, type }) => {
      const t = deltaTypeFromDuckDb(type);
      if (typeof t === 'object' && 'error' in t) {
        throw new DeltaError('DELTA_UNSUPPORTED_TYPE', this.name, undefined, `column '${name}': ${t.error}`);
      }
      return { name, type: t as DataType, nullable: true, metadata: {} };
    });
  }

  /** The table schema after this write, checked against the source's columns. */
  private resolveWriteSchema(
    sourceFields: readonly StructField[],
    current: StructType | undefined,
    options: WriteOptions,
  ): { schema: StructType; changed: boolean } {
    const names = new Set<string>();
    for (const f of sourceFields) {
      if (names.has(f.name.toLowerCase()))
        throw new DeltaError(
          'DELTA_DUPLICATE_COLUMN',
          this.name,
          undefined,
          `column '${f.name}' appears twice in the source`,
        );
      names.add(f.name.toLowerCase());
    }
    if (!current || (options.mode === 'overwrite' && options.overwriteSchema)) {
      return { schema: { type: 'struct', fields: [...sourceFields] }, changed: current !== undefined };
    }
    const fields = [...current.fields];
    const added: string[] = [];
    for (const f of sourceFields) {
      const existing = current.fields.find((x) => x.name.toLowerCase() === f.name.toLowerCase());
      if (!existing) {
        if (!options.mergeSchema) {
          throw new DeltaError(
            'DELTA_SCHEMA_MISMATCH',
            this.name,
            undefined,
            `the source has column '${f.name}' (${typeToString(f.type)}) that the table lacks; write with mergeSchema to add it`,
          );
        }
        fields.push(f);
        added.push(f.name);
      } else if (!typesCompatible(f.type, existing.type)) {
        throw new DeltaError(
          'DELTA_SCHEMA_MISMATCH',
          this.name,
          undefined,
          `column '${existing.name}' is ${typeToString(existing.type)} in the table but ${typeToString(f.type)} in the source`,
        );
      }
    }
    for (const f of current.fields) {
      if (!f.nullable && !names.has(f.name.toLowerCase())) {
        throw new DeltaError(
          'DELTA_SCHEMA_MISMATCH',
          this.name,
          undefined,
          `non-nullable column '${f.name}' is missing from the source`,
        );
      }
    }
    return { schema: { type: 'struct', fields }, changed: added.length > 0 };
  }

  /**
   * Writes parquet data files for the rows of `sql` (projected onto `schema`) and returns
   * their add actions (with statistics). Partitioned tables get one folder per value.
   */
  private async writeDataFiles(
    sql: string,
    connection: DuckDBConnection,
    schema: StructType,
    partitionColumns: readonly string[],
    options: {
      dataChange: boolean;
      /** How rows are laid out in the files (dataLayoutOf the table's properties). */
      layout: DataLayout;
      targetFileBytes?: number;
      numIndexedCols?: number;
      sourceColumns?: Set<string>;
      /** `sql` reads a table (staged rows) that stays as it is during the write: no copy per partition. */
      sourceIsStable?: boolean;
    },
  ): Promise<AddAction[]> {
    const available =
      options.sourceColumns ??
      new Set((await this.duck.describe(sql, connection)).map((c) => c.name.toLowerCase()));
    const dataFields = schema.fields.filter((f) => !partitionColumns.includes(f.name));
    const projection = (fields: StructField[]) =>
      fields
        .map((f) =>
          available.has(f.name.toLowerCase())
            ? `CAST(${quoteIdent(f.name)} AS ${duckdbTypeOf(f.type)}) AS ${quoteIdent(f.name)}`
            : `CAST(NULL AS ${duckdbTypeOf(f.type)}) AS ${quoteIdent(f.name)}`,
        )
        .join(', ');
    const groups: { values: Record<string, string | null>; where: string }[] = [];
    let source = sql;
    // A query is read once per partition: materialized first, unless it reads staged rows.
    const copied = partitionColumns.length > 0 && !options.sourceIsStable;
    if (partitionColumns.length === 0) {
      groups.push({ values: {}, where: 'TRUE' });
    } else {
      if (copied) {
        const staged = `rtl_part_${process.pid}_${++stageCounter}`;
        await connection.run(`CREATE OR REPLACE TEMP TABLE ${quoteIdent(staged)} AS ${sql}`);
        source = `SELECT * FROM temp.${quoteIdent(staged)}`;
      }
      const formats = partitionColumns.map((p) => {
        const f = schema.fields.find((x) => x.name === p)!;
        return partitionValueFormatSql(quoteIdent(p), f.type);
      });
      const reader = await connection.runAndReadAll(
        `SELECT DISTINCT ${formats.map((f, i) => `${f} AS p${i}`).join(', ')} FROM (${source})`,
      );
      for (const row of reader.getRows()) {
        const values: Record<string, string | null> = {};
        const conds: string[] = [];
        partitionColumns.forEach((p, i) => {
          const v = row[i] === null ? null : String(row[i]);
          values[p] = v;
          conds.push(v === null ? `${quoteIdent(p)} IS NULL` : `${formats[i]} = ${quoteLiteral(v)}`);
        });
        groups.push({ values, where: conds.join(' AND ') });
      }
    }
    const adds: AddAction[] = [];
    const now = Date.now();
    try {
      for (const g of groups) {
        const folder = partitionColumns.map((p) => partitionPathSegment(p, g.values[p] ?? null)).join('/');
        const written = await this.duck.copyToParquet(
          `SELECT ${projection(dataFields)} FROM (${source}) WHERE ${g.where}${layoutOrderBySql(options.layout)}`,
          this.store.urlFor(folder),
          {
            maxFileBytes: options.targetFileBytes ?? DEFAULT_TARGET_FILE_BYTES,
            ...(options.layout.rowGroupRows ? { rowGroupRows: options.layout.rowGroupRows } : {}),
            connection,
          },
        );
        for (const file of written) {
          const relative = file.url
            .slice(this.store.root.length)
            .replace(/^[/\\]+/, '')
            .split('\\')
            .join('/');
          if (file.rows === 0) {
            // COPY writes a file even for no rows: nobody's data, so it goes at once.
            await this.store.delete(relative);
            continue;
          }
          adds.push({
            path: encodeDataFilePath(relative),
            partitionValues: g.values,
            size: file.size,
            modificationTime: now,
            dataChange: options.dataChange,
            stats: buildFileStats(
              file.rows,
              schema,
              partitionColumns,
              file.columnStats,
              options.numIndexedCols ?? 32,
            ),
          });
        }
      }
    } finally {
      if (copied) await connection.run(`DROP TABLE IF EXISTS ${source.slice('SELECT * FROM '.length)}`);
    }
    return adds;
  }

  /**
   * Writes rows to the table, creating it when absent. One atomic commit holds the new
   * files, any removed files, schema changes and `txns`. Throws DeltaError for schema
   * mismatches and CommitConflictError when a concurrent commit conflicts logically.
   */
  async write(source: WriteSource, options: WriteOptions = {}): Promise<CommitResult> {
    let ownConnection: DuckDBConnection | undefined;
    try {
      const snapshot = (await this.exists()) ? await this.latest() : undefined;
      if (snapshot) assertWritable(this.name, snapshot.version, snapshot.protocol, snapshot.metadata);
      if (options.replaceWhere && options.mode !== 'overwrite') {
        throw new DeltaError(
          'DELTA_INVALID_WRITE',
          this.name,
          snapshot?.version,
          'replaceWhere needs mode overwrite',
        );
      }
      const empty =
        ('rows' in source && source.rows.length === 0) || ('columns' in source && source.rowCount === 0);
      if (snapshot && empty && (options.mode ?? 'append') === 'append') {
        // Nothing to write but maybe txns to record (a stream's progress): no data file.
        const now = Date.now();
        const result = await this.commit(
          snapshot,
          (options.txns ?? []).map(
            (t): Action => ({ kind: 'txn', txn: { appId: t.appId, version: t.version, lastUpdated: now } }),
          ),
          {
            operation: options.operation ?? 'WRITE',
            operationParameters: { mode: 'Append', ...options.operationParameters },
            operationMetrics: {
              numFiles: '0',
              numOutputRows: '0',
              numOutputBytes: '0',
              numRemovedFiles: '0',
            },
            footprint: this.footprint(snapshot.schema, snapshot.partitionColumns, {
              appIds: new Set((options.txns ?? []).map((t) => t.appId)),
            }),
            isBlindAppend: true,
          },
        );
        return { ...result, addedFiles: 0, removedFiles: 0, rowsWritten: 0 };
      }
      // A connection only for writes that read or stage rows (an empty append needs none).
      ownConnection = 'sql' in source && source.connection ? undefined : await this.duck.connect();
      const connection = ('sql' in source ? source.connection : undefined) ?? ownConnection!;
      const staged = await this.sourceSql(source, snapshot?.schema, connection, options);
      const { sql } = staged;
      const sourceFields = await this.sourceFields(staged, connection);
      const { schema, changed } = this.resolveWriteSchema(sourceFields, snapshot?.schema, options);
      const partitionColumns =
        snapshot && !(options.overwriteSchema && options.partitionBy)
          ? snapshot.partitionColumns
          : (options.partitionBy ?? []);
      let metadata: MetadataAction | undefined;
      let protocol: ProtocolAction | undefined;
      if (!snapshot) {
        ({ protocol, metadata } = this.newTableActions(schema, partitionColumns, options.properties ?? {}));
      } else if (changed || (options.overwriteSchema && options.partitionBy)) {
        metadata = { ...snapshot.metadata, schemaString: JSON.stringify(schema), partitionColumns };
      }

      // Rows to remove, and the rows this write read (for conflict checks).
      let removes: RemoveAction[] = [];
      let readPredicate: Predicate | 'all' | undefined;
      let rewriteSql: string | undefined;
      if (snapshot && options.mode === 'overwrite') {
        if (isAppendOnly(snapshot.metadata)) {
          throw new DeltaError(
            'DELTA_APPEND_ONLY',
            this.name,
            snapshot.version,
            'the table is append-only (delta.appendOnly=true)',
          );
        }
        const victims = snapshot.files(options.replaceWhere);
        removes = victims.map((f) => removeFor(f.add, true));
        readPredicate = options.replaceWhere ?? 'all';
        if (options.replaceWhere && victims.length > 0) {
          // Copy-on-write: rows of affected files that do not match stay in the table.
          rewriteSql = `SELECT * FROM (${await this.scanSql(snapshot, { files: victims })}) WHERE NOT coalesce(${predicateToSql(options.replaceWhere)}, FALSE)`;
        }
      }
      if (options.replaceWhere) {
        const bad = await connection.runAndReadAll(
          `SELECT count(*) FROM (${sql}) WHERE NOT coalesce(${predicateToSql(options.replaceWhere)}, FALSE)`,
        );
        const n = Number(bad.getRows()[0]![0]);
        if (n > 0) {
          throw new DeltaError(
            'DELTA_REPLACE_WHERE_MISMATCH',
            this.name,
            snapshot?.version,
            `${n} written rows do not match the replaceWhere predicate`,
          );
        }
      }

      const layout = dataLayoutOf(
        (metadata ?? snapshot?.metadata)?.configuration ?? {},
        schema,
        this.name,
        snapshot?.version,
      );
      // The rows kept by copy-on-write go into the same files as the new ones (one COPY; the
      // columns the new rows lack are NULL for them, as they would be alone).
      const written = rewriteSql ? `(${sql}) UNION ALL BY NAME (${rewriteSql})` : sql;
      const adds = await this.writeDataFiles(written, connection, schema, partitionColumns, {
        dataChange: true,
        layout,
        ...(options.targetFileBytes ? { targetFileBytes: options.targetFileBytes } : {}),
        numIndexedCols: Number(snapshot?.properties['delta.dataSkippingNumIndexedCols'] ?? 32),
        sourceColumns: new Set((rewriteSql ? schema.fields : sourceFields).map((f) => f.name.toLowerCase())),
        sourceIsStable: staged.fields !== undefined,
      });
      const actions: Action[] = [];
      if (protocol) actions.push({ kind: 'protocol', protocol });
      if (metadata) actions.push({ kind: 'metaData', metaData: metadata });
      const now = Date.now();
      for (const t of options.txns ?? [])
        actions.push({ kind: 'txn', txn: { appId: t.appId, version: t.version, lastUpdated: now } });
      for (const r of removes) actions.push({ kind: 'remove', remove: r });
      for (const a of adds) actions.push({ kind: 'add', add: a });
      const rows = adds.reduce((n, a) => n + Number(/"numRecords":(\d+)/.exec(a.stats ?? '')?.[1] ?? 0), 0);
      const mode = options.mode ?? 'append';
      const result = await this.commit(snapshot, actions, {
        operation: options.operation ?? (snapshot ? 'WRITE' : 'CREATE TABLE AS SELECT'),
        operationParameters: {
          mode: mode === 'overwrite' ? 'Overwrite' : 'Append',
          partitionBy: JSON.stringify(partitionColumns),
          ...(options.replaceWhere ? { predicate: predicateToSql(options.replaceWhere) } : {}),
          ...options.operationParameters,
        },
        operationMetrics: {
          numFiles: String(adds.length),
          numOutputRows: String(rows),
          numOutputBytes: String(adds.reduce((n, a) => n + a.size, 0)),
          numRemovedFiles: String(removes.length),
        },
        footprint: this.footprint(schema, partitionColumns, {
          removedFiles: new Set(removes.map((r) => fileKey(this.store.root, r))),
          readPredicate,
          appIds: new Set((options.txns ?? []).map((t) => t.appId)),
        }),
        isBlindAppend: mode === 'append' && !metadata,
        ...(mode === 'append' && 'columns' in source ? { appended: source } : {}),
      });
      return { ...result, addedFiles: adds.length, removedFiles: removes.length, rowsWritten: rows };
    } finally {
      ownConnection?.closeSync();
    }
  }

  /**
   * Commits `actions` on top of `read` (undefined: creates the table) with optimistic
   * concurrency: the commit file is created only if absent; on a lost race the winning
   * commits are checked for logical conflicts and the commit moves to the next version.
   * Throws CommitConflictError (or DELTA_TABLE_ALREADY_EXISTS when creating).
   */
  async commit(
    read: Snapshot | undefined,
    actions: readonly Action[],
    info: {
      operation: string;
      operationParameters?: Record<string, unknown>;
      operationMetrics?: Record<string, unknown>;
      footprint: TransactionFootprint;
      isBlindAppend: boolean;
      /** The column arrays this commit appends (kept when keepRecentAppends is on). */
      appended?: { columns: Readonly<Record<string, readonly unknown[]>>; rowCount: number };
    },
  ): Promise<Omit<CommitResult, 'addedFiles' | 'removedFiles' | 'rowsWritten'>> {
    const commitInfo: CommitInfoAction = {
      timestamp: Date.now(),
      operation: info.operation,
      operationParameters: info.operationParameters ?? {},
      ...(read ? { readVersion: read.version } : {}),
      isolationLevel: 'Serializable',
      isBlindAppend: info.isBlindAppend,
      ...(info.operationMetrics ? { operationMetrics: info.operationMetrics } : {}),
      engineInfo: ENGINE_INFO,
      txnId: randomUUID(),
    };
    let current = read;
    let version = read ? read.version + 1 : 0;
    for (let attempt = 1; attempt <= MAX_COMMIT_ATTEMPTS; attempt++) {
      commitInfo.timestamp = Date.now();
      const committed: Action[] = [{ kind: 'commitInfo', commitInfo }, ...actions];
      try {
        await this.store.putIfAbsent(LOG_DIR + commitFileName(version), serializeActions(committed));
      } catch (e) {
        if (!(e instanceof FileAlreadyExistsError)) throw e;
        if (!current)
          throw new DeltaError(
            'DELTA_TABLE_ALREADY_EXISTS',
            this.name,
            0,
            'a concurrent writer created the table',
          );
        const winners = await this.log.readCommits([version]);
        const conflict = findConflict(this.store.root, info.footprint, winners[0]!.actions);
        if (conflict) {
          throw new CommitConflictError(
            this.name,
            version,
            `${conflict.problem} (${conflict.code}); re-read the table and retry`,
          );
        }
        current = this.log.advance(current, winners);
        version = current.version + 1;
        if (attempt % 8 === 0)
          await new Promise((r) => setTimeout(r, Math.random() * Math.min(100, attempt)));
        continue;
      }
      const snapshot = current
        ? this.log.advance(current, [{ version, actions: committed }])
        : new Snapshot(
            this.name,
            this.store.root,
            replayLog(this.name, this.store.root, undefined, [{ version, actions: committed }]),
          );
      this.remember(snapshot);
      if (info.appended && this.recentAppends) {
        const paths: string[] = [];
        for (const a of actions) if (a.kind === 'add') paths.push(a.add.path);
        this.recentAppends.add({ version, paths, ...info.appended });
      }
      for (const listener of this.commitListeners) listener(snapshot);
      // Checkpoints are written off the commit's path: the commit stands either way.
      this.maybeCheckpoint(snapshot);
      return { version, snapshot, attempts: attempt };
    }
    throw new DeltaError(
      'DELTA_COMMIT_RETRIES_EXHAUSTED',
      this.name,
      version,
      `gave up after ${MAX_COMMIT_ATTEMPTS} attempts`,
      {
        retriable: true,
      },
    );
  }

  /**
   * Starts writing a checkpoint of `snapshot` in the background when its version is a multiple
   * of `delta.checkpointInterval` (10 by default), unless one is being written (its version is
   * then passed over: the next multiple gets one) or the last one was slow (a second or more)
   * and took more than a tenth of the time since it ended. A checkpoint costs what the table
   * holds, live files and tombstones, while commits come at their own pace: so the work is at
   * most ~10% of the time and never queues up, and readers replay a few more commits when
   * checkpoints are large.
   */
  private maybeCheckpoint(snapshot: Snapshot): void {
    const interval = Number(snapshot.properties['delta.checkpointInterval'] ?? DEFAULT_CHECKPOINT_INTERVAL);
    if (!(interval > 0) || snapshot.version === 0 || snapshot.version % interval !== 0) return;
    if (this.checkpointRunning) return;
    const last = this.lastCheckpoint;
    if (last.tookMs >= SLOW_CHECKPOINT_MS && Date.now() - last.endedAt < 9 * last.tookMs) return;
    this.checkpointRunning = true;
    this.background = this.background.then(async () => {
      const started = Date.now();
      try {
        await this.checkpoint(snapshot);
      } catch (error) {
        // A missing checkpoint slows readers down but loses nothing: the commit stands.
        this.logger.warn('checkpoint failed', {
          table: this.name,
          version: snapshot.version,
          error: (error as Error).message,
        });
      } finally {
        this.checkpointRunning = false;
        this.lastCheckpoint = { endedAt: Date.now(), tookMs: Date.now() - started };
      }
    });
  }

  /** Writes a checkpoint of `snapshot` (latest by default) and points `_last_checkpoint` at it. */
  async checkpoint(snapshot?: Snapshot): Promise<void> {
    const snap = snapshot ?? (await this.latest());
    const retention = deletedFileRetentionHours(snap.properties);
    const cutoff = Date.now() - retention * HOUR_MS;
    const actions: Action[] = [
      { kind: 'protocol', protocol: snap.protocol },
      { kind: 'metaData', metaData: snap.metadata },
    ];
    for (const txn of snap.state.txns.values()) actions.push({ kind: 'txn', txn });
    for (const d of snap.state.domains.values()) actions.push({ kind: 'domainMetadata', domainMetadata: d });
    for (const add of snap.state.files.values())
      actions.push({ kind: 'add', add: { ...add, dataChange: false } });
    const { removes, carry } = await this.tombstones(snap, cutoff, { carryParquet: true });
    for (const remove of removes) actions.push({ kind: 'remove', remove: { ...remove, dataChange: false } });
    const { bytes, rows } = await this.duck.checkpointBytes(actions, carry);
    await this.store.put(LOG_DIR + checkpointFileName(snap.version), bytes);
    const hint = await this.log.lastCheckpointHint();
    if (hint === undefined || hint < snap.version) {
      await this.store.put(
        `${LOG_DIR}_last_checkpoint`,
        JSON.stringify({
          version: snap.version,
          size: rows,
          sizeInBytes: bytes.length,
          numOfAddFiles: snap.state.files.size,
        }),
      );
    }
  }

  /**
   * The tombstones of `snapshot` removed after `cutoff` (epoch ms), read from the log: the
   * commits since the newest checkpoint give theirs, and that checkpoint gives its own. With
   * `carryParquet` a parquet checkpoint's are not read but described (`carry`) for
   * DeltaDuckDb.checkpointBytes to copy.
   */
  private async tombstones(
    snapshot: Snapshot,
    cutoff: number,
    options: { carryParquet?: boolean } = {},
  ): Promise<{ removes: RemoveAction[]; carry?: { urls: string[]; cutoff: number; exclude: Set<string> } }> {
    const root = this.store.root;
    const live = snapshot.state.files;
    const { base, tail } = await this.log.tombstoneSource(snapshot.version);
    const { fromTail, tailPaths } = tombstonesAfter(root, tail, live, cutoff);
    if (!base) return { removes: fromTail };
    if (options.carryParquet && base.kind !== 'v2' && !base.files[0]!.endsWith('.json')) {
      const urls = base.files.map((f) => this.store.urlFor(LOG_DIR + f));
      return { removes: fromTail, carry: { urls, cutoff, exclude: tailPaths } };
    }
    const removes = (await this.log.readCheckpoint(base, { removes: true })).flatMap((a) =>
      a.kind === 'remove' ? [a.remove] : [],
    );
    return { removes: [...fromTail, ...carriedFromBase(root, removes, tailPaths, live, cutoff)] };
  }

  /**
   * Compacts small files: per partition, files below `minFileBytes` are rewritten into files
   * of up to `targetFileBytes` in one commit whose actions have dataChange=false.
   */
  async optimize(options: OptimizeOptions = {}): Promise<OptimizeResult> {
    const snapshot = await this.latest();
    assertWritable(this.name, snapshot.version, snapshot.protocol, snapshot.metadata);
    const target = options.targetFileBytes ?? DEFAULT_TARGET_FILE_BYTES;
    const min = options.minFileBytes ?? Math.floor(target * 0.75);
    const byPartition = new Map<string, DataFile[]>();
    for (const f of snapshot.files(options.where)) {
      if (f.add.size >= min || f.add.deletionVector) continue;
      const key = JSON.stringify(f.add.partitionValues ?? {});
      byPartition.set(key, [...(byPartition.get(key) ?? []), f]);
    }
    const groups = [...byPartition.values()].filter((g) => g.length > 1);
    const nothing = {
      version: undefined,
      filesRemoved: 0,
      filesAdded: 0,
      partitionsOptimized: 0,
      filesConcatenated: 0,
    };
    if (groups.length === 0) return nothing;
    const layout = dataLayoutOf(snapshot.properties, snapshot.schema, this.name, snapshot.version);
    const concatMin = options.concatMinRowGroupRows ?? DEFAULT_CONCAT_MIN_ROW_GROUP_ROWS;
    const connection = await this.duck.connect();
    const adds: AddAction[] = [];
    const removes: RemoveAction[] = [];
    let concatenated = 0;
    let partitions = 0;
    try {
      for (const group of groups) {
        let rewrite = group;
        const before = adds.length;
        if (concatMin > 0 && this.store instanceof LocalObjectStore) {
          const plan = await this.planConcat(snapshot, group, layout, concatMin, target);
          rewrite = plan.rewrite;
          for (const run of plan.runs) {
            adds.push(await this.concatFiles(snapshot, run));
            removes.push(...run.map((j) => removeFor(j.file.add, false)));
            concatenated += run.length;
          }
        }
        if (rewrite.length > 1) {
          const sql = await this.scanSql(snapshot, { files: rewrite });
          adds.push(
            ...(await this.writeDataFiles(sql, connection, snapshot.schema, snapshot.partitionColumns, {
              dataChange: false,
              layout,
              targetFileBytes: target,
              sourceColumns: new Set(snapshot.schema.fields.map((f) => f.name.toLowerCase())),
            })),
          );
          removes.push(...rewrite.map((f) => removeFor(f.add, false)));
        }
        if (adds.length > before) partitions++;
      }
    } catch (error) {
      await this.deleteUncommitted(adds);
      throw error;
    } finally {
      connection.closeSync();
    }
    if (removes.length === 0) return nothing;
    try {
      const result = await this.commit(
        snapshot,
        [
          ...removes.map((remove): Action => ({ kind: 'remove', remove })),
          ...adds.map((add): Action => ({ kind: 'add', add })),
        ],
        {
          operation: 'OPTIMIZE',
          operationParameters: {
            predicate: options.where ? predicateToSql(options.where) : '[]',
            zOrderBy: '[]',
          },
          operationMetrics: {
            numRemovedFiles: String(removes.length),
            numAddedFiles: String(adds.length),
            numConcatenatedFiles: String(concatenated),
          },
          footprint: this.footprint(snapshot.schema, snapshot.partitionColumns, {
            removedFiles: new Set(removes.map((r) => fileKey(this.store.root, r))),
          }),
          isBlindAppend: false,
        },
      );
      return {
        version: result.version,
        filesRemoved: removes.length,
        filesAdded: adds.length,
        partitionsOptimized: partitions,
        filesConcatenated: concatenated,
      };
    } catch (error) {
      await this.deleteUncommitted(adds);
      throw error;
    }
  }

  /** Deletes data files written for a commit that did not happen (best effort; VACUUM would too). */
  private async deleteUncommitted(adds: readonly AddAction[]): Promise<void> {
    for (const add of adds) {
      await fs.rm(resolveDataFilePath(this.store.root, add.path), { force: true }).catch(() => {});
    }
  }

  /**
   * Which of a partition's small files OPTIMIZE joins row group by row group: those whose
   * row groups average `minRowGroupRows` rows or more and share the most common parquet
   * schema, in runs of up to `targetBytes`. With a sort layout, a run is ordered by the files'
   * minimum of the sort column, so each row group stays sorted and their statistics still
   * narrow a reader's scan. Joining keeps an order on one column only: a layout sorted by
   * several (partition columns aside) is always rewritten. The other files are rewritten.
   */
  private async planConcat(
    snapshot: Snapshot,
    group: readonly DataFile[],
    layout: DataLayout,
    minRowGroupRows: number,
    targetBytes: number,
  ): Promise<{ runs: JoinableFile[][]; rewrite: DataFile[] }> {
    const sortColumns = layout.sortBy.filter((c) => !snapshot.partitionColumns.includes(c));
    if (sortColumns.length > 1) return { runs: [], rewrite: [...group] };
    const footers = await Promise.all(
      group.map((f) =>
        readParquetFooter(resolveDataFilePath(this.store.root, f.add.path)).catch(() => undefined),
      ),
    );
    const schemaCounts = new Map<string, number>();
    for (const footer of footers) {
      if (footer && largeRowGroups(footer.rowGroupRows, minRowGroupRows))
        schemaCounts.set(footer.schemaKey, (schemaCounts.get(footer.schemaKey) ?? 0) + 1);
    }
    const schemaKey = [...schemaCounts].sort((a, b) => b[1] - a[1])[0]?.[0];
    const joinable: JoinableFile[] = [];
    const rewrite: DataFile[] = [];
    group.forEach((file, i) => {
      const footer = footers[i];
      if (footer && footer.schemaKey === schemaKey && largeRowGroups(footer.rowGroupRows, minRowGroupRows))
        joinable.push({ file, footer });
      else rewrite.push(file);
    });
    const sortColumn = sortColumns[0];
    if (sortColumn) {
      const type = snapshot.schema.fields.find((f) => f.name === sortColumn)?.type;
      const keyOf = (j: JoinableFile) =>
        comparable(parseFileStats(j.file.add.stats)?.minValues?.[sortColumn], type);
      // Ascending; files without the statistic last.
      joinable.sort((a, b) => {
        const x = keyOf(a);
        const y = keyOf(b);
        if (x === undefined || y === undefined) return x === y ? 0 : x === undefined ? 1 : -1;
        return compare(x, y) ?? 0;
      });
    }
    const runs: JoinableFile[][] = [];
    let run: JoinableFile[] = [];
    let bytes = 0;
    for (const j of joinable) {
      if (run.length > 0 && bytes + j.file.add.size > targetBytes) {
        runs.push(run);
        run = [];
        bytes = 0;
      }
      run.push(j);
      bytes += j.file.add.size;
    }
    if (run.length > 0) runs.push(run);
    // A run of one file would only be copied; it waits for company instead.
    return { runs: runs.filter((r) => r.length > 1), rewrite };
  }

  /** Joins `run`'s files into one new file beside the first and returns its add action. */
  private async concatFiles(snapshot: Snapshot, run: readonly JoinableFile[]): Promise<AddAction> {
    const first = resolveDataFilePath(this.store.root, run[0]!.file.add.path);
    const relativeDir = path.relative(this.store.root, path.dirname(first)).split(path.sep).join('/');
    const name = `part-${randomUUID()}-0.parquet`;
    const relative = relativeDir === '' ? name : `${relativeDir}/${name}`;
    const written = await concatParquetFiles(
      run.map((j) => resolveDataFilePath(this.store.root, j.file.add.path)),
      path.join(path.dirname(first), name),
      run.map((j) => j.footer),
    );
    const stats = mergeFileStats(
      run.map((j) => j.file.add.stats),
      snapshot.schema,
      snapshot.partitionColumns,
    );
    return {
      path: encodeDataFilePath(relative),
      partitionValues: run[0]!.file.add.partitionValues ?? {},
      size: written.size,
      modificationTime: Date.now(),
      dataChange: false,
      ...(stats ? { stats } : {}),
    };
  }

  /**
   * Deletes the log files of versions older than the log retention (Delta's expired-log
   * cleanup): the log is cut at the newest complete checkpoint whose preceding commit is older
   * than the retention (`delta.logRetentionDuration`, 30 days by default) and at most
   * `keepFrom`; every file of an older version goes, so time travel reaches back to that
   * checkpoint's version and no further. Data files are left to VACUUM. Reads the whole log
   * listing, so it is a maintenance job, not something to run per commit. A table with
   * `delta.enableExpiredLogCleanup = false` keeps its log (the result says `disabled`).
   */
  async cleanupLog(options: LogCleanupOptions = {}): Promise<LogCleanupResult> {
    const snapshot = await this.latest();
    assertWritable(this.name, snapshot.version, snapshot.protocol, snapshot.metadata);
    if (snapshot.properties['delta.enableExpiredLogCleanup']?.toLowerCase() === 'false')
      return { dryRun: options.dryRun ?? false, disabled: true, cutAt: undefined, filesDeleted: 0 };
    const retention = options.retentionHours ?? logRetentionHours(snapshot.properties);
    if (!(retention >= 0)) {
      throw new DeltaError(
        'DELTA_INVALID_RETENTION',
        this.name,
        snapshot.version,
        'retention must not be negative',
      );
    }
    const cutoff = (options.now ?? Date.now()) - retention * HOUR_MS;
    const files = logFilesFromNames(await this.log.listLogNames());
    const candidates = logCutCandidates(
      files,
      Math.min(snapshot.version, options.keepFrom ?? snapshot.version),
    );
    // Whether the log may be cut at checkpoint `c`: the commit before it is expired (the files
    // of older versions are older still). Commit times grow with versions: search by halves.
    const expiredBefore = async (c: number) => {
      const meta = await this.store.head(LOG_DIR + commitFileName(c - 1));
      return meta !== undefined && meta.lastModified <= cutoff;
    };
    let cut: number | undefined;
    let lo = 0;
    let hi = candidates.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (await expiredBefore(candidates[mid]!)) {
        cut = candidates[mid]!;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (cut === undefined) return { dryRun: options.dryRun ?? false, cutAt: undefined, filesDeleted: 0 };
    const doomed = logFilesBefore(files, cut);
    if (!options.dryRun) {
      for (let i = 0; i < doomed.length; i += DELETE_BATCH) {
        await Promise.all(doomed.slice(i, i + DELETE_BATCH).map((f) => this.store.delete(LOG_DIR + f.name)));
      }
      this.logger.info('expired log files deleted', {
        table: this.name,
        files: doomed.length,
        oldestVersion: cut,
      });
    }
    return { dryRun: options.dryRun ?? false, cutAt: cut, filesDeleted: doomed.length };
  }

  /**
   * Deletes files under the table root that no version inside the retention period needs:
   * not live in the latest snapshot, not removed within the retention period, and older
   * than it. Live files are never deleted. Throws DeltaError for a retention shorter than the
   * table's own (`delta.deletedFileRetentionDuration`, 168 h by default) unless
   * `enforceRetentionDuration` is false.
   */
  async vacuum(options: VacuumOptions = {}): Promise<VacuumResult> {
    const snapshot = await this.latest();
    assertWritable(this.name, snapshot.version, snapshot.protocol, snapshot.metadata);
    const tableRetention = deletedFileRetentionHours(snapshot.properties);
    const retention = options.retentionHours ?? tableRetention;
    if (retention < 0)
      throw new DeltaError(
        'DELTA_VACUUM_INVALID_RETENTION',
        this.name,
        snapshot.version,
        'retention must not be negative',
      );
    if (retention < tableRetention && options.enforceRetentionDuration !== false) {
      throw new DeltaError(
        'DELTA_VACUUM_RETENTION_TOO_SHORT',
        this.name,
        snapshot.version,
        `retention of ${retention} hours is under the table's ${tableRetention} hours (delta.deletedFileRetentionDuration); readers of older versions could lose files (pass enforceRetentionDuration: false to override)`,
      );
    }
    const now = options.now ?? Date.now();
    const cutoff = now - retention * HOUR_MS;
    const keep = new Set<string>();
    for (const add of snapshot.state.files.values()) keep.add(resolveDataFilePath(this.store.root, add.path));
    // Tombstones removed at or after the cutoff keep their files.
    for (const r of (await this.tombstones(snapshot, cutoff - 1)).removes)
      keep.add(resolveDataFilePath(this.store.root, r.path));
    const candidates: string[] = [];
    // Names first: the log (hundreds of thousands of files on a streaming table) and files the
    // table needs are never looked at; the rest are looked up a batch at a time.
    const unknown = (await this.store.list('', { recursive: true })).filter(
      (key) =>
        !key.startsWith(LOG_DIR) &&
        !isHiddenPath(key) &&
        !keep.has(resolveDataFilePath(this.store.root, encodeDataFilePath(key))),
    );
    for (let i = 0; i < unknown.length; i += DELETE_BATCH) {
      const metas = await Promise.all(unknown.slice(i, i + DELETE_BATCH).map((key) => this.store.head(key)));
      for (const meta of metas) if (meta && meta.lastModified < cutoff) candidates.push(meta.key);
    }
    if (!options.dryRun) {
      // Re-read the log: a file that became live meanwhile must survive.
      const latest = await this.log.update(snapshot);
      const live = new Set(
        [...latest.state.files.values()].map((a) => resolveDataFilePath(this.store.root, a.path)),
      );
      const deletable = candidates.filter(
        (k) => !live.has(resolveDataFilePath(this.store.root, encodeDataFilePath(k))),
      );
      for (let i = 0; i < deletable.length; i += DELETE_BATCH)
        await Promise.all(deletable.slice(i, i + DELETE_BATCH).map((key) => this.store.delete(key)));
      this.logger.info('vacuum deleted files', { table: this.name, files: deletable.length });
      return { dryRun: false, files: deletable };
    }
    return { dryRun: true, files: candidates };
  }
}

/** A hidden file or folder (`_x`, `.x`) that VACUUM leaves alone; partition folders `_a=b` are not hidden. */
function isHiddenPath(key: string): boolean {
  return key.split('/').some((seg) => (seg.startsWith('_') || seg.startsWith('.')) && !seg.includes('='));
}

/**
 * Whether a file's row groups average `min` rows, not counting the last of several (a writer
 * cuts full row groups and ends with what is left).
 */
function largeRowGroups(rowGroupRows: readonly number[], min: number): boolean {
  const counted = rowGroupRows.length > 1 ? rowGroupRows.slice(0, -1) : rowGroupRows;
  if (counted.length === 0) return false;
  return counted.reduce((a, b) => a + b, 0) / counted.length >= min;
}

function removeFor(add: AddAction, dataChange: boolean): RemoveAction {
  return {
    path: add.path,
    deletionTimestamp: Date.now(),
    dataChange,
    extendedFileMetadata: true,
    partitionValues: add.partitionValues ?? {},
    size: add.size,
    ...(add.stats ? { stats: add.stats } : {}),
    ...(add.tags ? { tags: add.tags } : {}),
  };
}

/** The Delta type of a JavaScript value, for columns added by row writes. */
function deltaTypeOfValue(value: unknown): DataType | undefined {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'bigint') return 'long';
  if (typeof value === 'number') return Number.isSafeInteger(value) ? 'long' : 'double';
  if (value instanceof Date) return 'timestamp';
  if (value instanceof Uint8Array) return 'binary';
  return undefined;
}

const WIDENING: Record<string, string[]> = {
  byte: ['short', 'integer', 'long', 'double', 'float'],
  short: ['integer', 'long', 'double', 'float'],
  integer: ['long', 'double'],
  long: [],
  float: ['double'],
  date: ['timestamp', 'timestamp_ntz'],
  timestamp_ntz: ['timestamp'],
};

/** Whether a source column of type `from` can be written to a table column of type `to`. */
function typesCompatible(from: DataType, to: DataType): boolean {
  if (JSON.stringify(from) === JSON.stringify(to)) return true;
  if (typeof from === 'string' && typeof to === 'string') {
    if (WIDENING[from]?.includes(to)) return true;
    if (from.startsWith('decimal') && (to.startsWith('decimal') || to === 'double')) return true;
    if (
      (from === 'integer' || from === 'long' || from === 'short' || from === 'byte') &&
      to.startsWith('decimal')
    )
      return true;
    return false;
  }
  if (isStructType(from) && isStructType(to)) {
    return from.fields.every((f) => {
      const t = to.fields.find((x) => x.name.toLowerCase() === f.name.toLowerCase());
      return t !== undefined && typesCompatible(f.type, t.type);
    });
  }
  if (typeof from === 'object' && typeof to === 'object' && from.type === to.type) {
    if (from.type === 'array' && to.type === 'array')
      return typesCompatible(from.elementType, to.elementType);
    if (from.type === 'map' && to.type === 'map')
      return typesCompatible(from.keyType, to.keyType) && typesCompatible(from.valueType, to.valueType);
  }
  return false;
}
