// The Qdrant adapter of VectorStore (`@qdrant/js-client-rest`): one collection with cosine
// distance, created on first use. Qdrant point ids must be UUIDs or integers, so each string id
// maps to a name-based UUID and travels in the payload as `_rtl_id`.
import { createHash } from 'node:crypto';
import { QdrantClient } from '@qdrant/js-client-rest';
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

export interface QdrantVectorStoreOptions {
  /** e.g. `http://127.0.0.1:6333` (QDRANT_URL). */
  url: string;
  apiKey?: string;
  /** Collection name (QDRANT_COLLECTION, default `sql_knowledge`). */
  collection?: string;
  dimension: number;
  /** Per-request time limit in ms (default 10,000). */
  timeoutMs?: number;
}

const ID_FIELD = '_rtl_id';
const SCROLL_PAGE = 256;

type QdrantFilter = { must: Record<string, unknown>[] };

export class QdrantVectorStore implements VectorStore {
  readonly description: string;
  readonly dimension: number;
  private readonly client: QdrantClient;
  private readonly collection: string;
  private ready: Promise<void> | undefined;
  private closed = false;

  constructor(options: QdrantVectorStoreOptions) {
    if (!Number.isInteger(options.dimension) || options.dimension < 1)
      throw new VectorStoreError('VECTORS_INVALID', 'dimension must be a positive integer');
    this.dimension = options.dimension;
    this.collection = options.collection ?? 'sql_knowledge';
    this.client = new QdrantClient({
      url: options.url,
      ...(options.apiKey ? { apiKey: options.apiKey } : {}),
      timeout: options.timeoutMs ?? 10_000,
      checkCompatibility: false,
    });
    this.description = `qdrant:${options.url.replace(/\/+$/, '')}/collections/${this.collection}`;
  }

  upsert(id: string, vector: readonly number[], payload: VectorPayload): Promise<void> {
    return this.upsertMany([{ id, vector, payload }]);
  }

  async upsertMany(records: readonly VectorRecord[]): Promise<void> {
    checkRecords(records, this.dimension);
    await this.call('upsert', async () => {
      await this.ensureCollection(true);
      if (records.length === 0) return;
      await this.client.upsert(this.collection, {
        wait: true,
        points: records.map((r) => ({
          id: pointId(r.id),
          vector: [...r.vector],
          payload: { ...r.payload, [ID_FIELD]: r.id },
        })),
      });
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
    return this.call('search', async () => {
      if (!(await this.ensureCollection(true))) return requests.map(() => []);
      const filters = requests.map((r) => qdrantFilter(r.filter));
      const asked = requests.flatMap((r, i) => (filters[i] === null ? [] : [{ r, i }]));
      // A few more than k, so ties at the edge can be ordered by id like the other adapters.
      const results = await this.client.queryBatch(this.collection, {
        searches: asked.map(({ r, i }) => ({
          query: [...vector],
          limit: r.k + 8,
          with_payload: true,
          ...(filters[i] ? { filter: filters[i] } : {}),
        })),
      });
      const out: VectorHit[][] = requests.map(() => []);
      asked.forEach(({ r, i }, j) => {
        out[i] = (results[j]?.points ?? [])
          .map((p) => ({ ...fromPoint(p.payload), score: p.score }))
          .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
          .slice(0, r.k);
      });
      return out;
    });
  }

  async list(filter?: VectorFilter): Promise<{ id: string; payload: VectorPayload }[]> {
    checkFilter(filter);
    return this.call('list', async () => {
      if (!(await this.ensureCollection(false))) return [];
      const query = qdrantFilter(filter);
      if (query === null) return [];
      const out: { id: string; payload: VectorPayload }[] = [];
      let offset: string | number | undefined;
      for (;;) {
        const page = await this.client.scroll(this.collection, {
          limit: SCROLL_PAGE,
          with_payload: true,
          with_vector: false,
          ...(query ? { filter: query } : {}),
          ...(offset !== undefined ? { offset } : {}),
        });
        for (const p of page.points) out.push(fromPoint(p.payload));
        const next = page.next_page_offset;
        if (next === null || next === undefined || typeof next === 'object') break;
        offset = next;
      }
      return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    });
  }

  async delete(ids: readonly string[]): Promise<void> {
    await this.call('delete', async () => {
      if (ids.length === 0 || !(await this.ensureCollection(false))) return;
      await this.client.delete(this.collection, { wait: true, points: ids.map(pointId) });
    });
  }

  async count(filter?: VectorFilter): Promise<number> {
    checkFilter(filter);
    return this.call('count', async () => {
      if (!(await this.ensureCollection(false))) return 0;
      const query = qdrantFilter(filter);
      if (query === null) return 0;
      const result = await this.client.count(this.collection, {
        exact: true,
        ...(query ? { filter: query } : {}),
      });
      return result.count;
    });
  }

  /** Drops and recreates the collection (with this store's dimension). */
  async clear(): Promise<void> {
    await this.call('clear', async () => {
      const { exists } = await this.client.collectionExists(this.collection);
      if (exists) await this.client.deleteCollection(this.collection);
      this.ready = undefined;
      await this.ensureCollection(true);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /**
   * Whether the collection exists, creating it when `create`. @throws VectorStoreError
   * VECTORS_DIMENSION_MISMATCH when it exists with another vector size (clear() recreates it).
   */
  private async ensureCollection(create: boolean): Promise<boolean> {
    if (this.ready) {
      await this.ready;
      return true;
    }
    const { exists } = await this.client.collectionExists(this.collection);
    if (!exists && !create) return false;
    const setup = (async () => {
      if (!exists) {
        try {
          await this.client.createCollection(this.collection, {
            vectors: { size: this.dimension, distance: 'Cosine' },
          });
        } catch (e) {
          // Another process may have created it between the check and the create.
          if (!(await this.client.collectionExists(this.collection)).exists) throw e;
        }
      }
      const info = await this.client.getCollection(this.collection);
      const vectors = info.config.params.vectors as { size?: number } | undefined;
      if (vectors?.size !== undefined && vectors.size !== this.dimension)
        throw new VectorStoreError(
          'VECTORS_DIMENSION_MISMATCH',
          `Qdrant collection ${this.collection} holds vectors of ${vectors.size} numbers; this store writes ${this.dimension} (clear() recreates it)`,
        );
    })();
    this.ready = setup;
    try {
      await setup;
    } catch (e) {
      this.ready = undefined;
      throw e;
    }
    return true;
  }

  private async call<T>(operation: string, work: () => Promise<T>): Promise<T> {
    if (this.closed) throw new VectorStoreError('VECTORS_CLOSED', 'the vector store is closed');
    try {
      return await work();
    } catch (e) {
      if (e instanceof VectorStoreError) throw e;
      const message = (e as Error).message ?? String(e);
      const unavailable = /fetch failed|ECONNREFUSED|ECONNRESET|ETIMEDOUT|timeout|socket/i.test(
        `${message} ${String((e as { cause?: unknown }).cause ?? '')}`,
      );
      throw new VectorStoreError(
        unavailable ? 'VECTORS_UNAVAILABLE' : 'VECTORS_FAILED',
        `Qdrant ${operation} on ${this.collection}: ${message}`,
        { cause: e, retriable: unavailable },
      );
    }
  }
}

/** A name-based UUID (SHA-1, version 5 layout) for a string id. */
export function pointId(id: string): string {
  const h = createHash('sha1').update(`rt-lakehouse:${id}`).digest('hex');
  const variant = ((Number.parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}

function fromPoint(payload: Record<string, unknown> | null | undefined): {
  id: string;
  payload: VectorPayload;
} {
  const { [ID_FIELD]: id, ...rest } = payload ?? {};
  return { id: String(id), payload: rest as VectorPayload };
}

/** The Qdrant filter for `filter`: undefined for none, null when nothing can match. */
function qdrantFilter(filter: VectorFilter | undefined): QdrantFilter | undefined | null {
  if (filter === undefined || Object.keys(filter).length === 0) return undefined;
  const must: Record<string, unknown>[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (Array.isArray(value)) {
      if (value.length === 0) return null;
      must.push({ key, match: { any: [...value] } });
    } else must.push({ key, match: { value } });
  }
  return { must };
}
