// Text embeddings for the assistant's retrieval: the port, the local deterministic embedder and
// the OpenAI adapter.
export { cosineSimilarity } from './cosineSimilarity.js';
export { DOMAIN_SYNONYMS } from './domainSynonyms.js';
export type { Embedder } from './Embedder.js';
export { canonicalWords, embeddingFeatures, type Feature } from './embeddingFeatures.js';
export { LocalEmbedder, type LocalEmbedderOptions } from './LocalEmbedder.js';
export { OpenAiEmbedder, type OpenAiEmbedderOptions } from './OpenAiEmbedder.js';
