// What the streaming tests feed and run: generated records with every kind of injected fault,
// and the three medallion pipelines side by side on an in-process source.
import {
  createEventGenerator,
  type FaultRates,
  type Lakehouse,
  type MemoryStreamSource,
  noopLogger,
  PipelineRunner,
} from '@rt-lakehouse/kernel-helpers';
import { bronzePipeline, goldPipeline, silverPipeline } from '@rt-lakehouse/pipelines';

/** A few percent of each fault, late events 1-10 minutes old (inside Gold's 15-minute lateness). */
export const TEST_FAULTS: FaultRates = {
  malformedJson: 0.02,
  missingField: 0.02,
  wrongType: 0.02,
  unknownEventType: 0.01,
  duplicate: 0.03,
  late: 0.02,
  lateMinMs: 60_000,
  lateMaxMs: 10 * 60_000,
};

/** A generator of `TEST_FAULTS` records starting `startAgoMs` before now. */
export function faultyGenerator(seed: number, startAgoMs: number, eventsPerSecond: number) {
  return createEventGenerator({ seed, start: Date.now() - startAgoMs, eventsPerSecond, faults: TEST_FAULTS });
}

/**
 * Bronze (from `source`), Silver and Gold runners on one lakehouse, continuous, with the given
 * batch sizes and waits; not started.
 */
export function inProcessMedallion(
  lakehouse: Lakehouse,
  source: MemoryStreamSource,
  options: { bronzeBatch: number; silverBatch: number; maxWaitMs: number; sourcePartitions?: number },
): PipelineRunner<unknown>[] {
  const env = { lakehouse, logger: noopLogger };
  const trigger = (maxBatchRecords?: number) => ({
    trigger: {
      kind: 'continuous' as const,
      ...(maxBatchRecords ? { maxBatchRecords } : {}),
      maxWaitMs: options.maxWaitMs,
    },
  });
  return [
    new PipelineRunner(bronzePipeline({ source: () => source, ...trigger(options.bronzeBatch) }), env),
    new PipelineRunner(silverPipeline(trigger(options.silverBatch)), env),
    new PipelineRunner(
      goldPipeline({
        ...trigger(),
        ...(options.sourcePartitions ? { sourcePartitions: options.sourcePartitions } : {}),
      }),
      env,
    ),
  ] as PipelineRunner<unknown>[];
}
