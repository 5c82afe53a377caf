// Typed Kafka settings, validated once at the edge (see kafkaConfigFromEnv for the environment).

import { z } from 'zod';

const hostPort = /^[^\s:,]+:\d{1,5}$/;
// Kafka's own rule for topic names (kafka.common.Topic): legal characters, at most 249 of them.
const topicName = /^[a-zA-Z0-9._-]{1,249}$/;

/**
 * Kafka connection and topic settings. `KafkaConfig.parse(input)` fills defaults and throws a
 * ZodError on invalid input; `kafkaConfigFromEnv` wraps it for `process.env` and throws
 * ConfigError instead.
 */
export const KafkaConfig = z.object({
  /** Bootstrap brokers as `host:port`. */
  brokers: z.array(z.string().regex(hostPort, 'expected host:port')).min(1),
  clientId: z.string().min(1).default('rt-lakehouse'),
  /** The events topic (key = user_id, value = JSON event). */
  topic: z.string().regex(topicName, 'invalid Kafka topic name').default('ecommerce_events'),
  /** Partitions used when this project creates the events topic. */
  partitions: z.number().int().min(1).max(10_000).default(3),
  connectionTimeoutMs: z.number().int().positive().default(3_000),
  requestTimeoutMs: z.number().int().positive().default(30_000),
  /** Retries of a failed request inside the client before the error reaches the caller. */
  retries: z.number().int().min(0).default(5),
  /** The most verbose client log level forwarded to the injected logger. */
  logLevel: z.enum(['error', 'warn', 'info', 'debug']).default('info'),
});

export type KafkaConfig = z.infer<typeof KafkaConfig>;
