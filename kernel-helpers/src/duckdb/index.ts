export { connectUtc, type DuckDbOptions, openDuckDb } from './openDuckDb.js';
