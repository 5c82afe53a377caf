// The streaming runtime: sources, pipeline definitions and the runner.
export { type DeltaChange, DeltaStreamSource, type DeltaStreamSourceOptions } from './DeltaStreamSource.js';
export { KafkaStreamSource, type KafkaStreamSourceOptions, partitionKey } from './KafkaStreamSource.js';
export { type MemoryMessage, MemoryStreamSource } from './MemoryStreamSource.js';
export {
  type BatchContext,
  definePipeline,
  type Expectation,
  type PipelineDefinition,
  type PipelineEnv,
  type SinkSpec,
  type SinkWrite,
  type TransformResult,
  type Trigger,
} from './PipelineDefinition.js';
export { type PipelineMetrics, pipelineMetrics } from './PipelineMetrics.js';
export {
  type BatchReport,
  PipelineRunner,
  type PipelineRunnerOptions,
  type PipelineState,
  type PipelineStatus,
} from './PipelineRunner.js';
export { pipelineTxnAppId, pipelineTxnKey, txnPositionKey } from './pipelineTxn.js';
export type { PositionRange, StreamBatch } from './StreamBatch.js';
export type { ResumePositions, StreamSource } from './StreamSource.js';
