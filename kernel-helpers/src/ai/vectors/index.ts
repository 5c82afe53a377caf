// Vector stores for the assistant's knowledge base: the port and its DuckDB and Qdrant adapters.
export { checkFilter, checkRecords, checkVector, matchesFilter } from './checkVectors.js';
export { DuckDbVectorStore, type DuckDbVectorStoreOptions } from './DuckDbVectorStore.js';
export { QdrantVectorStore, type QdrantVectorStoreOptions } from './QdrantVectorStore.js';
export type {
  VectorFilter,
  VectorHit,
  VectorPayload,
  VectorRecord,
  VectorSearch,
  VectorStore,
} from './VectorStore.js';
export { VectorStoreError } from './VectorStoreError.js';
