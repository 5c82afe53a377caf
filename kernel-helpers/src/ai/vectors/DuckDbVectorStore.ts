// The default vector store: one table in an in-process DuckDB (a file of its own, or memory),
// searched by exact cosine similarity — a full scan, which is fast for the thousands of records
// a knowledge base holds.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  DOUBLE,
  type DuckDBConnection,
  type DuckDBInstance,
  LIST,
  listValue,
  VARCHAR,
} from '@duckdb/node-api';
import { openDuckDb } from '../../duckdb/openDuckDb.js';
import { checkFilter, checkK, checkRecords, checkVector } from './checkVectors.js';
import type {
  VectorFilter,
  VectorHit,
  VectorPayload,
  VectorRecord,
  VectorSearch,
  VectorStore,
} from './VectorStore.js';
import { VectorStoreError } from './VectorStoreError.js';

export interface DuckDbVectorStoreOptions {
  /** The database file (its folder is created); in memory when omitted or `:memory:`. */
  path?: string;
  dimension: number;
  /** Table name (default `vectors`); several stores can share one file under different names. */
  table?: string;
}

const TABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;

export class DuckDbVectorStore implements VectorStore {
  readonly description: string;
  private closed = false;
  /** Operations run one at a time on the store's single connection. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly table: string,
    readonly dimension: number,
    location: string,
  ) {
    this.description = `duckdb:${location}#${table}`;
  }

  /**
   * Opens (creating when needed) the store. @throws VectorStoreError VECTORS_LOCKED when another
   * process has the file open, VECTORS_INVALID for a bad dimension or table name.
   */
  static async open(options: DuckDbVectorStoreOptions): Promise<DuckDbVectorStore> {
    const table = options.table ?? 'vectors';
    if (!TABLE.test(table))
      throw new VectorStoreError('VECTORS_INVALID', `bad table name ${JSON.stringify(table)}`);
    if (!Number.isInteger(options.dimension) || options.dimension < 1)
      throw new VectorStoreError('VECTORS_INVALID', 'dimension must be a positive integer');
    const file =
      options.path === undefined || options.path === ':memory:' ? undefined : path.resolve(options.path);
    if (file) await fs.mkdir(path.dirname(file), { recursive: true });
    let instance: DuckDBInstance;
    try {
      instance = await openDuckDb({ threads: 1, ...(file ? { path: file } : {}) });
    } catch (e) {
      const message = (e as Error).message;
      if (/lock/i.test(message))
        throw new VectorStoreError(
          'VECTORS_LOCKED',
          `the vector store ${file} is in use by another process: ${message}`,
          {
            cause: e,
          },
        );
      throw new VectorStoreError('VECTORS_FAILED', `cannot open the vector store ${file}: ${message}`, {
        cause: e,
      });
    }
    const connection = await instance.connect();
    try {
      await connection.run(
        `CREATE TABLE IF NOT EXISTS ${table} (id VARCHAR PRIMARY KEY, vector FLOAT[] NOT NULL, norm DOUBLE NOT NULL, payload VARCHAR NOT NULL)`,
      );
    } catch (e) {
      connection.closeSync();
      instance.closeSync();
      throw new VectorStoreError(
        'VECTORS_FAILED',
        `cannot create the vector table: ${(e as Error).message}`,
        {
          cause: e,
        },
      );
    }
    return new DuckDbVectorStore(instance, connection, table, options.dimension, file ?? ':memory:');
  }

  async upsert(id: string, vector: readonly number[], payload: VectorPayload): Promise<void> {
    return this.upsertMany([{ id, vector, payload }]);
  }

  async upsertMany(records: readonly VectorRecord[]): Promise<void> {
    checkRecords(records, this.dimension);
    if (records.length === 0) return this.exclusive(async () => {});
    return this.exclusive(async (c) => {
      await c.run('BEGIN TRANSACTION');
      try {
        const statement = await c.prepare(
          `INSERT OR REPLACE INTO ${this.table} VALUES ($1, $2::FLOAT[], $3, $4)`,
        );
        for (const r of records) {
          statement.bind(
            [r.id, listValue([...r.vector]), norm(r.vector), JSON.stringify(r.payload)],
            [VARCHAR, LIST(DOUBLE), DOUBLE, VARCHAR],
          );
          await statement.run();
        }
        statement.destroySync();
        await c.run('COMMIT');
      } catch (e) {
        await c.run('ROLLBACK').catch(() => undefined);
        throw e;
      }
    });
  }

  async search(vector: readonly number[], k: number, filter?: VectorFilter): Promise<VectorHit[]> {
    const [hits] = await this.searchMany(vector, [{ k, ...(filter ? { filter } : {}) }]);
    return hits!;
  }

  async searchMany(vector: readonly number[], requests: readonly VectorSearch[]): Promise<VectorHit[][]> {
    checkVector(vector, this.dimension);
    for (const r of requests) {
      checkK(r.k);
      checkFilter(r.filter);
    }
    if (requests.length === 0) return [];
    // One statement: the query vector is bound once, each request is a branch of a UNION ALL.
    const params: string[] = [];
    const branches = requests.map((r, i) => {
      const where = filterSql(r.filter, 3 + params.length);
      params.push(...where.params);
      return `(SELECT ${i} AS request, id, payload, CASE WHEN norm = 0 OR $2 = 0 THEN 0 ELSE list_dot_product(vector, $1::FLOAT[]) / (norm * $2) END AS score
        FROM ${this.table} WHERE ${where.sql} ORDER BY score DESC, id LIMIT ${r.k})`;
    });
    return this.exclusive(async (c) => {
      const reader = await c.runAndReadAll(
        `SELECT * FROM (${branches.join(' UNION ALL ')}) ORDER BY request, score DESC, id`,
        [listValue([...vector]), norm(vector), ...params],
        [LIST(DOUBLE), DOUBLE, ...params.map(() => VARCHAR)],
      );
      const out: VectorHit[][] = requests.map(() => []);
      for (const row of reader.getRowObjectsJS() as {
        request: number;
        id: string;
        payload: string;
        score: number;
      }[])
        out[Number(row.request)]!.push({
          id: row.id,
          score: Number(row.score),
          payload: JSON.parse(row.payload) as VectorPayload,
        });
      return out;
    });
  }

  async list(filter?: VectorFilter): Promise<{ id: string; payload: VectorPayload }[]> {
    checkFilter(filter);
    const where = filterSql(filter, 1);
    return this.exclusive(async (c) => {
      const reader = await c.runAndReadAll(
        `SELECT id, payload FROM ${this.table} WHERE ${where.sql} ORDER BY id`,
        where.params,
      );
      return (reader.getRowObjectsJS() as { id: string; payload: string }[]).map((row) => ({
        id: row.id,
        payload: JSON.parse(row.payload) as VectorPayload,
      }));
    });
  }

  async delete(ids: readonly string[]): Promise<void> {
    return this.exclusive(async (c) => {
      if (ids.length === 0) return;
      await c.run(
        `DELETE FROM ${this.table} WHERE list_contains($1::VARCHAR[], id)`,
        [listValue([...ids])],
        [LIST(VARCHAR)],
      );
    });
  }

  async count(filter?: VectorFilter): Promise<number> {
    checkFilter(filter);
    const where = filterSql(filter, 1);
    return this.exclusive(async (c) => {
      const reader = await c.runAndReadAll(
        `SELECT count(*) FROM ${this.table} WHERE ${where.sql}`,
        where.params,
      );
      return Number(reader.getColumns()[0]![0]);
    });
  }

  async clear(): Promise<void> {
    return this.exclusive(async (c) => {
      await c.run(`DELETE FROM ${this.table}`);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.catch(() => undefined);
    this.connection.closeSync();
    this.instance.closeSync();
  }

  /** Runs `work` after every earlier operation; wraps DuckDB failures in VectorStoreError. */
  private exclusive<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    if (this.closed)
      return Promise.reject(new VectorStoreError('VECTORS_CLOSED', 'the vector store is closed'));
    const run = this.queue.then(async () => {
      if (this.closed) throw new VectorStoreError('VECTORS_CLOSED', 'the vector store is closed');
      try {
        return await work(this.connection);
      } catch (e) {
        if (e instanceof VectorStoreError) throw e;
        throw new VectorStoreError('VECTORS_FAILED', `vector store: ${(e as Error).message}`, { cause: e });
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function norm(vector: readonly number[]): number {
  let sum = 0;
  for (const x of vector) sum += x * x;
  return Math.sqrt(sum);
}

/** A WHERE clause for `filter` over the JSON payload; parameters numbered from `first`. */
function filterSql(filter: VectorFilter | undefined, first: number): { sql: string; params: string[] } {
  const terms: string[] = [];
  const params: string[] = [];
  for (const [field, value] of Object.entries(filter ?? {})) {
    const values = Array.isArray(value) ? value : [value];
    if (values.length === 0) {
      terms.push('false');
      continue;
    }
    // Payloads and filter values are both serialised by JSON.stringify, so equal values have
    // equal JSON text; comparing text keeps "1" (a string) apart from 1 (a number).
    const slots = values.map((v) => {
      params.push(JSON.stringify(v));
      return `$${first + params.length - 1}`;
    });
    terms.push(`json_extract(payload, '$."${field}"')::VARCHAR IN (${slots.join(', ')})`);
  }
  return { sql: terms.length === 0 ? 'true' : terms.join(' AND '), params };
}
