// The Kafka adapter: the project's KafkaClient port implemented with two pure-JavaScript
// clients. Producers use @platformatic/kafka 1.x (maintained, and 2-3x cheaper per message
// than kafkajs: CPU the pipelines get back when producers share the machine); the admin and
// the consumer group use kafkajs 2.2.4.
//
// Why kafkajs still, although it is unmaintained since 2023: the consumer group wrapper
// (rebalance hold, seek to the offsets a table stores) is built on it, its protocol layer
// negotiates each request's version with ApiVersions, and every version it picks against
// Kafka 4.x is still served after KIP-896 removed the old ones. That is proved, not assumed,
// by tests/integration/kafka/kafkaSmoke.test.ts against the broker of scripts/kafka-local.sh
// (admin, gzip produce, group consume, seek, rebalance across two members);
// docs/kafka-client.md has the details and throughput. Everything library-specific stays in
// ./kafkajs, ./platformatic and ./kafkaErrorFrom.ts.

import kafkajs from 'kafkajs';
import type { Logger } from '../logger.js';
import type { KafkaClient } from './KafkaClient.js';
import type { KafkaConfig } from './KafkaConfig.js';
import { createKafkaJsAdmin } from './kafkajs/createKafkaJsAdmin.js';
import { createKafkaJsConsumer } from './kafkajs/createKafkaJsConsumer.js';
import { logCreatorFor } from './kafkajs/logCreatorFor.js';
import { createPlatformaticProducer } from './platformatic/createPlatformaticProducer.js';

const { Kafka, logLevel } = kafkajs;

const levels = {
  error: logLevel.ERROR,
  warn: logLevel.WARN,
  info: logLevel.INFO,
  debug: logLevel.DEBUG,
} as const;

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Creates a client for the cluster in `config` (parse it with `KafkaConfig.parse` or
 * `kafkaConfigFromEnv`). Nothing connects until first use. The client logs only through
 * `logger`, at `config.logLevel` and above; without a logger it logs nothing.
 */
export function createKafkaClient(config: KafkaConfig, logger?: Logger): KafkaClient {
  const log = logger ?? silent;
  const kafka = new Kafka({
    clientId: config.clientId,
    brokers: config.brokers,
    connectionTimeout: config.connectionTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
    retry: { retries: config.retries },
    logLevel: logger === undefined ? logLevel.NOTHING : levels[config.logLevel],
    logCreator: logCreatorFor(log),
  });
  const admin = createKafkaJsAdmin(kafka);
  const members = new Set<{ disconnect(): Promise<void> }>();

  return {
    config,
    admin,
    producer(options) {
      const producer = createPlatformaticProducer(config, options);
      members.add(producer);
      return producer;
    },
    consumer(options) {
      const consumer = createKafkaJsConsumer(kafka, options, log, config.retries);
      members.add(consumer);
      return consumer;
    },
    async disconnect() {
      const closing = [...members].map((member) => member.disconnect());
      members.clear();
      const results = await Promise.allSettled([...closing, admin.disconnect()]);
      const failed = results.find((result) => result.status === 'rejected');
      if (failed !== undefined) throw failed.reason;
    },
  };
}
