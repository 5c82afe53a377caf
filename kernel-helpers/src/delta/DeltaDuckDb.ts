// The DuckDB side of the Delta core: reading and writing checkpoint parquet, learning which
// columns data files hold, and writing data files with their statistics.
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type DuckDBConnection, type DuckDBInstance, type DuckDBType, DuckDBTypeId } from '@duckdb/node-api';
import { connectUtc, openDuckDb } from '../duckdb/openDuckDb.js';
import type { Action } from './actions.js';
import { serializeActions } from './parseActions.js';
import { quoteIdent, quoteLiteral } from './schema.js';

const MAP = 'MAP(VARCHAR, VARCHAR)';
const DV =
  'STRUCT(storageType VARCHAR, pathOrInlineDv VARCHAR, "offset" INTEGER, sizeInBytes INTEGER, cardinality BIGINT, maxRowIndex BIGINT)';

/** The fields of a checkpoint's remove struct (tombstones carry no stats), with their types. */
const REMOVE_FIELDS: readonly [string, string][] = [
  ['path', 'VARCHAR'],
  ['deletionTimestamp', 'BIGINT'],
  ['dataChange', 'BOOLEAN'],
  ['extendedFileMetadata', 'BOOLEAN'],
  ['partitionValues', MAP],
  ['size', 'BIGINT'],
  ['deletionVector', DV],
  ['baseRowId', 'BIGINT'],
  ['defaultRowCommitVersion', 'BIGINT'],
];

/** The checkpoint schema Spark and delta-rs read (classic checkpoint, stats as JSON). */
const CHECKPOINT_COLUMNS: Record<string, string> = {
  txn: 'STRUCT(appId VARCHAR, "version" BIGINT, lastUpdated BIGINT)',
  add: `STRUCT(path VARCHAR, partitionValues ${MAP}, size BIGINT, modificationTime BIGINT, dataChange BOOLEAN, stats VARCHAR, tags ${MAP}, deletionVector ${DV}, baseRowId BIGINT, defaultRowCommitVersion BIGINT)`,
  remove: `STRUCT(${REMOVE_FIELDS.map(([n, t]) => `${quoteIdent(n)} ${t}`).join(', ')})`,
  metaData: `STRUCT(id VARCHAR, "name" VARCHAR, description VARCHAR, format STRUCT(provider VARCHAR, "options" ${MAP}), schemaString VARCHAR, partitionColumns VARCHAR[], "configuration" ${MAP}, createdTime BIGINT)`,
  protocol:
    'STRUCT(minReaderVersion INTEGER, minWriterVersion INTEGER, readerFeatures VARCHAR[], writerFeatures VARCHAR[])',
  domainMetadata: 'STRUCT("domain" VARCHAR, "configuration" VARCHAR, removed BOOLEAN)',
};

/** The add fields read from checkpoints; maps and structs come as JSON text. */
const ADD_FIELDS: readonly { name: string; json: boolean }[] = [
  { name: 'path', json: false },
  { name: 'partitionValues', json: true },
  { name: 'size', json: false },
  { name: 'modificationTime', json: false },
  { name: 'dataChange', json: false },
  { name: 'stats', json: false },
  { name: 'tags', json: true },
  { name: 'deletionVector', json: true },
  { name: 'baseRowId', json: false },
  { name: 'defaultRowCommitVersion', json: false },
  { name: 'clusteringProvider', json: false },
];

/** What `readCheckpointRows` returns. */
export interface CheckpointRows {
  /** Add actions column by column (values as DuckDB returns them), or undefined without an add column. */
  adds: { rowCount: number; columns: Record<string, unknown[]> } | undefined;
  /** Every other action row as a plain object with null fields. */
  others: unknown[];
}

/** One parquet file DuckDB wrote, with what COPY ... RETURN_STATS reported. */
export interface WrittenParquetFile {
  url: string;
  rows: number;
  size: number;
  columnStats: Map<string, Record<string, string | undefined>>;
}

/** A column of a query result: name and DuckDB type. */
export interface QueryColumn {
  name: string;
  type: DuckDBType;
}

/**
 * Holds one DuckDB instance for Delta I/O (full file access: it is never handed user SQL).
 * Operations are serialised on one connection unless a caller opens more.
 */
export class DeltaDuckDb {
  /** Serialises work on the shared connection: one statement at a time. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  static async create(): Promise<DeltaDuckDb> {
    const instance = await openDuckDb();
    return new DeltaDuckDb(instance, await connectUtc(instance));
  }

  /** Runs `fn` with the shared connection once the work queued before it has finished. */
  private exclusive<T>(fn: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    const run = this.queue.then(() => fn(this.connection));
    this.queue = run.catch(() => {});
    return run;
  }

  /** A new connection of the same instance (for work that must not wait on the shared one). */
  async connect(): Promise<DuckDBConnection> {
    return connectUtc(this.instance);
  }

  /**
   * The actions of checkpoint (or sidecar) parquet files: `adds` as column arrays (the bulk of
   * a checkpoint, read column by column without JSON), every other action as a plain object
   * (`{ "txn": {...} }`); remove rows (tombstones) only with `removes`. Fields a file lacks
   * come back as undefined columns.
   */
  async readCheckpointRows(
    urls: readonly string[],
    options: { removes?: boolean } = {},
  ): Promise<CheckpointRows> {
    if (urls.length === 0) return { adds: undefined, others: [] };
    const list = `[${urls.map(quoteLiteral).join(', ')}]`;
    const source = `read_parquet(${list}, union_by_name = true)`;
    return this.exclusive(async (c) => {
      const prepared = await c.prepare(`SELECT * FROM ${source} LIMIT 0`);
      const described = await prepared.run();
      const names = described.columnNames();
      const types = described.columnTypes();
      let adds: CheckpointRows['adds'];
      const addIndex = names.indexOf('add');
      if (addIndex >= 0) {
        const addType = types[addIndex]!;
        const fields = addType.typeId === DuckDBTypeId.STRUCT ? addType.entryNames : [];
        const wanted = ADD_FIELDS.filter((f) => fields.includes(f.name));
        const select = wanted.map((f) =>
          f.json ? `to_json(add.${quoteIdent(f.name)})::VARCHAR` : `add.${quoteIdent(f.name)}`,
        );
        const reader = await c.runAndReadAll(
          `SELECT ${select.join(', ')} FROM ${source} WHERE add IS NOT NULL`,
        );
        const columns = reader.getColumns();
        adds = {
          rowCount: reader.currentRowCount,
          columns: Object.fromEntries(wanted.map((f, i) => [f.name, columns[i]!])),
        };
      }
      const others = names.filter((n) => n !== 'add');
      const skip = [
        ...(addIndex < 0 ? [] : ['add']),
        ...(names.includes('remove') && !options.removes ? ['remove'] : []),
      ];
      const othersFilter = skip.length === 0 ? 'TRUE' : skip.map((n) => `${n} IS NULL`).join(' AND ');
      let rows: unknown[] = [];
      if (others.length > 0) {
        const reader = await c.runAndReadAll(
          `SELECT to_json(struct_pack(${others.map((n) => `${quoteIdent(n)} := ${quoteIdent(n)}`).join(', ')}))::VARCHAR FROM ${source} WHERE ${othersFilter}`,
        );
        rows = (reader.getColumns()[0] ?? []).map((j) => JSON.parse(j as string));
      }
      return { adds, others: rows };
    });
  }

  /**
   * Writes `actions` as a classic checkpoint parquet file and returns its bytes and row count
   * (actions written). With `carry`, the remove rows (tombstones) of an older parquet checkpoint
   * are copied in as well, inside DuckDB: those removed after `cutoff` (epoch ms) whose path is
   * not in `exclude` (the paths the commits since then add or remove). A long-lived table holds
   * far more tombstones than live files, and none of them then passes through JavaScript.
   */
  async checkpointBytes(
    actions: readonly Action[],
    carry?: { urls: readonly string[]; cutoff: number; exclude: Iterable<string> },
  ): Promise<{ bytes: Uint8Array; rows: number }> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'rtl-ckpt-'));
    try {
      const input = path.join(dir, 'actions.json');
      const output = path.join(dir, 'checkpoint.parquet');
      await fs.writeFile(input, serializeActions(actions.filter((a) => a.kind in CHECKPOINT_COLUMNS)));
      const columns = Object.entries(CHECKPOINT_COLUMNS)
        .map(([k, v]) => `${quoteLiteral(k)}: ${quoteLiteral(v)}`)
        .join(', ');
      const select = Object.keys(CHECKPOINT_COLUMNS)
        .map((c) => `"${c}"`)
        .join(', ');
      let sql = `SELECT ${select} FROM read_json(${quoteLiteral(input)}, format = 'newline_delimited', columns = {${columns}}, maximum_object_size = 1073741824)`;
      const carried = carry && (await this.carriedRemovesSql(carry, path.join(dir, 'exclude.json')));
      if (carried) sql += `\nUNION ALL\n${carried}`;
      const copied = await this.exclusive((c) =>
        c.run(`COPY (${sql}) TO ${quoteLiteral(output)} (FORMAT parquet)`),
      );
      return { bytes: await fs.readFile(output), rows: copied.rowsChanged };
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }

  /**
   * A SELECT of checkpoint rows holding the carried remove rows of `carry.urls` in this
   * checkpoint schema (fields the older file lacks are NULL, dataChange false), or undefined
   * when those files have no remove column.
   */
  private async carriedRemovesSql(
    carry: { urls: readonly string[]; cutoff: number; exclude: Iterable<string> },
    excludeFile: string,
  ): Promise<string | undefined> {
    const source = `read_parquet([${carry.urls.map(quoteLiteral).join(', ')}], union_by_name = true)`;
    const described = await this.describe(`SELECT * FROM ${source}`);
    const remove = described.find((c) => c.name === 'remove')?.type;
    if (!remove || remove.typeId !== DuckDBTypeId.STRUCT) return undefined;
    const has = new Set(remove.entryNames);
    if (!has.has('path')) return undefined;
    const fields = REMOVE_FIELDS.map(([name, type]) => {
      const value = name === 'dataChange' ? 'false' : has.has(name) ? `remove.${quoteIdent(name)}` : 'NULL';
      return `${quoteIdent(name)} := CAST(${value} AS ${type})`;
    });
    const exclude = [...carry.exclude];
    let notExcluded = '';
    if (exclude.length > 0) {
      await fs.writeFile(excludeFile, exclude.map((p) => `${JSON.stringify({ path: p })}\n`).join(''));
      notExcluded = ` AND remove.path NOT IN (SELECT path FROM read_json(${quoteLiteral(excludeFile)}, format = 'newline_delimited', columns = {path: 'VARCHAR'}))`;
    }
    const expiry = has.has('deletionTimestamp')
      ? `coalesce(remove.deletionTimestamp, 0) > ${Math.floor(carry.cutoff)}`
      : 'FALSE';
    const nulls = (kind: string) => `NULL::${CHECKPOINT_COLUMNS[kind]} AS ${quoteIdent(kind)}`;
    return `SELECT ${Object.keys(CHECKPOINT_COLUMNS)
      .map((kind) => (kind === 'remove' ? `struct_pack(${fields.join(', ')}) AS remove` : nulls(kind)))
      .join(', ')} FROM ${source} WHERE remove IS NOT NULL AND ${expiry}${notExcluded}`;
  }

  /** Lower-cased top-level column names of each parquet file. */
  async fileColumns(urls: readonly string[]): Promise<Map<string, Set<string>>> {
    const out = new Map<string, Set<string>>();
    if (urls.length === 0) return out;
    const list = `[${urls.map(quoteLiteral).join(', ')}]`;
    const reader = await this.exclusive((c) =>
      c.runAndReadAll(`SELECT file_name, name, num_children FROM parquet_schema(${list})`),
    );
    // parquet_schema lists each file's schema tree depth-first; the root comes first.
    let file = '';
    let stack: number[] = [];
    for (const [fileName, name, numChildren] of reader.getRows() as [
      string,
      string,
      bigint | number | null,
    ][]) {
      if (fileName !== file || stack.length === 0) {
        file = fileName;
        if (!out.has(file)) out.set(file, new Set());
        stack = [Number(numChildren ?? 0)];
        continue;
      }
      const depth = stack.length;
      stack[depth - 1]!--;
      if (depth === 1) out.get(file)!.add(name.toLowerCase());
      const children = Number(numChildren ?? 0);
      if (children > 0) stack.push(children);
      while (stack.length > 0 && stack[stack.length - 1] === 0) stack.pop();
    }
    return out;
  }

  /** Column names and types of a query's result, without running it. */
  async describe(sql: string, connection?: DuckDBConnection): Promise<QueryColumn[]> {
    const run = async (c: DuckDBConnection) => {
      const prepared = await c.prepare(`SELECT * FROM (${sql}) LIMIT 0`);
      const result = await prepared.run();
      const names = result.columnNames();
      const types = result.columnTypes();
      return names.map((name, i) => ({ name, type: types[i]! }));
    };
    return connection ? run(connection) : this.exclusive(run);
  }

  /**
   * Runs `COPY (selectSql) TO folderUrl` as parquet files named part-<uuid>.parquet, split at
   * `maxFileBytes` (`rowGroupRows` rows per row group), and returns each written file with its
   * statistics. Rows keep the order of `selectSql`. DuckDB writes a file even for no rows: it
   * is returned too (rows 0), for the caller to delete.
   */
  async copyToParquet(
    selectSql: string,
    folderUrl: string,
    options: { maxFileBytes?: number; rowGroupRows?: number; connection?: DuckDBConnection } = {},
  ): Promise<WrittenParquetFile[]> {
    if (!options.connection)
      return this.exclusive((c) => this.copyToParquet(selectSql, folderUrl, { ...options, connection: c }));
    const connection = options.connection;
    if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(folderUrl)) await fs.mkdir(folderUrl, { recursive: true });
    const size = options.maxFileBytes ? `, FILE_SIZE_BYTES ${options.maxFileBytes}` : '';
    const rowGroups = options.rowGroupRows ? `, ROW_GROUP_SIZE ${options.rowGroupRows}` : '';
    const reader = await connection.runAndReadAll(
      `COPY (${selectSql}) TO ${quoteLiteral(folderUrl)} (FORMAT parquet, RETURN_STATS true, PER_THREAD_OUTPUT false, OVERWRITE_OR_IGNORE true, FILENAME_PATTERN 'part-${randomUUID()}-{i}'${size}${rowGroups})`,
    );
    const files: WrittenParquetFile[] = [];
    for (const row of reader.getRowObjectsJson()) {
      const stats = new Map<string, Record<string, string | undefined>>();
      for (const entry of (row['column_statistics'] ?? []) as {
        key: string;
        value: { key: string; value: string }[];
      }[]) {
        const m: Record<string, string | undefined> = {};
        for (const kv of entry.value) m[kv.key] = kv.value;
        stats.set(entry.key, m);
      }
      files.push({
        url: String(row['filename']),
        rows: Number(row['count']),
        size: Number(row['file_size_bytes']),
        columnStats: stats,
      });
    }
    return files;
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
