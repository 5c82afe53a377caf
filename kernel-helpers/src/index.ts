// @rt-lakehouse/kernel-helpers: the library every part of RT-Lakehouse imports.
// Folders follow the flow of data: events → kafka → delta → engine → stream → ai → notebook.
export * from './ai/index.js';
export * from './delta/index.js';
export * from './duckdb/index.js';
export * from './engine/index.js';
export * from './errors.js';
export * from './events/index.js';
export * from './kafka/index.js';
export type { Logger } from './logger.js';
export * from './monitoring/index.js';
export { murmurMix } from './murmurMix.js';
export { noopLogger } from './noopLogger.js';
export * from './notebook/index.js';
export * from './storage/index.js';
export * from './stream/index.js';
