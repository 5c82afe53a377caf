// The vector store port: records (id, vector, JSON payload) searched by exact or approximate
// cosine similarity. Adapters: DuckDbVectorStore (default, in process) and QdrantVectorStore.
import type { JsonValue } from '../../engine/jsonValueFromDuckDb.js';

/** A record's payload: a JSON object (filters match its top-level string, number and boolean fields). */
export type VectorPayload = Record<string, JsonValue>;

export interface VectorRecord {
  id: string;
  vector: readonly number[];
  payload: VectorPayload;
}

/**
 * Records whose payload field equals the value (or one of the values, for an array), every
 * field at once (AND). An empty array matches nothing.
 */
export type VectorFilter = Readonly<Record<string, string | number | boolean | readonly (string | number)[]>>;

export interface VectorSearch {
  k: number;
  filter?: VectorFilter;
}

export interface VectorHit {
  id: string;
  /** Cosine similarity in [-1, 1], higher is closer. */
  score: number;
  payload: VectorPayload;
}

/**
 * Contract every adapter meets (tests/integration/ai/vectorStoreContract.test.ts runs it):
 * - ids are any non-empty strings; `upsert` of an existing id replaces its vector and payload;
 * - every vector has exactly `dimension` numbers, else `upsert` throws VectorStoreError
 *   VECTORS_DIMENSION_MISMATCH and writes nothing;
 * - `search` returns at most `k` hits matching `filter`, best first, ties by ascending id, with
 *   the payload as written (JSON round trip);
 * - `delete` of unknown ids is a no-op; `clear` removes every record;
 * - writes are visible to the next call of the same store (read-your-writes).
 */
export interface VectorStore {
  /** Names the adapter and where it keeps its data (for logs and `/health`). */
  readonly description: string;
  readonly dimension: number;
  upsert(id: string, vector: readonly number[], payload: VectorPayload): Promise<void>;
  /** `upsert` of many records at once (one round trip where the adapter can). */
  upsertMany(records: readonly VectorRecord[]): Promise<void>;
  /** The `k` records most similar to `vector` (cosine), matching `filter`. */
  search(vector: readonly number[], k: number, filter?: VectorFilter): Promise<VectorHit[]>;
  /** Several searches with one vector (one round trip where the adapter can): one hit list per request. */
  searchMany(vector: readonly number[], requests: readonly VectorSearch[]): Promise<VectorHit[][]>;
  /** Every record matching `filter` without its vector, by ascending id. */
  list(filter?: VectorFilter): Promise<{ id: string; payload: VectorPayload }[]>;
  delete(ids: readonly string[]): Promise<void>;
  count(filter?: VectorFilter): Promise<number>;
  clear(): Promise<void>;
  /** Releases the store (idempotent); later calls throw VECTORS_CLOSED. */
  close(): Promise<void>;
}
