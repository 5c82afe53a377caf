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

/** The checkpoint schema Spark and delta-rs read (classic checkpoint, stats as JSON). */
const CHECKPOINT_COLUMNS: Record<string, string> = {
  txn: 'STRUCT(appId VARCHAR, "version" BIGINT, lastUpdated BIGINT)',
  add: `STRUCT(path VARCHAR, partitionValues ${MAP}, size BIGINT, modificationTime BIGINT, dataChange BOOLEAN, stats VARCHAR, tags ${MAP}, deletionVector ${DV}, baseRowId BIGINT, defaultRowCommitVersion BIGINT)`,
  remove: `STRUCT(path VARCHAR, deletionTimestamp BIGINT, dataChange BOOLEAN, extendedFileMetadata BOOLEAN, partitionValues ${MAP}, size BIGINT, deletionVector ${DV}, baseRowId BIGINT, defaultRowCommitVersion BIGINT)`,
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
   * (`{ "remove": {...} }`). Fields a file lacks come back as undefined columns.
   */
  async readCheckpointRows(urls: readonly string[]): Promise<CheckpointRows> {
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
      const othersFilter = addIndex < 0 ? 'TRUE' : 'add IS NULL';
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

  /** Writes `actions` as a classic checkpoint parquet file and returns its bytes. */
  async checkpointBytes(actions: readonly Action[]): Promise<Uint8Array> {
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
      await this.exclusive((c) =>
        c.run(
          `COPY (SELECT ${select} FROM read_json(${quoteLiteral(input)}, format = 'newline_delimited', columns = {${columns}}, maximum_object_size = 1073741824)) TO ${quoteLiteral(output)} (FORMAT parquet)`,
        ),
      );
      return await fs.readFile(output);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
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
   * statistics. Rows keep the order of `selectSql`.
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
    return files.filter((f) => f.rows > 0);
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
