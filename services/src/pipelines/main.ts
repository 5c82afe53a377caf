// The pipeline runner service: `node services/src/pipelines/main.ts` (through tsx) or
// `lakehouse pipelines`. Runs the medallion pipelines named in PIPELINES against Kafka,
// serves /health, /status and /metrics, and stops cleanly on SIGINT/SIGTERM.
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { createKafkaClient, kafkaConfigFromEnv, Lakehouse } from '@rt-lakehouse/kernel-helpers';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { createJsonLogger } from '../jsonLogger.js';
import { createPipelineService } from './createPipelineService.js';
import { medallionDefinitions } from './medallionDefinitions.js';
import { pipelineServiceConfigFromEnv } from './pipelineServiceConfig.js';
import { type StatusServer, startStatusServer } from './statusServer.js';

const logger = createJsonLogger({ service: 'pipelines' });
const config = pipelineServiceConfigFromEnv();
const lakehouse = await Lakehouse.open({ dir: config.LAKEHOUSE_DIR, logger });
const needsKafka = config.PIPELINES.includes('bronze');
if (needsKafka && !config.KAFKA_BROKERS) {
  logger.error('the bronze pipeline needs KAFKA_BROKERS (or run `lakehouse up` for the embedded mode)');
  process.exit(2);
}
// Gold uses Kafka too when there is one: it asks how many partitions the topic has.
const kafka =
  needsKafka || (config.KAFKA_BROKERS && config.PIPELINES.includes('gold'))
    ? createKafkaClient(kafkaConfigFromEnv(), logger)
    : undefined;
const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'pipelines_' });
const definitions = medallionDefinitions(config, {
  topic: config.KAFKA_TOPIC,
  groupId: config.PIPELINE_GROUP_ID,
  sessionTimeoutMs: config.PIPELINE_SESSION_TIMEOUT_MS,
});
const service = createPipelineService({
  lakehouse,
  logger,
  registry,
  definitions: definitions as never,
  compactEveryMs: config.COMPACT_EVERY_MS,
  cleanupEveryMs: config.CLEANUP_EVERY_MS,
  ...(kafka ? { kafka } : {}),
});
let server: StatusServer | undefined;
let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info('stopping', { signal });
  await service.stop();
  await kafka?.disconnect();
  await server?.close();
  lakehouse.close();
  logger.info('stopped', { totals: service.status().map((s) => ({ pipeline: s.name, ...s.totals })) });
  process.exit(0);
}

// Handlers first: a stop request during start-up (a slow group join) must still end cleanly.
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
// Started with an IPC channel (`lakehouse pipelines` starting itself again): stop with the parent.
if (process.send) process.on('disconnect', () => void shutdown('parent gone'));
await service.start();
server =
  config.PIPELINES_PORT > 0
    ? await startStatusServer({
        port: config.PIPELINES_PORT,
        host: config.PIPELINES_HOST,
        registry,
        status: () => ({ pipelines: service.status() }),
        healthy: () => service.status().every((s) => s.state !== 'failed'),
        checks: async () => ({
          lakehouse: await access(lakehouse.dir, constants.R_OK | constants.W_OK).then(
            () => ({ status: 'ok' as const, dir: lakehouse.dir }),
            (error: NodeJS.ErrnoException) => ({
              status: 'down' as const,
              dir: lakehouse.dir,
              reason: error.code,
            }),
          ),
          ...Object.fromEntries(
            service
              .status()
              .map((s) => [
                s.name,
                s.state === 'failed'
                  ? { status: 'down' as const, state: s.state, reason: s.error }
                  : { status: 'ok' as const, state: s.state, lag: s.lag ?? null },
              ]),
          ),
        }),
      })
    : undefined;
logger.info('pipelines running', {
  pipelines: config.PIPELINES,
  pid: process.pid,
  nodeFlags: process.execArgv.filter((a) => a.startsWith('--max-')),
  port: server?.port,
  lakehouse: lakehouse.dir,
});
