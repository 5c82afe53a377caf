// The project's Kafka client: the one door to the broker for the rest of the codebase.

import type { KafkaAdmin } from './KafkaAdmin.js';
import type { KafkaConfig } from './KafkaConfig.js';
import type { KafkaConsumer } from './KafkaConsumer.js';
import type { KafkaConsumerOptions } from './KafkaConsumerOptions.js';
import type { KafkaProducer } from './KafkaProducer.js';
import type { KafkaProducerOptions } from './KafkaProducerOptions.js';

/**
 * A connection to one Kafka cluster, created by `createKafkaClient`. The admin connects on
 * first use; each `producer()`/`consumer()` call creates an independent member.
 */
export interface KafkaClient {
  readonly config: KafkaConfig;
  readonly admin: KafkaAdmin;
  producer(options?: KafkaProducerOptions): KafkaProducer;
  consumer(options: KafkaConsumerOptions): KafkaConsumer;
  /** Disconnects the admin and every producer and consumer this client created. */
  disconnect(): Promise<void>;
}
