// The KafkaConsumer port over a kafkajs consumer: offsets never auto-committed, batches
// delivered one at a time, and assignment callbacks that finish before a partition is fetched.

import type { Batch, EachBatchPayload, Kafka } from 'kafkajs';
import { KafkaError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { KafkaBatch } from '../KafkaBatch.js';
import type { KafkaConsumer } from '../KafkaConsumer.js';
import type { KafkaConsumerOptions } from '../KafkaConsumerOptions.js';
import type { KafkaRecord } from '../KafkaRecord.js';
import { kafkaErrorFrom } from '../kafkaErrorFrom.js';
import type { TopicPartition } from '../TopicPartition.js';

type Handler = (batch: KafkaBatch) => Promise<void>;

const keyOf = ({ topic, partition }: TopicPartition): string => `${topic}\u0000${partition}`;

const sorted = (partitions: TopicPartition[]): TopicPartition[] =>
  partitions.sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));

function byTopic(partitions: readonly TopicPartition[]): { topic: string; partitions: number[] }[] {
  const grouped = new Map<string, number[]>();
  for (const { topic, partition } of partitions) {
    const list = grouped.get(topic) ?? [];
    list.push(partition);
    grouped.set(topic, list);
  }
  return [...grouped].map(([topic, list]) => ({ topic, partitions: list }));
}

function toRecord(topic: string, partition: number, message: Batch['messages'][number]): KafkaRecord {
  const headers: Record<string, Buffer> = {};
  const given = message.headers;
  // for-in rather than Object.entries: most records have no headers, and this runs per record.
  for (const name in given) {
    const value = given[name];
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (last !== undefined) headers[name] = typeof last === 'string' ? Buffer.from(last) : last;
  }
  return {
    topic,
    partition,
    offset: BigInt(message.offset),
    key: message.key ?? null,
    value: message.value ?? null,
    timestamp: Number(message.timestamp),
    headers,
  };
}

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
  reject(error: Error): void;
  settled: boolean;
}

function deferred(): Deferred {
  const result = { settled: false } as Deferred;
  result.promise = new Promise<void>((resolve, reject) => {
    result.resolve = () => {
      result.settled = true;
      resolve();
    };
    result.reject = (error) => {
      result.settled = true;
      reject(error);
    };
  });
  // run() awaits it; a crash before run() must not become an unhandled rejection.
  result.promise.catch(() => {});
  return result;
}

/** A KafkaConsumer for one group member; see KafkaConsumer for the contract. */
export function createKafkaJsConsumer(
  kafka: Kafka,
  options: KafkaConsumerOptions,
  logger: Logger,
  retries: number,
): KafkaConsumer {
  const restartOnFailure =
    options.restartOnFailure ?? ((error: Error) => error instanceof KafkaError && error.retriable);
  // Errors thrown by the caller's eachBatch, to hand them back unwrapped after kafkajs's retries.
  const handlerErrors = new WeakSet<object>();
  const failureFrom = (error: unknown): Error => {
    for (let cause = error, depth = 0; depth < 10 && typeof cause === 'object' && cause !== null; depth++) {
      if (handlerErrors.has(cause)) return cause as Error;
      cause = (cause as { cause?: unknown }).cause;
    }
    return kafkaErrorFrom(error, `consumer of group ${options.groupId}`);
  };

  const consumer = kafka.consumer({
    groupId: options.groupId,
    sessionTimeout: options.sessionTimeoutMs ?? 30_000,
    heartbeatInterval: options.heartbeatIntervalMs ?? 3_000,
    maxWaitTimeInMs: options.maxWaitMs ?? 500,
    maxBytesPerPartition: options.maxBytesPerPartition ?? 1_048_576,
    allowAutoTopicCreation: false,
    retry: { retries, restartOnFailure: async (error) => restartOnFailure(failureFrom(error)) },
  });

  let handler: Handler | undefined;
  let stopped = false;
  let connected: Promise<void> | undefined;
  // kafkajs's view of the assignment, and the one last announced through onPartitionsAssigned.
  let assigned = new Set<string>();
  let announced: TopicPartition[] = [];
  // Partitions paused until the assignment callbacks settle, and those the caller paused.
  const held = new Set<string>();
  const userPaused = new Map<string, TopicPartition>();
  let joins = 0;
  let callbacks: Promise<void> = Promise.resolve();
  const firstAssignment = deferred();

  const guard = <T>(operation: string, action: () => T): T => {
    try {
      return action();
    } catch (error) {
      throw kafkaErrorFrom(error, operation);
    }
  };

  const stopFor = async (error: Error): Promise<void> => {
    if (stopped) return;
    stopped = true;
    assigned = new Set();
    announced = [];
    logger.error('kafka consumer stopped after a failure', {
      groupId: options.groupId,
      error: error.message,
    });
    if (!firstAssignment.settled) firstAssignment.reject(error);
    options.onCrash?.(error);
    await consumer.disconnect().catch(() => {});
  };

  // Runs the caller's revoke/assign callbacks for join number `join`, then lets its partitions
  // be fetched. Chained, so callbacks never overlap; a join already superseded is skipped.
  const settleAssignment = async (join: number, next: TopicPartition[]): Promise<void> => {
    for (;;) {
      if (stopped || join !== joins) return;
      try {
        if (announced.length > 0) {
          const revoked = announced;
          announced = [];
          await options.onPartitionsRevoked?.(revoked);
        }
        await options.onPartitionsAssigned?.(next);
        announced = next;
        break;
      } catch (error) {
        const failure = error instanceof Error ? error : new Error(String(error));
        logger.warn('kafka consumer: partition assignment callback failed', {
          groupId: options.groupId,
          error: failure.message,
        });
        if (!(await restartOnFailure(failure))) return stopFor(failure);
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
    if (join !== joins || stopped) return;
    held.clear();
    const resumable = next.filter((tp) => !userPaused.has(keyOf(tp)));
    if (resumable.length > 0) consumer.resume(byTopic(resumable));
    if (!firstAssignment.settled) firstAssignment.resolve();
  };

  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    // kafkajs emits this synchronously after SyncGroup and before the generation's first fetch,
    // so pausing here guarantees no record is delivered before the callbacks have sought.
    const next = sorted(
      Object.entries(payload.memberAssignment).flatMap(([topic, partitions]) =>
        partitions.map((partition) => ({ topic, partition })),
      ),
    );
    const join = ++joins;
    assigned = new Set(next.map(keyOf));
    held.clear();
    for (const tp of next) held.add(keyOf(tp));
    if (next.length > 0) consumer.pause(byTopic(next));
    callbacks = callbacks.then(() => settleAssignment(join, next));
  });

  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (!payload.restart) void stopFor(failureFrom(payload.error));
  });

  const eachBatch = async ({ batch, resolveOffset, isRunning, isStale }: EachBatchPayload): Promise<void> => {
    const tp = { topic: batch.topic, partition: batch.partition };
    const key = keyOf(tp);
    // Without resolving, a skipped batch is fetched again from the same position later.
    if (!isRunning() || isStale() || held.has(key) || userPaused.has(key) || !assigned.has(key)) return;
    const last = batch.messages[batch.messages.length - 1];
    if (last === undefined || handler === undefined) return;
    const records = batch.messages.map((message) => toRecord(tp.topic, tp.partition, message));
    try {
      await handler({ ...tp, records, highWatermark: BigInt(batch.highWatermark) });
    } catch (error) {
      if (typeof error === 'object' && error !== null) handlerErrors.add(error);
      throw error;
    }
    if (!isStale()) resolveOffset(last.offset);
  };

  return {
    async subscribe(topics) {
      try {
        connected ??= consumer.connect();
        await connected;
        await consumer.subscribe({
          topics: [...topics],
          fromBeginning: (options.startFrom ?? 'earliest') === 'earliest',
        });
      } catch (error) {
        throw kafkaErrorFrom(error, `subscribe to ${topics.join(', ')}`);
      }
    },

    async run({ eachBatch: handle }) {
      if (handler !== undefined)
        throw new KafkaError('KAFKA_ALREADY_RUNNING', 'kafka consumer: run called twice');
      handler = handle;
      try {
        await consumer.run({
          autoCommit: false,
          eachBatchAutoResolve: false,
          partitionsConsumedConcurrently: 1,
          eachBatch,
        });
      } catch (error) {
        throw kafkaErrorFrom(error, `run consumer of group ${options.groupId}`);
      }
      await firstAssignment.promise;
    },

    seek(topic, partition, offset) {
      if (offset < 0n) {
        throw new KafkaError(
          'KAFKA_INVALID_OFFSET',
          `kafka seek ${topic}/${partition}: negative offset ${offset}`,
        );
      }
      guard(`seek ${topic}/${partition}`, () =>
        consumer.seek({ topic, partition, offset: offset.toString() }),
      );
    },

    pause(partitions) {
      for (const tp of partitions) userPaused.set(keyOf(tp), { topic: tp.topic, partition: tp.partition });
      // Before run there is nothing to pause in kafkajs yet; the first assignment honours userPaused.
      if (handler !== undefined && partitions.length > 0)
        guard('pause', () => consumer.pause(byTopic(partitions)));
    },

    resume(partitions) {
      for (const tp of partitions) userPaused.delete(keyOf(tp));
      const now = partitions.filter((tp) => !held.has(keyOf(tp)));
      if (handler !== undefined && now.length > 0) guard('resume', () => consumer.resume(byTopic(now)));
    },

    assignment() {
      return sorted(
        [...assigned].map((key) => {
          const [topic = '', partition = '0'] = key.split('\u0000');
          return { topic, partition: Number(partition) };
        }),
      );
    },

    async commit(offsets) {
      try {
        await consumer.commitOffsets(
          offsets.map(({ topic, partition, offset }) => ({ topic, partition, offset: offset.toString() })),
        );
      } catch (error) {
        throw kafkaErrorFrom(error, `commit offsets of group ${options.groupId}`);
      }
    },

    async disconnect() {
      stopped = true;
      assigned = new Set();
      announced = [];
      if (!firstAssignment.settled) firstAssignment.resolve();
      try {
        await consumer.disconnect();
      } catch (error) {
        throw kafkaErrorFrom(error, `disconnect consumer of group ${options.groupId}`);
      }
    },
  };
}
