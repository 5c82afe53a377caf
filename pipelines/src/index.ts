// @rt-lakehouse/pipelines: the medallion pipeline definitions (bronze, silver, gold).
export { type BronzePipelineOptions, bronzePipeline } from './bronzePipeline.js';
export { DedupState } from './DedupState.js';
export { EventIdSet } from './EventIdSet.js';
export {
  type GoldPipelineOptions,
  goldKpisSql,
  goldPipeline,
  kafkaTopicPartitions,
  sourcePartitionsFor,
} from './goldPipeline.js';
export { medallionPipelines } from './medallionPipelines.js';
export {
  type ReplayQuarantineOptions,
  type ReplayQuarantineResult,
  replayQuarantine,
} from './replayQuarantine.js';
export { type SeedOptions, type SeedResult, seedLakehouse } from './seedLakehouse.js';
export { type SilverPipelineOptions, silverPipeline } from './silverPipeline.js';
export * from './tableSchemas.js';
