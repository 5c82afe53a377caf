// The pipeline runner service: runs any number of pipeline definitions side by side, compacts
// their tables off the hot path, and reports status and Prometheus metrics.
import {
  type KafkaClient,
  type Lakehouse,
  type Logger,
  type PipelineDefinition,
  PipelineRunner,
  type PipelineStatus,
} from '@rt-lakehouse/kernel-helpers';
import type { Registry } from 'prom-client';
import { type CompactorProcess, startCompactorProcess } from './compactorProcess.js';

export interface PipelineServiceDeps {
  lakehouse: Lakehouse;
  kafka?: KafkaClient;
  logger: Logger;
  registry: Registry;
  definitions: readonly PipelineDefinition<unknown>[];
  /**
   * Compaction every this many ms (0 turns it off), in a child process at the lowest CPU
   * priority (compactorMain.ts), so that it uses only the cores the pipelines leave idle.
   */
  compactEveryMs?: number;
  /** Expired-log cleanup and VACUUM every this many ms, in the same process (0: off; default 1 h). */
  cleanupEveryMs?: number;
}

export interface PipelineService {
  start(): Promise<void>;
  /** Stops every pipeline after its batch in progress commits, then compaction. */
  stop(): Promise<void>;
  status(): PipelineStatus[];
  runners: readonly PipelineRunner<unknown>[];
  maintenance: CompactorProcess | undefined;
}

export function createPipelineService(deps: PipelineServiceDeps): PipelineService {
  const env = {
    lakehouse: deps.lakehouse,
    logger: deps.logger,
    ...(deps.kafka ? { kafka: deps.kafka } : {}),
  };
  const runners = deps.definitions.map((d) => new PipelineRunner(d, env, { registry: deps.registry }));
  let maintenance: CompactorProcess | undefined;
  return {
    runners,
    get maintenance() {
      return maintenance;
    },
    async start() {
      // Side by side: a Kafka group join must not hold back the Delta-sourced pipelines.
      await Promise.all(
        runners.map(async (r) => {
          await r.start();
          deps.logger.info('pipeline started', { pipeline: r.definition.name });
        }),
      );
      const tables = [...new Set(deps.definitions.flatMap((d) => d.sinks.map((s) => s.table)))];
      if ((deps.compactEveryMs ?? 60_000) > 0) {
        maintenance = startCompactorProcess({
          lakehouseDir: deps.lakehouse.dir,
          tables,
          logger: deps.logger,
          everyMs: deps.compactEveryMs ?? 60_000,
          ...(deps.cleanupEveryMs === undefined ? {} : { cleanupEveryMs: deps.cleanupEveryMs }),
          // Started half-way to the first round, so that its start-up is not the pipelines'.
          startAfterMs: Math.floor((deps.compactEveryMs ?? 60_000) / 2),
        });
      }
    },
    async stop() {
      await maintenance?.stop();
      // Upstream first, so downstream pipelines see everything upstream committed.
      for (const r of runners) await r.stop();
      deps.logger.info('pipelines stopped', { pipelines: runners.map((r) => r.definition.name) });
    },
    status: () => runners.map((r) => r.status()),
  };
}
