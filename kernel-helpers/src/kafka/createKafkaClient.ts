// The Kafka adapter: the project's KafkaClient port implemented with kafkajs 2.2.4.
//
// Why kafkajs although it is unmaintained since 2023: it is pure JavaScript (no native build),
// its protocol layer negotiates each request's version with ApiVersions, and every version it
// picks against Kafka 4.x is still served after KIP-896 removed the old ones. That is proved,
// not assumed, by tests/integration/kafka/kafkaSmoke.test.ts against the broker of
// scripts/kafka-local.sh (admin, gzip produce, group consume, seek, rebalance across two
// members); docs/kafka-client.md has the details and throughput. Everything kafkajs-specific
// stays in ./kafkajs and ./kafkaErrorFrom.ts, so a maintained client (@platformatic/kafka)
// can replace it behind the same interfaces if a broker upgrade ever breaks it.

import kafkajs from 'kafkajs';
import type { Logger } from '../logger.js';
import type { KafkaClient } from './KafkaClient.js';
import type { KafkaConfig } from './KafkaConfig.js';
import { createKafkaJsAdmin } from './kafkajs/createKafkaJsAdmin.js';
import { createKafkaJsConsumer } from './kafkajs/createKafkaJsConsumer.js';
import { createKafkaJsProducer } from './kafkajs/createKafkaJsProducer.js';
import { logCreatorFor } from './kafkajs/logCreatorFor.js';

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
      const producer = createKafkaJsProducer(kafka, options);
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
