// The medallion pipelines a runner runs (PIPELINES), with the batch limit of
// PIPELINE_MAX_BATCH_RECORDS: Bronze from the source its caller gives (Kafka or in-process),
// Silver as it is, and Gold told how many source partitions feed Silver, so that its watermark
// waits for all of them (docs/streaming.md, "Event time"). Shared by the pipeline runner
// service and the embedded stack.
import {
  type BronzePipelineOptions,
  bronzePipeline,
  goldPipeline,
  silverPipeline,
  sourcePartitionsFor,
} from '@rt-lakehouse/pipelines';
import type { PipelineServiceConfig } from './pipelineServiceConfig.js';

/**
 * `sourcePartitions`: the in-process source's partition count (with `bronze.source`); on Kafka,
 * Gold asks the broker for the topic's when it starts (none without a Kafka client).
 */
export function medallionDefinitions(
  config: Pick<PipelineServiceConfig, 'PIPELINES' | 'PIPELINE_MAX_BATCH_RECORDS'>,
  bronze: BronzePipelineOptions,
  sourcePartitions?: number,
) {
  const max = config.PIPELINE_MAX_BATCH_RECORDS;
  const trigger = (maxWaitMs: number) =>
    max ? { trigger: { kind: 'continuous' as const, maxBatchRecords: max, maxWaitMs } } : {};
  const partitions = sourcePartitionsFor(bronze, sourcePartitions);
  return config.PIPELINES.map((name) =>
    name === 'bronze'
      ? bronzePipeline({ ...bronze, ...trigger(100) })
      : name === 'silver'
        ? silverPipeline(trigger(250))
        : goldPipeline({
            ...trigger(250),
            ...(partitions === undefined ? {} : { sourcePartitions: partitions }),
          }),
  );
}
