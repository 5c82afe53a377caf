// `lakehouse seed`: synthetic history written through the same Bronze → Silver → Gold code as
// the live stream, from an in-process source (no broker), so notebooks, the assistant and
// tests have data at once. Memory stays bounded: records are generated as the pipelines drain.
import {
  createEventGenerator,
  type FaultRates,
  historyPlan,
  type Lakehouse,
  type Logger,
  MemoryStreamSource,
  noopLogger,
  PipelineRunner,
} from '@rt-lakehouse/kernel-helpers';
import { bronzePipeline } from './bronzePipeline.js';
import { goldPipeline } from './goldPipeline.js';
import { silverPipeline } from './silverPipeline.js';
import { TABLES } from './tableSchemas.js';

export interface SeedOptions {
  lakehouse: Lakehouse;
  events: number;
  days: number;
  seed: number;
  /** Bad data to mix in (default: a little of each kind, for data-quality views). */
  faults?: FaultRates;
  /** The history ends here (default now). */
  end?: number;
  logger?: Logger;
  onProgress?: (progress: { generated: number; total: number; bronze: number; silver: number }) => void;
}

export interface SeedResult {
  events: number;
  bronzeRows: number;
  silverRows: number;
  quarantinedRows: number;
  goldWindows: number;
  elapsedMs: number;
}

const DEFAULT_FAULTS: FaultRates = {
  malformedJson: 0.002,
  missingField: 0.002,
  wrongType: 0.002,
  unknownEventType: 0.001,
  duplicate: 0.003,
};
const CHUNK = 20_000;
const MAX_AHEAD = 200_000;

export async function seedLakehouse(options: SeedOptions): Promise<SeedResult> {
  const started = Date.now();
  const logger = options.logger ?? noopLogger;
  if (!Number.isInteger(options.events) || options.events < 1)
    throw new RangeError('events must be a positive integer');
  if (!(options.days > 0)) throw new RangeError('days must be positive');
  const generator = createEventGenerator(
    historyPlan({
      events: options.events,
      days: options.days,
      seed: options.seed,
      faults: options.faults ?? DEFAULT_FAULTS,
      ...(options.end === undefined ? {} : { end: options.end }),
    }),
  );
  // A topic name of its own: seeded positions never mix with a Kafka topic's offsets.
  const source = new MemoryStreamSource(`seed-${options.seed}-${started}`, 3);
  const env = { lakehouse: options.lakehouse, logger };
  const runners = [
    new PipelineRunner(
      bronzePipeline({
        source: () => source,
        trigger: { kind: 'continuous', maxBatchRecords: 100_000, maxWaitMs: 20 },
      }),
      env,
    ),
    new PipelineRunner(
      silverPipeline({ trigger: { kind: 'continuous', maxBatchRecords: 200_000, maxWaitMs: 50 } }),
      env,
    ),
    new PipelineRunner(
      goldPipeline({
        trigger: { kind: 'continuous', maxBatchRecords: 2_000_000, maxWaitMs: 50 },
        sourcePartitions: source.partitions,
      }),
      env,
    ),
  ];
  for (const r of runners) await r.start();
  const bronze = runners[0]!;
  const silver = runners[1]!;
  const progress = () =>
    options.onProgress?.({
      generated: generator.generated,
      total: options.events,
      bronze: bronze.status().totals.rowsIn,
      silver: silver.status().totals.rowsIn,
    });
  try {
    for (;;) {
      // Keep at most MAX_AHEAD records waiting: memory stays flat for any history size.
      while (generator.generated - bronze.status().totals.rowsIn > MAX_AHEAD)
        await new Promise((r) => setTimeout(r, 20));
      const chunk = generator.take(CHUNK);
      if (chunk.length === 0) break;
      source.push(chunk.map((r) => ({ key: r.key, value: r.value, timestamp: r.ts })));
      progress();
    }
    source.close();
    const until = async (done: () => Promise<boolean>) => {
      while (!(await done())) {
        for (const r of runners)
          if (r.status().state === 'failed')
            throw new Error(`seed: pipeline ${r.definition.name} failed: ${r.status().error}`);
        progress();
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const lake = options.lakehouse;
    await until(async () => bronze.status().totals.rowsIn >= options.events);
    const bronzeTable = await lake.table(TABLES.bronze);
    const silverTable = await lake.table(TABLES.silver);
    const goldTable = await lake.table(TABLES.gold);
    await until(
      async () =>
        (await silverTable.latest()).txn(`silver:${TABLES.bronze}`)?.version ===
        (await bronzeTable.latest()).version,
    );
    await until(
      async () =>
        (await goldTable.latest()).txn(`gold:${TABLES.silver}`)?.version ===
        (await silverTable.latest()).version,
    );
  } finally {
    for (const r of runners) await r.stop();
  }
  const count = async (name: string) =>
    (await (await options.lakehouse.table(name)).latest()).numRecords() ?? 0;
  const result: SeedResult = {
    events: options.events,
    bronzeRows: bronze.status().totals.rowsOut[TABLES.bronze] ?? 0,
    silverRows: silver.status().totals.rowsOut[TABLES.silver] ?? 0,
    quarantinedRows: silver.status().totals.rowsOut[TABLES.quarantine] ?? 0,
    goldWindows: await count(TABLES.gold),
    elapsedMs: Date.now() - started,
  };
  logger.info('seeded the lakehouse', { ...result });
  return result;
}
