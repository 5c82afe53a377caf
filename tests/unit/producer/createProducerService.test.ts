// The producer service's rate control, pipelining, limits, failure counting and clean stop,
// over an in-memory stand-in for the Kafka client (the real broker is in tests/integration).

import {
  type KafkaAdmin,
  type KafkaClient,
  KafkaConfig,
  KafkaError,
  type KafkaMessage,
  type KafkaProducer,
  parseRawEvent,
} from '@rt-lakehouse/kernel-helpers';
import { describe, expect, it } from 'vitest';
import { createProducerService } from '../../../services/src/producer/createProducerService.js';
import { producerConfigFromEnv } from '../../../services/src/producer/producerConfigFromEnv.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A Kafka client whose producer keeps what it is sent, acknowledging after `ackMs`. */
function memoryKafka(options: { ackMs?: number; failFirst?: number } = {}) {
  const batches: KafkaMessage[][] = [];
  let pending = 0;
  let failures = options.failFirst ?? 0;
  const state = { maxPending: 0, disconnected: false, topics: [] as string[] };
  const producer: KafkaProducer = {
    async send(_topic, messages) {
      pending++;
      state.maxPending = Math.max(state.maxPending, pending);
      try {
        await sleep(options.ackMs ?? 1);
        if (failures > 0) {
          failures--;
          throw new KafkaError('KAFKA_NOT_LEADER', 'leader moved', { retriable: true });
        }
        batches.push([...messages]);
      } finally {
        pending--;
      }
    },
    async flush() {},
    async disconnect() {
      state.disconnected = true;
    },
  };
  const admin = {
    async ensureTopic(topic: string, partitions: number) {
      state.topics.push(topic);
      return { created: true, partitions };
    },
  } as unknown as KafkaAdmin;
  const kafka: Pick<KafkaClient, 'config' | 'admin' | 'producer'> = {
    config: KafkaConfig.parse({ brokers: ['memory:9092'], topic: 'events_test' }),
    admin,
    producer: () => producer,
  };
  return { kafka, batches, state, messages: () => batches.flat() };
}

const configWith = (env: Record<string, string>) =>
  producerConfigFromEnv({ PRODUCER_SEED: '3', PRODUCER_STATS_INTERVAL_S: '0', ...env });

describe('createProducerService', () => {
  it('holds a rate, in small batches that carry fresh event times', async () => {
    const { kafka, batches, messages, state } = memoryKafka();
    const service = createProducerService({
      config: configWith({ PRODUCER_RATE: '500', PRODUCER_MAX_EVENTS: '300', PRODUCER_LINGER_MS: '20' }),
      kafka,
    });
    const before = Date.now();
    await service.start();
    const stats = await service.done;
    expect(state.topics).toEqual(['events_test']);
    expect(stats).toMatchObject({ state: 'stopped', generated: 300, sent: 300, failed: 0, inFlight: 0 });
    // 300 events at 500/s: at least about 0.6 s, sent as they fall due rather than all at once.
    expect(Date.now() - before).toBeGreaterThanOrEqual(550);
    expect(batches.length).toBeGreaterThan(5);
    expect(Math.max(...batches.map((batch) => batch.length))).toBeLessThan(200);
    expect(state.disconnected).toBe(true);
    let previous = 0;
    for (const message of messages()) {
      const parsed = parseRawEvent(message.value as string);
      if (!parsed.success) throw new Error(parsed.reason);
      const sentAt = message.timestamp as number;
      expect(parsed.event.ts.getTime()).toBeGreaterThanOrEqual(before - 1_000);
      expect(parsed.event.ts.getTime()).toBeLessThanOrEqual(sentAt);
      expect(parsed.event.ts.getTime()).toBeGreaterThanOrEqual(previous);
      previous = parsed.event.ts.getTime();
      expect(message.key).toBe(parsed.event.user_id);
    }
  });

  it('at max rate fills batches and keeps up to maxInFlight sends pending', async () => {
    const { kafka, batches, state } = memoryKafka({ ackMs: 15 });
    const service = createProducerService({
      config: configWith({
        PRODUCER_RATE: 'max',
        PRODUCER_MAX_EVENTS: '2000',
        PRODUCER_BATCH_SIZE: '100',
        PRODUCER_MAX_IN_FLIGHT: '3',
      }),
      kafka,
    });
    await service.start();
    const stats = await service.done;
    expect(stats.sent).toBe(2_000);
    expect(batches.every((batch) => batch.length === 100)).toBe(true);
    expect(state.maxPending).toBe(3);
  });

  it('stops on request after the sends in flight are acknowledged', async () => {
    const { kafka, messages } = memoryKafka({ ackMs: 50 });
    const service = createProducerService({
      config: configWith({ PRODUCER_RATE: '2000', PRODUCER_BATCH_SIZE: '50', PRODUCER_MAX_IN_FLIGHT: '4' }),
      kafka,
    });
    await service.start();
    await sleep(300);
    expect(service.stats().state).toBe('running');
    const stopping = service.stop();
    expect(service.stats().state).toBe('stopping');
    const stats = await stopping;
    expect(stats.state).toBe('stopped');
    expect(stats.inFlight).toBe(0);
    expect(stats.sent).toBe(messages().length);
    expect(stats.generated).toBe(stats.sent);
    expect(stats.sent).toBeGreaterThan(100);
    expect(await service.stop()).toBe(stats);
    expect(await service.done).toBe(stats);
    // Nothing more goes out after the stop.
    await sleep(100);
    expect(messages().length).toBe(stats.sent);
  });

  it('stops by itself after PRODUCER_DURATION_S', async () => {
    const { kafka } = memoryKafka();
    const service = createProducerService({
      config: configWith({ PRODUCER_RATE: '200', PRODUCER_DURATION_S: '0.4' }),
      kafka,
    });
    await service.start();
    const stats = await service.done;
    expect(stats.state).toBe('stopped');
    expect(stats.sent).toBeGreaterThan(40);
    expect(stats.sent).toBeLessThanOrEqual(81);
  });

  it('counts failed sends, pauses, and goes on', async () => {
    const { kafka, messages } = memoryKafka({ failFirst: 2 });
    const errors: string[] = [];
    const logger = { debug() {}, info() {}, warn() {}, error: (msg: string) => errors.push(msg) };
    const service = createProducerService({
      config: configWith({ PRODUCER_RATE: 'max', PRODUCER_MAX_EVENTS: '500', PRODUCER_BATCH_SIZE: '50' }),
      kafka,
      logger,
    });
    await service.start();
    const stats = await service.done;
    expect(stats).toMatchObject({
      generated: 500,
      failed: 100,
      sent: 400,
      errors: 2,
      lastError: 'leader moved',
    });
    expect(messages()).toHaveLength(400);
    expect(errors).toEqual(['send failed', 'send failed']);
  });

  it('counts the faults of acknowledged records', async () => {
    const { kafka } = memoryKafka();
    const service = createProducerService({
      config: configWith({
        PRODUCER_RATE: 'max',
        PRODUCER_MAX_EVENTS: '1000',
        PRODUCER_FAULT_MALFORMED: '0.05',
        PRODUCER_FAULT_LATE: '0.02',
      }),
      kafka,
    });
    await service.start();
    const stats = await service.done;
    expect(stats.faults).toEqual({
      malformed_json: 50,
      missing_field: 0,
      wrong_type: 0,
      unknown_event_type: 0,
      duplicate: 0,
      late: 20,
    });
  });

  it('moves through its states: stopped before it started, no restart', async () => {
    const { kafka } = memoryKafka();
    const service = createProducerService({ config: configWith({}), kafka });
    expect(service.stats()).toMatchObject({ state: 'idle', sent: 0, elapsedS: 0, ratePerS: 0 });
    expect((await service.stop()).state).toBe('stopped');
    await expect(service.start()).rejects.toThrowErrorMatchingInlineSnapshot(
      `[Error: the producer cannot start from state stopped]`,
    );
  });

  it('fails when the topic cannot be made ready', async () => {
    const { kafka } = memoryKafka();
    kafka.admin.ensureTopic = async () => {
      throw new KafkaError('KAFKA_CONNECTION', 'connection refused', { retriable: true });
    };
    const service = createProducerService({ config: configWith({}), kafka });
    await expect(service.start()).rejects.toThrow('connection refused');
    expect(await service.done).toMatchObject({ state: 'failed', lastError: 'connection refused' });
  });
});
