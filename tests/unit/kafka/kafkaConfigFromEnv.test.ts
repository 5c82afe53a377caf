import { KafkaConfig, kafkaConfigFromEnv } from '@rt-lakehouse/kernel-helpers/kafka';
import { describe, expect, it } from 'vitest';

describe('kafkaConfigFromEnv', () => {
  it('fills every default from an empty environment', () => {
    expect(kafkaConfigFromEnv({})).toEqual({
      brokers: ['127.0.0.1:9092'],
      clientId: 'rt-lakehouse',
      topic: 'ecommerce_events',
      partitions: 3,
      connectionTimeoutMs: 3_000,
      requestTimeoutMs: 30_000,
      retries: 5,
      logLevel: 'info',
    });
  });

  it('reads every variable, splitting and trimming the broker list', () => {
    expect(
      kafkaConfigFromEnv({
        KAFKA_BROKERS: ' kafka-1:9092, kafka-2:19092 ,,',
        KAFKA_CLIENT_ID: 'pipeline-runner',
        KAFKA_TOPIC: 'orders.v2',
        KAFKA_PARTITIONS: '12',
        KAFKA_CONNECTION_TIMEOUT_MS: '1000',
        KAFKA_REQUEST_TIMEOUT_MS: '5000',
        KAFKA_RETRIES: '0',
        KAFKA_LOG_LEVEL: 'DEBUG',
      }),
    ).toEqual({
      brokers: ['kafka-1:9092', 'kafka-2:19092'],
      clientId: 'pipeline-runner',
      topic: 'orders.v2',
      partitions: 12,
      connectionTimeoutMs: 1_000,
      requestTimeoutMs: 5_000,
      retries: 0,
      logLevel: 'debug',
    });
  });

  it('treats blank variables as unset', () => {
    expect(kafkaConfigFromEnv({ KAFKA_BROKERS: '  ', KAFKA_TOPIC: '', KAFKA_PARTITIONS: ' ' })).toMatchObject(
      {
        brokers: ['127.0.0.1:9092'],
        topic: 'ecommerce_events',
        partitions: 3,
      },
    );
  });

  it('throws one ConfigError naming every invalid variable', () => {
    let thrown: unknown;
    try {
      kafkaConfigFromEnv({
        KAFKA_BROKERS: 'localhost',
        KAFKA_PARTITIONS: 'three',
        KAFKA_TOPIC: 'bad topic!',
        KAFKA_LOG_LEVEL: 'verbose',
      });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ name: 'ConfigError', code: 'CONFIG_INVALID', retriable: false });
    const message = (thrown as Error).message;
    expect(message).toMatch(/^invalid Kafka configuration: /);
    for (const variable of ['KAFKA_BROKERS', 'KAFKA_PARTITIONS', 'KAFKA_TOPIC', 'KAFKA_LOG_LEVEL']) {
      expect(message).toContain(variable);
    }
    expect(message).toContain('expected host:port');
  });

  it.each([
    ['0', 'partitions below 1'],
    ['1.5', 'fractional partitions'],
    ['-3', 'negative partitions'],
  ])('rejects KAFKA_PARTITIONS=%s (%s)', (value) => {
    expect(() => kafkaConfigFromEnv({ KAFKA_PARTITIONS: value })).toThrow(/KAFKA_PARTITIONS/);
  });

  it('accepts a topic name of Kafka legal characters only', () => {
    expect(kafkaConfigFromEnv({ KAFKA_TOPIC: 'a.b_c-D9' }).topic).toBe('a.b_c-D9');
    expect(() => kafkaConfigFromEnv({ KAFKA_TOPIC: 'x'.repeat(250) })).toThrow(/KAFKA_TOPIC/);
  });
});

describe('KafkaConfig', () => {
  it('parses a partial object with defaults, for code that does not read the environment', () => {
    expect(KafkaConfig.parse({ brokers: ['127.0.0.1:19092'], retries: 1 })).toMatchObject({
      brokers: ['127.0.0.1:19092'],
      retries: 1,
      topic: 'ecommerce_events',
      partitions: 3,
    });
  });

  it('requires at least one broker', () => {
    expect(KafkaConfig.safeParse({ brokers: [] }).success).toBe(false);
  });
});
