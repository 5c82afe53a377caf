// The project's Kafka module against a real broker (scripts/kafka-local.sh start, or
// KAFKA_BROKERS): admin, produce, group consume, seek, offsets, a rebalance across two members.

import { randomUUID } from 'node:crypto';
import net from 'node:net';
import {
  createKafkaClient,
  type KafkaClient,
  type KafkaConsumer,
  type KafkaMessage,
  type KafkaRecord,
  kafkaConfigFromEnv,
  type TopicPartition,
} from '@rt-lakehouse/kernel-helpers/kafka';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const config = kafkaConfigFromEnv();
const runId = `${Date.now().toString(36)}-${randomUUID().slice(0, 8)}`;
const topic = `smoke-${runId}`;
const logs: { level: string; msg: string }[] = [];
const logger = {
  debug: (msg: string) => logs.push({ level: 'debug', msg }),
  info: (msg: string) => logs.push({ level: 'info', msg }),
  warn: (msg: string) => logs.push({ level: 'warn', msg }),
  error: (msg: string) => logs.push({ level: 'error', msg }),
};

let client: KafkaClient;
const consumers: KafkaConsumer[] = [];

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

async function waitFor(what: string, condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Keyed like the events topic: key = user id, value = JSON; `seq` numbers each user's messages.
const users = Array.from({ length: 40 }, (_, i) => `user-${String(i).padStart(2, '0')}`);
const sent = new Map<string, { key: string; value: string; timestamp: number }>();
const perUser = new Map<string, number>();
let produced = 0;

function nextMessages(count: number, keys: readonly string[] = users): KafkaMessage[] {
  return Array.from({ length: count }, () => {
    const n = produced++;
    const key = keys[n % keys.length]!;
    const seq = perUser.get(key) ?? 0;
    perUser.set(key, seq + 1);
    const timestamp = Date.UTC(2025, 0, 1) + n * 1_000;
    const value = JSON.stringify({ n, user_id: key, seq, event_type: 'page_view', pad: 'x'.repeat(n % 50) });
    sent.set(`${n}`, { key, value, timestamp });
    return { key, value, timestamp };
  });
}

const eventOf = (record: KafkaRecord) =>
  JSON.parse(record.value!.toString('utf8')) as { n: number; user_id: string; seq: number };

function consumerFor(groupId: string, extra: Partial<Parameters<KafkaClient['consumer']>[0]> = {}) {
  const consumer = client.consumer({ groupId, sessionTimeoutMs: 10_000, heartbeatIntervalMs: 500, ...extra });
  consumers.push(consumer);
  return consumer;
}

// No broker is a failure of every test (with this message), not a skip: CI starts the broker.
let brokerProblem: string | undefined;

beforeAll(async () => {
  const states = await Promise.all(config.brokers.map(async (broker) => [broker, await reachable(broker)]));
  if (states.every(([, up]) => !up)) {
    brokerProblem =
      `No Kafka broker reachable at ${config.brokers.join(', ')} (KAFKA_BROKERS). ` +
      'Start one with `scripts/kafka-local.sh start` (CI does this before the integration tests).';
    return;
  }
  client = createKafkaClient(config, logger);
});

beforeEach(() => {
  if (brokerProblem !== undefined) throw new Error(brokerProblem);
});

afterAll(async () => {
  await Promise.allSettled(consumers.map((consumer) => consumer.disconnect()));
  if (client !== undefined) {
    await client.admin.deleteTopic(topic).catch(() => {});
    await client.disconnect();
  }
});

describe('kafka module against a real broker', () => {
  it('creates a topic once, lists it and reports empty offsets', async () => {
    expect(await client.admin.ensureTopic(topic, 3)).toEqual({ created: true, partitions: 3 });
    expect(await client.admin.ensureTopic(topic, 3)).toEqual({ created: false, partitions: 3 });
    expect(await client.admin.listTopics()).toContain(topic);
    expect(await client.admin.fetchTopicOffsets(topic)).toEqual([
      { partition: 0, low: 0n, high: 0n },
      { partition: 1, low: 0n, high: 0n },
      { partition: 2, low: 0n, high: 0n },
    ]);
  });

  it('produces 2,000 keyed messages (plain and gzip) that the offsets count exactly', async () => {
    const plain = client.producer();
    const gzip = client.producer({ compression: 'gzip' });
    for (let i = 0; i < 4; i++) await plain.send(topic, nextMessages(250));
    // Fire-and-forget sends of one producer, then flush: 4 requests in flight at once. Their
    // relative order is not guaranteed, so each takes its own keys to keep per-key order testable.
    for (let i = 0; i < 4; i++) {
      void gzip.send(
        topic,
        nextMessages(
          250,
          users.filter((_, u) => u % 4 === i),
        ),
      );
    }
    await gzip.flush();
    await Promise.all([plain.disconnect(), gzip.disconnect()]);

    const offsets = await client.admin.fetchTopicOffsets(topic);
    expect(offsets.map((p) => p.low)).toEqual([0n, 0n, 0n]);
    expect(offsets.reduce((sum, p) => sum + (p.high - p.low), 0n)).toBe(2_000n);
    // 40 keys over 3 partitions: every partition gets some.
    for (const p of offsets) expect(p.high).toBeGreaterThan(0n);
  });

  it('consumes every message exactly once, in offset and per-key order, and re-reads after seek', async () => {
    const offsets = await client.admin.fetchTopicOffsets(topic);
    const received: KafkaRecord[] = [];
    const assignedCalls: TopicPartition[][] = [];
    const consumer = consumerFor(`smoke-one-${runId}`, {
      onPartitionsAssigned: (partitions) => {
        assignedCalls.push(partitions);
      },
    });
    await consumer.subscribe([topic]);
    await consumer.run({
      eachBatch: async (batch) => {
        expect(batch.records.length).toBeGreaterThan(0);
        for (const record of batch.records) expect(record.partition).toBe(batch.partition);
        received.push(...batch.records);
      },
    });
    expect(assignedCalls).toEqual([
      [
        { topic, partition: 0 },
        { topic, partition: 1 },
        { topic, partition: 2 },
      ],
    ]);
    expect(consumer.assignment()).toEqual(assignedCalls[0]);
    await waitFor('2,000 records', () => received.length >= 2_000);
    await sleep(1_000); // anything beyond 2,000 would be a duplicate
    expect(received).toHaveLength(2_000);

    const keysByPartition = new Map<string, number>();
    const lastSeq = new Map<string, number>();
    for (const p of offsets) {
      const inPartition = received.filter((r) => r.partition === p.partition);
      // Offsets 0..high-1, each once, in delivery order.
      expect(inPartition.map((r) => r.offset)).toEqual(
        Array.from({ length: Number(p.high) }, (_, i) => BigInt(i)),
      );
      for (const record of inPartition) {
        const key = record.key!.toString('utf8');
        const value = eventOf(record);
        const original = sent.get(`${value.n}`)!;
        expect(record.value!.toString('utf8')).toBe(original.value);
        expect(key).toBe(original.key);
        expect(record.timestamp).toBe(original.timestamp);
        expect(record.topic).toBe(topic);
        // A key lives in one partition, and its messages arrive in the order they were sent.
        expect(keysByPartition.get(key) ?? p.partition).toBe(p.partition);
        keysByPartition.set(key, p.partition);
        expect(value.seq).toBe((lastSeq.get(key) ?? -1) + 1);
        lastSeq.set(key, value.seq);
      }
    }
    expect(new Set(received.map((r) => eventOf(r).n)).size).toBe(2_000);
    expect(keysByPartition.size).toBe(users.length);

    // Seek partition 0 back to offset 10: exactly offsets 10..high-1 come again, nothing else.
    const high0 = offsets[0]!.high;
    received.length = 0;
    consumer.seek(topic, 0, 10n);
    await waitFor('re-read of partition 0', () => received.length >= Number(high0) - 10);
    await sleep(1_000);
    expect(received.every((r) => r.partition === 0)).toBe(true);
    expect(received.map((r) => r.offset)).toEqual(
      Array.from({ length: Number(high0) - 10 }, (_, i) => BigInt(i + 10)),
    );

    // A paused partition is not delivered after a seek until resumed.
    received.length = 0;
    consumer.pause([{ topic, partition: 1 }]);
    consumer.seek(topic, 1, 0n);
    await sleep(1_500);
    expect(received).toHaveLength(0);
    consumer.resume([{ topic, partition: 1 }]);
    await waitFor('re-read of partition 1 after resume', () => received.length >= Number(offsets[1]!.high));
    expect(received[0]).toMatchObject({ partition: 1, offset: 0n });

    await consumer.disconnect();
  });

  it('starts a new member of a group at the offset the group committed', async () => {
    const groupId = `smoke-commit-${runId}`;
    const first = consumerFor(groupId);
    await first.subscribe([topic]);
    await first.run({ eachBatch: async () => {} });
    await first.commit([{ topic, partition: 2, offset: 7n }]);
    await first.disconnect();

    const seen: KafkaRecord[] = [];
    const second = consumerFor(groupId);
    await second.subscribe([topic]);
    await second.run({
      eachBatch: async (batch) => {
        seen.push(...batch.records);
      },
    });
    await waitFor('partition 2 records', () => seen.some((r) => r.partition === 2));
    expect(seen.find((r) => r.partition === 2)?.offset).toBe(7n);
    await second.disconnect();
  });

  it('splits 3 partitions between two members and, seeking to stored offsets, processes each record once', async () => {
    const groupId = `smoke-pair-${runId}`;
    // The offsets a pipeline would keep in its Delta table: next offset to process per partition.
    const store = new Map<number, bigint>();
    const processed: { member: string; record: KafkaRecord }[] = [];
    const revoked: Record<string, TopicPartition[][]> = { a: [], b: [] };
    const members: Record<string, KafkaConsumer> = {};

    const start = async (member: string) => {
      const consumer = consumerFor(groupId, {
        maxBytesPerPartition: 1_024,
        // Asynchronous like reading a Delta log: no record may arrive before these seeks.
        onPartitionsAssigned: async (partitions) => {
          await sleep(300);
          for (const tp of partitions) consumer.seek(tp.topic, tp.partition, store.get(tp.partition) ?? 0n);
        },
        onPartitionsRevoked: (partitions) => {
          revoked[member]!.push(partitions);
        },
      });
      members[member] = consumer;
      await consumer.subscribe([topic]);
      await consumer.run({
        eachBatch: async (batch) => {
          await sleep(20); // slow enough that the second member joins mid-stream
          for (const record of batch.records) processed.push({ member, record });
          store.set(batch.partition, batch.records[batch.records.length - 1]!.offset + 1n);
        },
      });
    };

    await start('a');
    await waitFor('member a to make progress', () => processed.length >= 200);
    await start('b');
    const split = () => {
      const a = members['a']!.assignment().map((tp) => tp.partition);
      const b = members['b']!.assignment().map((tp) => tp.partition);
      return { a, b };
    };
    await waitFor('both members to hold partitions', () => {
      const { a, b } = split();
      return a.length > 0 && b.length > 0 && a.length + b.length === 3;
    });
    const { a, b } = split();
    expect([...a, ...b].sort()).toEqual([0, 1, 2]);
    expect(revoked['a']!.length).toBeGreaterThanOrEqual(1);
    expect(revoked['a']![0]).toEqual([0, 1, 2].map((partition) => ({ topic, partition })));

    // New records after the split: each member gets those of its own partitions.
    const producer = client.producer();
    await producer.send(topic, nextMessages(600));
    await producer.disconnect();
    const offsets = await client.admin.fetchTopicOffsets(topic);
    const total = Number(offsets.reduce((sum, p) => sum + p.high, 0n));
    expect(total).toBe(2_600);
    await waitFor('every record processed', () => processed.length >= total);
    await sleep(1_000);

    const ids = processed.map(({ record }) => `${record.partition}:${record.offset}`);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(total);
    const late = processed.filter(({ record }) => eventOf(record).n >= 2_000);
    expect(late).toHaveLength(600);
    for (const { member, record } of late) {
      expect((member === 'a' ? a : b).includes(record.partition)).toBe(true);
    }
    expect(late.some(({ member }) => member === 'a')).toBe(true);
    expect(late.some(({ member }) => member === 'b')).toBe(true);
  });

  it('reports failures as KafkaErrors with the broker code and retriable flag', async () => {
    await expect(client.admin.deleteTopic(`absent-${runId}`)).rejects.toMatchObject({
      name: 'KafkaError',
      code: 'KAFKA_UNKNOWN_TOPIC_OR_PARTITION',
    });
    const nowhere = createKafkaClient({
      ...config,
      brokers: ['127.0.0.1:1'],
      retries: 0,
      connectionTimeoutMs: 500,
    });
    await expect(nowhere.admin.listTopics()).rejects.toMatchObject({
      name: 'KafkaError',
      code: 'KAFKA_CONNECTION_FAILED',
      retriable: true,
    });
    // The producer's failures too: no broker, and a topic that does not exist (not created).
    const lost = nowhere.producer();
    await expect(lost.send(topic, [{ key: 'k', value: 'v' }])).rejects.toMatchObject({
      name: 'KafkaError',
      code: 'KAFKA_CONNECTION_FAILED',
      retriable: true,
      message: expect.stringMatching(/^kafka send to smoke-/),
    });
    await expect(lost.flush()).rejects.toMatchObject({ code: 'KAFKA_CONNECTION_FAILED' });
    await nowhere.disconnect();
    const strict = client.producer();
    await expect(strict.send(`absent-${runId}`, [{ key: 'k', value: 'v' }])).rejects.toMatchObject({
      name: 'KafkaError',
      code: 'KAFKA_UNKNOWN_TOPIC_OR_PARTITION',
      retriable: true,
    });
    await strict.disconnect().catch(() => {});
    expect(await client.admin.listTopics()).not.toContain(`absent-${runId}`);
  });

  it('puts a key on the partition the Java client picks, and keyless messages on every partition', async () => {
    // Kafka's own murmur2 test vectors (clients' UtilsTest); Java's default partitioner takes
    // (murmur2(key) & 0x7fffffff) % partitions.
    const javaMurmur2: Record<string, number> = {
      '21': -973932308,
      foobar: -790332482,
      'a-little-bit-long-string': -985981536,
      'a-little-bit-longer-string': -1486304829,
      lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8: -58897971,
      abc: 479470107,
    };
    const placed = `placed-${runId}`;
    await client.admin.ensureTopic(placed, 7);
    const producer = client.producer();
    await producer.send(
      placed,
      Object.keys(javaMurmur2).map((key) => ({
        key,
        value: key,
        headers: { origin: 'smoke', raw: Buffer.from([1, 2]) },
      })),
    );
    await producer.send(
      placed,
      Array.from({ length: 70 }, (_, i) => ({ key: null, value: `keyless-${i}` })),
    );
    await producer.disconnect();
    const received: KafkaRecord[] = [];
    const consumer = consumerFor(`smoke-placed-${runId}`);
    await consumer.subscribe([placed]);
    await consumer.run({
      eachBatch: async (batch) => {
        received.push(...batch.records);
      },
    });
    await waitFor('76 records', () => received.length >= 76);
    const keyed = received.filter((r) => r.key !== null);
    expect(keyed).toHaveLength(6);
    for (const record of keyed) {
      const key = record.key!.toString('utf8');
      expect({ key, partition: record.partition }).toEqual({
        key,
        partition: (javaMurmur2[key]! & 0x7fffffff) % 7,
      });
      expect(record.headers).toEqual({ origin: Buffer.from('smoke'), raw: Buffer.from([1, 2]) });
    }
    const keyless = received.filter((r) => r.key === null);
    expect(keyless).toHaveLength(70);
    expect(new Set(keyless.map((r) => r.partition)).size).toBe(7);
    await consumer.disconnect();
    await client.admin.deleteTopic(placed);
  });
});
