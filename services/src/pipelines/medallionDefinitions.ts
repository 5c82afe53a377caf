// The medallion pipelines a runner runs (PIPELINES), with the batch limit of
// PIPELINE_MAX_BATCH_RECORDS: Bronze from the source its caller gives (Kafka or in-process),
// Silver and Gold as they are. Shared by the pipeline runner service and the embedded stack.
import {
  type BronzePipelineOptions,
  bronzePipeline,
  goldPipeline,
  silverPipeline,
} from '@rt-lakehouse/pipelines';
import type { PipelineServiceConfig } from './pipelineServiceConfig.js';

export function medallionDefinitions(
  config: Pick<PipelineServiceConfig, 'PIPELINES' | 'PIPELINE_MAX_BATCH_RECORDS'>,
  bronze: BronzePipelineOptions,
) {
  const max = config.PIPELINE_MAX_BATCH_RECORDS;
  const trigger = (maxWaitMs: number) =>
    max ? { trigger: { kind: 'continuous' as const, maxBatchRecords: max, maxWaitMs } } : {};
  return config.PIPELINES.map((name) =>
    name === 'bronze'
      ? bronzePipeline({ ...bronze, ...trigger(100) })
      : name === 'silver'
        ? silverPipeline(trigger(250))
        : goldPipeline(trigger(250)),
  );
}
