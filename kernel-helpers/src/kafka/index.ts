// The Kafka module: one client behind small interfaces (see createKafkaClient).

export { createKafkaClient } from './createKafkaClient.js';
export type { KafkaAdmin } from './KafkaAdmin.js';
export type { KafkaBatch } from './KafkaBatch.js';
export type { KafkaClient } from './KafkaClient.js';
export { KafkaConfig } from './KafkaConfig.js';
export type { KafkaConsumer } from './KafkaConsumer.js';
export type { KafkaConsumerOptions } from './KafkaConsumerOptions.js';
export type { KafkaMessage } from './KafkaMessage.js';
export type { KafkaProducer } from './KafkaProducer.js';
export type { KafkaProducerOptions } from './KafkaProducerOptions.js';
export type { KafkaRecord } from './KafkaRecord.js';
export { kafkaConfigFromEnv } from './kafkaConfigFromEnv.js';
export { kafkaErrorFrom } from './kafkaErrorFrom.js';
export type { PartitionOffsets } from './PartitionOffsets.js';
export type { TopicPartition } from './TopicPartition.js';
