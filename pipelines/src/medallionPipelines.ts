// The three medallion pipelines with shared settings.
import type { KafkaRecord, PipelineDefinition, StreamSource, Trigger } from '@rt-lakehouse/kernel-helpers';
import { bronzePipeline } from './bronzePipeline.js';
import { type GoldPipelineOptions, goldPipeline, sourcePartitionsFor } from './goldPipeline.js';
import { silverPipeline } from './silverPipeline.js';

export interface MedallionOptions {
  topic?: string;
  groupId?: string;
  /** An in-process source instead of Kafka (embedded mode, seeding). */
  source?: () => StreamSource<KafkaRecord>;
  /** One trigger for all three (e.g. availableNow for backfills). */
  trigger?: Trigger;
  /**
   * How many partitions the source has, for Gold's watermark (docs/streaming.md, "Event time").
   * On Kafka it defaults to the topic's count, asked when Gold starts; give an in-process
   * source's `partitions` here.
   */
  sourcePartitions?: GoldPipelineOptions['sourcePartitions'];
}

/** Bronze, Silver and Gold, in that order. */
export function medallionPipelines(options: MedallionOptions = {}): PipelineDefinition<unknown>[] {
  const trigger = options.trigger ? { trigger: options.trigger } : {};
  const sourcePartitions = sourcePartitionsFor(options, options.sourcePartitions);
  return [
    bronzePipeline({
      ...(options.topic ? { topic: options.topic } : {}),
      ...(options.groupId ? { groupId: options.groupId } : {}),
      ...(options.source ? { source: options.source } : {}),
      ...trigger,
    }),
    silverPipeline(trigger),
    goldPipeline({ ...trigger, ...(sourcePartitions === undefined ? {} : { sourcePartitions }) }),
  ] as PipelineDefinition<unknown>[];
}
