// The Delta Lake core: log replay, snapshots, writes, checkpoints, OPTIMIZE, VACUUM, log cleanup and table properties.
export type * from './actions.js';
export { DeltaDuckDb } from './DeltaDuckDb.js';
export { DeltaLog } from './DeltaLog.js';
export {
  type CommitResult,
  type CreateTableOptions,
  DeltaTable,
  type DeltaTableOptions,
  type HistoryEntry,
  type LogCleanupOptions,
  type LogCleanupResult,
  type OptimizeOptions,
  type OptimizeResult,
  type SetPropertiesOptions,
  type SetPropertiesResult,
  type VacuumOptions,
  type VacuumResult,
  type WriteOptions,
  type WriteSource,
} from './DeltaTable.js';
export { fileMayMatch, parseFileStats } from './dataSkipping.js';
export { buildFileStats } from './fileStats.js';
export { selectLogSegment } from './LogSegment.js';
export { parseCommitFile, serializeActions } from './parseActions.js';
export { type Literal, type Predicate, predicateToSql, where } from './predicate.js';
export { type RecentAppend, RecentAppends, type RecentAppendsReader } from './RecentAppends.js';
export { deletedFileRetentionHours, intervalHours, logRetentionHours } from './retention.js';
export { type DataFile, Snapshot } from './Snapshot.js';
export { buildScanSql } from './scanSql.js';
export * from './schema.js';
export { replayLog, type TableState } from './TableState.js';
export {
  REFUSED_READER_FEATURES,
  SUPPORTED_READER_FEATURES,
  SUPPORTED_WRITER_FEATURES,
} from './tableFeatures.js';
export { canonicalPropertyKey, checkedTableProperties } from './tableProperties.js';
export { utf8Text } from './vectorFill.js';
