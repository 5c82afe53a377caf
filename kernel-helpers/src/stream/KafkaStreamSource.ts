// A StreamSource over a Kafka topic read by a consumer-group member. Positions are offsets,
// keyed `<topic>:<partition>`; on every assignment the source seeks each partition to just
// after the offset the sinks recorded in Delta. A bounded queue gives backpressure.
import type { KafkaClient } from '../kafka/KafkaClient.js';
import type { KafkaConsumer } from '../kafka/KafkaConsumer.js';
import type { KafkaRecord } from '../kafka/KafkaRecord.js';
import type { Logger } from '../logger.js';
import { noopLogger } from '../noopLogger.js';
import type { PositionRange, StreamBatch } from './StreamBatch.js';
import type { ResumePositions, StreamSource } from './StreamSource.js';

export interface KafkaStreamSourceOptions {
  topic: string;
  /** Creates the topic with this many partitions when it does not exist yet (default 3). */
  partitions?: number;
  groupId: string;
  /** Most records held in memory before the consumer waits (backpressure). */
  maxBufferedRecords?: number;
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  maxWaitMs?: number;
  maxBytesPerPartition?: number;
  logger?: Logger;
}

/** The source key of a partition. */
export const partitionKey = (topic: string, partition: number): string => `${topic}:${partition}`;

interface Waiter {
  resolve(): void;
}

export class KafkaStreamSource implements StreamSource<KafkaRecord> {
  readonly id: string;
  private consumer: KafkaConsumer | undefined;
  private readonly queue: KafkaRecord[] = [];
  private queueHead = 0;
  private readonly highWatermarks = new Map<number, bigint>();
  private readonly lastFetched = new Map<number, bigint>();
  private readonly dataWaiters = new Set<Waiter>();
  private readonly spaceWaiters = new Set<Waiter>();
  private generation = 0;
  private resume: ResumePositions | undefined;
  private readonly maxBuffered: number;
  private readonly logger: Logger;
  private stopped = false;

  constructor(
    private readonly client: KafkaClient,
    private readonly options: KafkaStreamSourceOptions,
  ) {
    this.id = `kafka:${options.topic}`;
    this.maxBuffered = options.maxBufferedRecords ?? 25_000;
    this.logger = options.logger ?? noopLogger;
  }

  /** Records fetched and waiting in memory (bounded by maxBufferedRecords plus one fetch). */
  get buffered(): number {
    return this.queue.length - this.queueHead;
  }

  private wake(waiters: Set<Waiter>): void {
    for (const w of waiters) w.resolve();
    waiters.clear();
  }

  private clearQueue(): void {
    this.lastFetched.clear();
    this.highWatermarks.clear();
    this.queue.length = 0;
    this.queueHead = 0;
    this.wake(this.spaceWaiters);
  }

  /** Seeks the given partitions to just after the sinks' positions (earliest when none). */
  private async seekTo(partitions: readonly number[]): Promise<void> {
    if (!this.consumer || !this.resume) return;
    const keys = partitions.map((p) => partitionKey(this.options.topic, p));
    const positions = await this.resume(keys);
    const offsets = await this.client.admin.fetchTopicOffsets(this.options.topic);
    for (const p of partitions) {
      const last = positions.get(partitionKey(this.options.topic, p));
      const low = offsets.find((o) => o.partition === p)?.low ?? 0n;
      const next = last === undefined ? low : BigInt(last) + 1n;
      if (last !== undefined && next < low) {
        this.logger.warn('kafka records were deleted by retention before they were read', {
          topic: this.options.topic,
          partition: p,
          lastWritten: last,
          earliestAvailable: Number(low),
        });
      }
      this.consumer.seek(this.options.topic, p, next < low ? low : next);
    }
  }

  async start(resume: ResumePositions): Promise<void> {
    this.resume = resume;
    const consumer = this.client.consumer({
      groupId: this.options.groupId,
      startFrom: 'earliest',
      ...(this.options.sessionTimeoutMs ? { sessionTimeoutMs: this.options.sessionTimeoutMs } : {}),
      ...(this.options.heartbeatIntervalMs ? { heartbeatIntervalMs: this.options.heartbeatIntervalMs } : {}),
      ...(this.options.maxWaitMs ? { maxWaitMs: this.options.maxWaitMs } : {}),
      ...(this.options.maxBytesPerPartition
        ? { maxBytesPerPartition: this.options.maxBytesPerPartition }
        : {}),
      onPartitionsRevoked: () => {
        // Records of the old assignment must not be processed under the new one.
        this.generation++;
        this.clearQueue();
      },
      onPartitionsAssigned: async (tps) => {
        this.generation++;
        this.clearQueue();
        await this.seekTo(tps.filter((tp) => tp.topic === this.options.topic).map((tp) => tp.partition));
        this.logger.info('kafka partitions assigned', {
          topic: this.options.topic,
          partitions: tps.map((tp) => tp.partition),
        });
      },
    });
    this.consumer = consumer;
    // The producer may not have created the topic yet: make it as the producer would
    // (KAFKA_PARTITIONS, 3 by default as in DESIGN.md).
    await this.client.admin.ensureTopic(
      this.options.topic,
      this.options.partitions ?? this.client.config.partitions,
    );
    await consumer.subscribe([this.options.topic]);
    await consumer.run({
      eachBatch: async (batch) => {
        const generation = this.generation;
        while (this.buffered >= this.maxBuffered && !this.stopped && generation === this.generation) {
          await new Promise<void>((resolve) => this.spaceWaiters.add({ resolve }));
        }
        if (this.stopped || generation !== this.generation) return;
        for (const r of batch.records) this.queue.push(r);
        this.highWatermarks.set(batch.partition, batch.highWatermark);
        this.lastFetched.set(batch.partition, batch.records[batch.records.length - 1]!.offset);
        this.wake(this.dataWaiters);
      },
    });
  }

  async next(maxRecords: number, maxWaitMs: number): Promise<StreamBatch<KafkaRecord> | undefined> {
    if (this.buffered === 0 && maxWaitMs > 0 && !this.stopped) {
      await new Promise<void>((resolve) => {
        const waiter = { resolve };
        this.dataWaiters.add(waiter);
        setTimeout(() => {
          this.dataWaiters.delete(waiter);
          resolve();
        }, maxWaitMs);
      });
    }
    const n = Math.min(maxRecords, this.buffered);
    if (n === 0) return undefined;
    const records = this.queue.slice(this.queueHead, this.queueHead + n);
    this.queueHead += n;
    if (this.queueHead > 65_536 && this.queueHead * 2 > this.queue.length) {
      this.queue.splice(0, this.queueHead);
      this.queueHead = 0;
    }
    this.wake(this.spaceWaiters);
    const ranges = new Map<string, PositionRange>();
    for (const r of records) {
      const key = partitionKey(r.topic, r.partition);
      const offset = Number(r.offset);
      const range = ranges.get(key);
      if (range) range.last = offset;
      else ranges.set(key, { first: offset, last: offset });
    }
    const lag = await this.lag();
    return { records, ranges, polledAt: Date.now(), ...(lag === undefined ? {} : { lag }) };
  }

  async rewind(): Promise<void> {
    if (!this.consumer) return;
    this.generation++;
    this.clearQueue();
    const partitions = this.consumer
      .assignment()
      .filter((tp) => tp.topic === this.options.topic)
      .map((tp) => tp.partition);
    await this.seekTo(partitions);
  }

  async lag(): Promise<number | undefined> {
    if (!this.consumer) return undefined;
    // Records fetched but not yet handed out, plus what the broker holds beyond the fetch.
    let lag = this.buffered;
    for (const [partition, hw] of this.highWatermarks) {
      const last = this.lastFetched.get(partition);
      if (last !== undefined) lag += Math.max(0, Number(hw - last - 1n));
    }
    return lag;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake(this.dataWaiters);
    this.wake(this.spaceWaiters);
    await this.consumer?.disconnect();
  }
}
