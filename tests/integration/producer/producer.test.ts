// The producer service against a real broker (KAFKA_BROKERS, started by `npm test`): what it
// reports as sent is exactly what a consumer reads back, fault by fault, and a producer process
// stopped with SIGTERM flushes everything it reported.

import net from 'node:net';
import path from 'node:path';
import {
  createEventGenerator,
  createKafkaClient,
  FAULT_KINDS,
  type FaultKind,
  type KafkaClient,
  type KafkaRecord,
  kafkaConfigFromEnv,
  parseRawEvent,
} from '@rt-lakehouse/kernel-helpers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProducerService } from '../../../services/src/producer/createProducerService.js';
import {
  generatorOptionsOf,
  producerConfigFromEnv,
} from '../../../services/src/producer/producerConfigFromEnv.js';
import { spawnTs, waitForExit } from '../../support/spawnTs.js';

const brokers = process.env['KAFKA_BROKERS'];
const runId = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
const clients: KafkaClient[] = [];

function clientFor(topic: string): KafkaClient {
  const client = createKafkaClient(
    kafkaConfigFromEnv({ ...process.env, KAFKA_TOPIC: topic, KAFKA_LOG_LEVEL: 'error' }),
  );
  clients.push(client);
  return client;
}

function reachable(broker: string, timeoutMs = 3_000): Promise<boolean> {
  const [host = '', port = ''] = broker.split(':');
  return new Promise((resolve) => {
    const socket = net.connect({ host, port: Number(port) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Every record of `topic`, read by a fresh consumer group until `expected` arrived. */
async function consumeAll(client: KafkaClient, topic: string, expected: number): Promise<KafkaRecord[]> {
  const records: KafkaRecord[] = [];
  const consumer = client.consumer({ groupId: `producer-test-${runId}-${topic}`, maxWaitMs: 200 });
  let arrived!: () => void;
  const all = new Promise<void>((resolve) => {
    arrived = resolve;
  });
  await consumer.subscribe([topic]);
  await consumer.run({
    eachBatch: async (batch) => {
      records.push(...batch.records);
      if (records.length >= expected) arrived();
    },
  });
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(
      () => reject(new Error(`read ${records.length} of ${expected} records from ${topic}`)),
      60_000,
    ).unref(),
  );
  await Promise.race([all, timeout]);
  await consumer.disconnect();
  return records;
}

async function recordsOnTopic(client: KafkaClient, topic: string): Promise<number> {
  const offsets = await client.admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, partition) => sum + Number(partition.high - partition.low), 0);
}

/** The fault kind a consumer can tell from a record alone (duplicates: repeated event ids). */
function classify(records: readonly KafkaRecord[]): Record<FaultKind, number> {
  const counts = Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>;
  const byCode: Record<string, FaultKind> = {
    malformed_json: 'malformed_json',
    missing_field: 'missing_field',
    invalid_type: 'wrong_type',
    unknown_event_type: 'unknown_event_type',
  };
  const seen = new Set<string>();
  for (const record of records) {
    const parsed = parseRawEvent(record.value);
    if (!parsed.success) {
      counts[byCode[parsed.code]!]++;
    } else if (seen.has(parsed.event.event_id)) {
      counts.duplicate++;
    } else {
      seen.add(parsed.event.event_id);
      // Late events carry an event time minutes to hours before the moment they were sent.
      if (parsed.event.ts.getTime() < record.timestamp - 60_000) counts.late++;
    }
  }
  return counts;
}

beforeAll(async () => {
  if (!brokers) {
    throw new Error('KAFKA_BROKERS is not set: run the suite with `npm test`, which starts a local broker');
  }
  const broker = brokers.split(',')[0]!.trim();
  if (!(await reachable(broker))) {
    throw new Error(`no Kafka broker answers at ${broker}: start one with scripts/kafka-local.sh start`);
  }
});

afterAll(async () => {
  await Promise.allSettled(clients.map((client) => client.disconnect()));
});

describe('producer service', () => {
  it('sends N events at the asked rate, with exactly the faults it reports', async () => {
    const topic = `producer-${runId}`;
    const client = clientFor(topic);
    const config = producerConfigFromEnv({
      PRODUCER_RATE: '4000',
      PRODUCER_MAX_EVENTS: '6000',
      PRODUCER_SEED: '99',
      PRODUCER_BATCH_SIZE: '500',
      PRODUCER_STATS_INTERVAL_S: '0',
      PRODUCER_FAULT_MALFORMED: '0.01',
      PRODUCER_FAULT_MISSING: '0.015',
      PRODUCER_FAULT_WRONG_TYPE: '0.01',
      PRODUCER_FAULT_UNKNOWN_TYPE: '0.005',
      PRODUCER_FAULT_DUPLICATE: '0.02',
      PRODUCER_FAULT_LATE: '0.01',
    });
    const lines: { msg: string; fields?: Record<string, unknown> }[] = [];
    const logger = {
      debug() {},
      info: (msg: string, fields?: Record<string, unknown>) =>
        lines.push({ msg, ...(fields ? { fields } : {}) }),
      warn: (msg: string, fields?: Record<string, unknown>) =>
        lines.push({ msg, ...(fields ? { fields } : {}) }),
      error: (msg: string, fields?: Record<string, unknown>) =>
        lines.push({ msg, ...(fields ? { fields } : {}) }),
    };
    const service = createProducerService({ config, kafka: client, logger });
    await service.start();
    const stats = await service.done;

    expect(stats).toMatchObject({
      state: 'stopped',
      generated: 6_000,
      sent: 6_000,
      failed: 0,
      inFlight: 0,
      errors: 0,
    });
    // The rate is a ceiling: 6,000 events at 4,000/s take at least about 1.5 s.
    expect(stats.elapsedS).toBeGreaterThan(1.3);
    expect(lines.at(-1)).toMatchObject({ msg: 'producer stopped', fields: { sent: 6_000 } });

    // What the seed decides: the same faults, the same event ids.
    const offline = createEventGenerator(generatorOptionsOf(config)).take(6_000);
    const expectedFaults = Object.fromEntries(
      FAULT_KINDS.map((kind) => [kind, offline.filter((record) => record.fault === kind).length]),
    );
    expect(stats.faults).toEqual(expectedFaults);
    expect(expectedFaults).toEqual({
      malformed_json: 60,
      missing_field: 90,
      wrong_type: 60,
      unknown_event_type: 30,
      duplicate: 120,
      late: 60,
    });

    const records = await consumeAll(client, topic, 6_000);
    expect(records).toHaveLength(6_000);
    expect(await recordsOnTopic(client, topic)).toBe(6_000);
    expect(classify(records)).toEqual(expectedFaults);

    // Keys are the users, the same multiset as the seed gives; valid records carry their user.
    const keys = records.map((record) => record.key!.toString()).sort();
    expect(keys).toEqual(offline.map((record) => record.key).sort());
    for (const record of records) {
      const parsed = parseRawEvent(record.value);
      if (parsed.success) expect(record.key!.toString()).toBe(parsed.event.user_id);
    }
    const idsOf = (values: (string | undefined)[]) => new Set(values.filter((id) => id !== undefined));
    const eventIdOf = (value: string | Buffer | null) => {
      const parsed = parseRawEvent(value);
      return parsed.success ? parsed.event.event_id : undefined;
    };
    expect(idsOf(records.map((record) => eventIdOf(record.value)))).toEqual(
      idsOf(offline.map((record) => eventIdOf(record.value))),
    );
    // Event times are the wall clock of the run (late ones aside).
    const started = Date.parse(stats.startedAt!);
    for (const record of records) {
      const parsed = parseRawEvent(record.value);
      if (parsed.success && classify([record]).late === 0) {
        expect(parsed.event.ts.getTime()).toBeGreaterThanOrEqual(started - 1_000);
        expect(parsed.event.ts.getTime()).toBeLessThanOrEqual(record.timestamp);
      }
    }
  });

  it('flushes everything it reported as sent when a producer process gets SIGTERM', async () => {
    const topic = `producer-sigterm-${runId}`;
    const client = clientFor(topic);
    const child = spawnTs(path.resolve('services/src/producer/main.ts'), [], {
      env: {
        ...process.env,
        KAFKA_TOPIC: topic,
        KAFKA_LOG_LEVEL: 'error',
        PRODUCER_RATE: '20000',
        PRODUCER_SEED: '5',
        PRODUCER_MAX_IN_FLIGHT: '8',
        PRODUCER_STATS_INTERVAL_S: '0.5',
        PRODUCER_FAULT_DUPLICATE: '0.01',
      },
    });
    const exited = waitForExit(child);
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    // Let it get going: a stats line reporting acknowledged sends.
    const deadline = Date.now() + 60_000;
    while (!/"msg":"producer stats".*"sent":[1-9]/.test(output)) {
      if (Date.now() > deadline || child.exitCode !== null)
        throw new Error(`producer did not start:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await new Promise((resolve) => setTimeout(resolve, 700));
    child.kill('SIGTERM');
    const { code, stdout, stderr } = await exited;
    expect(code, stderr).toBe(0);

    const lines = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => line['msg'])).toContain('stopping');
    const final = lines.at(-1)!;
    expect(final).toMatchObject({
      msg: 'producer stopped',
      state: 'stopped',
      failed: 0,
      inFlight: 0,
      errors: 0,
    });
    const sent = final['sent'] as number;
    expect(sent).toBeGreaterThan(1_000);
    expect(final['generated']).toBe(sent);

    expect(await recordsOnTopic(client, topic)).toBe(sent);
    const records = await consumeAll(client, topic, sent);
    expect(records).toHaveLength(sent);
    expect(classify(records).duplicate).toBe((final['faults'] as Record<string, number>)['duplicate']);
  });

  it('fails to start with a clear error when the broker is unreachable', async () => {
    const client = createKafkaClient(
      kafkaConfigFromEnv({
        KAFKA_BROKERS: '127.0.0.1:1',
        KAFKA_RETRIES: '0',
        KAFKA_CONNECTION_TIMEOUT_MS: '500',
      }),
    );
    clients.push(client);
    const service = createProducerService({
      config: producerConfigFromEnv({ PRODUCER_SEED: '1', PRODUCER_STATS_INTERVAL_S: '0' }),
      kafka: client,
    });
    await expect(service.start()).rejects.toThrow();
    expect((await service.done).state).toBe('failed');
    expect(service.stats().lastError).toBeTruthy();
  });
});
