// The producer service: `npx tsx --conditions=source services/src/producer/main.ts`.
// Sends synthetic commerce events to KAFKA_TOPIC at PRODUCER_RATE until PRODUCER_DURATION_S or
// PRODUCER_MAX_EVENTS is reached or SIGINT/SIGTERM arrives; then waits for every send in flight
// and prints the final stats line ("producer stopped"). A second signal exits at once.
// Exit codes: 0 stopped cleanly, 1 could not start or failed, 2 invalid settings.

import { ConfigError, createKafkaClient, kafkaConfigFromEnv } from '@rt-lakehouse/kernel-helpers';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { createJsonLogger } from '../jsonLogger.js';
import { type StatusServer, startStatusServer } from '../pipelines/statusServer.js';
import { createProducerService } from './createProducerService.js';
import { producerConfigFromEnv } from './producerConfigFromEnv.js';
import { producerServerConfigFromEnv, registerProducerMetrics } from './producerMetrics.js';

const logger = createJsonLogger({ service: 'producer' });

let settings: {
  config: ReturnType<typeof producerConfigFromEnv>;
  kafka: ReturnType<typeof kafkaConfigFromEnv>;
  server: ReturnType<typeof producerServerConfigFromEnv>;
};
try {
  settings = {
    config: producerConfigFromEnv(),
    kafka: kafkaConfigFromEnv(),
    server: producerServerConfigFromEnv(),
  };
} catch (error) {
  logger.error(error instanceof ConfigError ? error.message : 'invalid settings', { error });
  process.exit(2);
}

const client = createKafkaClient(settings.kafka, logger);
const service = createProducerService({ config: settings.config, kafka: client, logger });
let server: StatusServer | undefined;
if (settings.server.PRODUCER_PORT > 0) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'producer_' });
  registerProducerMetrics(registry, () => service.stats());
  server = await startStatusServer({
    port: settings.server.PRODUCER_PORT,
    host: settings.server.PRODUCER_HOST,
    registry,
    status: () => service.stats(),
    healthy: () => !['failed', 'stopped'].includes(service.stats().state),
  });
  logger.info('producer status server listening', { host: settings.server.PRODUCER_HOST, port: server.port });
}

let signals = 0;
const onSignal = (signal: NodeJS.Signals) => {
  signals++;
  if (signals > 1) {
    logger.warn('second signal: exiting without waiting for sends in flight', { signal });
    process.exit(130);
  }
  logger.info('stopping', { signal });
  void service.stop();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

try {
  await service.start();
} catch (error) {
  logger.error('the producer could not start', {
    error,
    brokers: settings.kafka.brokers,
    topic: settings.kafka.topic,
  });
  await client.disconnect().catch(() => {});
  process.exit(1);
}

const final = await service.done;
await client.disconnect().catch((error: unknown) => logger.warn('disconnect failed', { error }));
// Closing waits for open scrape connections; the timer below ends the process regardless.
void server?.close();
process.exitCode = final.state === 'stopped' ? 0 : 1;
// Nothing should be left running; should a client timer linger, do not hang on it.
setTimeout(() => process.exit(), 5_000).unref();
