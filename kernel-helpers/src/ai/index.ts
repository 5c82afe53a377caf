// The AI assistant: the embedded NL → SQL planner and chart choice (pure), retrieval (embeddings,
// vector stores, the knowledge base), the LLM path, and the assistant that ties them together.

export * from './assistant/index.js';
export * from './chart/index.js';
export * from './embedding/index.js';
export * from './knowledge/index.js';
export * from './llm/index.js';
export * from './planner/index.js';
export * from './vectors/index.js';
