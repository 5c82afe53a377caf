// The embedded mode's data plane in one process (what `lakehouse up` starts when there is no
// broker): the producer service sends into an in-process stream that the Bronze pipeline reads,
// then Silver and Gold as usual — same tables, same status server (/health, /status, /metrics on
// PIPELINES_PORT) as the Kafka-mode pipeline runner.
//
// Stopping (SIGINT/SIGTERM): the producer stops and settles its sends, Bronze drains what is
// still in memory (the stream lives in this process only), then every pipeline commits its batch
// in progress and stops. The next start continues from the tables: a stream of its own name per
// run, so Bronze's recorded positions of an earlier run never make it skip records.
import { ConfigError, Lakehouse, MemoryStreamSource } from '@rt-lakehouse/kernel-helpers';
import { TABLES } from '@rt-lakehouse/pipelines';
import { Registry } from 'prom-client';
import { createJsonLogger } from '../jsonLogger.js';
import { createPipelineService } from '../pipelines/createPipelineService.js';
import { medallionDefinitions } from '../pipelines/medallionDefinitions.js';
import { pipelineServiceConfigFromEnv } from '../pipelines/pipelineServiceConfig.js';
import { type StatusServer, startStatusServer } from '../pipelines/statusServer.js';
import { createProducerService } from '../producer/createProducerService.js';
import { producerConfigFromEnv } from '../producer/producerConfigFromEnv.js';
import { memoryKafkaClient } from './memoryKafkaClient.js';

/** How long a stop waits for Bronze to take what the producer already sent. */
const DRAIN_TIMEOUT_MS = 20_000;

const logger = createJsonLogger({ service: 'embedded' });
let settings: {
  pipelines: ReturnType<typeof pipelineServiceConfigFromEnv>;
  producer: ReturnType<typeof producerConfigFromEnv>;
};
try {
  settings = { pipelines: pipelineServiceConfigFromEnv(), producer: producerConfigFromEnv() };
} catch (error) {
  logger.error(error instanceof ConfigError ? error.message : 'invalid settings', { error });
  process.exit(2);
}
const config = settings.pipelines;
const lakehouse = await Lakehouse.open({ dir: config.LAKEHOUSE_DIR, logger });
const source = new MemoryStreamSource(`embedded-${Date.now().toString(36)}`, 3);
const producer = createProducerService({
  config: settings.producer,
  kafka: memoryKafkaClient(source),
  logger,
});
const registry = new Registry();
const definitions = medallionDefinitions(config, { source: () => source }, source.partitions);
const service = createPipelineService({
  lakehouse,
  logger,
  registry,
  definitions: definitions as never,
  compactEveryMs: config.COMPACT_EVERY_MS,
  cleanupEveryMs: config.CLEANUP_EVERY_MS,
});

/** Silver has read Bronze's last version and Gold Silver's (the txn watermarks of their commits). */
async function caughtUp(): Promise<boolean> {
  if (service.status().some((s) => s.state === 'failed')) return true;
  const [bronze, silver, gold] = await Promise.all(
    [TABLES.bronze, TABLES.silver, TABLES.gold].map(async (name) => {
      const table = await lakehouse.table(name);
      return (await table.exists()) ? table.latest() : undefined;
    }),
  );
  if (!bronze) return true;
  const silverRead = silver?.txn(`silver:${TABLES.bronze}`)?.version;
  const goldRead = gold?.txn(`gold:${TABLES.silver}`)?.version;
  return silverRead === bronze.version && (!silver || goldRead === silver.version);
}

let server: StatusServer | undefined;
let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info('stopping', { signal });
  const produced = await producer.stop();
  const bronze = service.runners.find((r) => r.definition.name === 'bronze');
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  while (
    bronze &&
    bronze.status().state !== 'failed' &&
    ((await source.lag()) ?? 0) > 0 &&
    Date.now() < deadline
  )
    await new Promise((r) => setTimeout(r, 50));
  const left = (await source.lag()) ?? 0;
  if (left > 0)
    logger.warn('records the producer sent were not taken by Bronze before the stop', { records: left });
  // Silver and Gold take what Bronze committed, so a stop leaves the tables consistent.
  while (Date.now() < deadline && !(await caughtUp())) await new Promise((r) => setTimeout(r, 100));
  await service.stop();
  await server?.close();
  lakehouse.close();
  logger.info('stopped', {
    produced: produced.sent,
    notIngested: left,
    totals: service.status().map((s) => ({ pipeline: s.name, ...s.totals })),
  });
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

await service.start();
server =
  config.PIPELINES_PORT > 0
    ? await startStatusServer({
        port: config.PIPELINES_PORT,
        registry,
        status: () => ({ mode: 'embedded', pipelines: service.status(), producer: producer.stats() }),
        healthy: () => service.status().every((s) => s.state !== 'failed'),
      })
    : undefined;
if (!stopping) await producer.start();
logger.info('embedded stack running', {
  pipelines: config.PIPELINES,
  stream: source.topic,
  port: server?.port,
  lakehouse: lakehouse.dir,
});
