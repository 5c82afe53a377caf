// The query engine: the lakehouse catalog and the locked-down SQL engine for untrusted queries.
export { DuckDbSqlEngine, type DuckDbSqlEngineOptions } from './DuckDbSqlEngine.js';
export {
  guardSql,
  leadingKeyword,
  type SqlGuardCode,
  type SqlGuardContext,
  type SqlGuardInput,
  type SqlGuardIssue,
  type SqlGuardResult,
} from './guardSql.js';
export { type JsonValue, jsonValueFromDuckDb } from './jsonValueFromDuckDb.js';
export { Lakehouse, type LakehouseOptions } from './Lakehouse.js';
export { type LakehouseConfig, lakehouseConfigFromEnv } from './lakehouseConfigFromEnv.js';
export { lockDownDuckDb, lockedDuckDbStartConfig } from './lockDownDuckDb.js';
export { queryErrorFromDuckDb } from './queryErrorFromDuckDb.js';
export type * from './SqlEngine.js';
export { sqlGuardPolicy } from './sqlGuardPolicy.js';
