// The three medallion pipelines with shared settings.
import type { KafkaRecord, PipelineDefinition, StreamSource, Trigger } from '@rt-lakehouse/kernel-helpers';
import { bronzePipeline } from './bronzePipeline.js';
import { goldPipeline } from './goldPipeline.js';
import { silverPipeline } from './silverPipeline.js';

export interface MedallionOptions {
  topic?: string;
  groupId?: string;
  /** An in-process source instead of Kafka (embedded mode, seeding). */
  source?: () => StreamSource<KafkaRecord>;
  /** One trigger for all three (e.g. availableNow for backfills). */
  trigger?: Trigger;
}

/** Bronze, Silver and Gold, in that order. */
export function medallionPipelines(options: MedallionOptions = {}): PipelineDefinition<unknown>[] {
  const trigger = options.trigger ? { trigger: options.trigger } : {};
  return [
    bronzePipeline({
      ...(options.topic ? { topic: options.topic } : {}),
      ...(options.groupId ? { groupId: options.groupId } : {}),
      ...(options.source ? { source: options.source } : {}),
      ...trigger,
    }),
    silverPipeline(trigger),
    goldPipeline(trigger),
  ] as PipelineDefinition<unknown>[];
}
