// Reads the Kafka settings from environment variables into a validated KafkaConfig.

import { ConfigError } from '../errors.js';
import { KafkaConfig } from './KafkaConfig.js';

type Env = Record<string, string | undefined>;

const integer = (value: string | undefined): number | undefined =>
  value === undefined || value.trim() === '' ? undefined : Number(value.trim());

const text = (value: string | undefined): string | undefined =>
  value === undefined || value.trim() === '' ? undefined : value.trim();

/**
 * Builds a KafkaConfig from `KAFKA_BROKERS` (comma-separated `host:port`, default
 * `127.0.0.1:9092`), `KAFKA_CLIENT_ID`, `KAFKA_TOPIC`, `KAFKA_PARTITIONS`,
 * `KAFKA_CONNECTION_TIMEOUT_MS`, `KAFKA_REQUEST_TIMEOUT_MS`, `KAFKA_RETRIES` and
 * `KAFKA_LOG_LEVEL`. Unset or blank variables take the defaults of KafkaConfig.
 * @throws ConfigError naming every invalid variable.
 */
export function kafkaConfigFromEnv(env: Env = process.env): KafkaConfig {
  const input = {
    brokers: (text(env['KAFKA_BROKERS']) ?? '127.0.0.1:9092')
      .split(',')
      .map((broker) => broker.trim())
      .filter((broker) => broker !== ''),
    clientId: text(env['KAFKA_CLIENT_ID']),
    topic: text(env['KAFKA_TOPIC']),
    partitions: integer(env['KAFKA_PARTITIONS']),
    connectionTimeoutMs: integer(env['KAFKA_CONNECTION_TIMEOUT_MS']),
    requestTimeoutMs: integer(env['KAFKA_REQUEST_TIMEOUT_MS']),
    retries: integer(env['KAFKA_RETRIES']),
    logLevel: text(env['KAFKA_LOG_LEVEL'])?.toLowerCase(),
  };
  const parsed = KafkaConfig.safeParse(input);
  if (parsed.success) return parsed.data;
  const variables: Record<string, string> = {
    brokers: 'KAFKA_BROKERS',
    clientId: 'KAFKA_CLIENT_ID',
    topic: 'KAFKA_TOPIC',
    partitions: 'KAFKA_PARTITIONS',
    connectionTimeoutMs: 'KAFKA_CONNECTION_TIMEOUT_MS',
    requestTimeoutMs: 'KAFKA_REQUEST_TIMEOUT_MS',
    retries: 'KAFKA_RETRIES',
    logLevel: 'KAFKA_LOG_LEVEL',
  };
  const problems = parsed.error.issues.map((issue) => {
    const field = String(issue.path[0] ?? '');
    return `${variables[field] ?? field}: ${issue.message}`;
  });
  throw new ConfigError(`invalid Kafka configuration: ${problems.join('; ')}`, { cause: parsed.error });
}
