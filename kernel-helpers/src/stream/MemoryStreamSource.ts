// An in-process StreamSource with Kafka-shaped records: the embedded mode's event source (the
// producer feeds the pipelines without a broker) and `lakehouse seed`. Records are spread over
// `partitions` by key like Kafka's default partitioner would, each partition with its own
// offsets, so the same Bronze pipeline code runs on it.
import type { KafkaRecord } from '../kafka/KafkaRecord.js';
import type { PositionRange, StreamBatch } from './StreamBatch.js';
import type { ResumePositions, StreamSource } from './StreamSource.js';

/** A record pushed into a memory source. */
export interface MemoryMessage {
  key: string | null;
  value: string | null;
  /** Epoch ms; now when omitted. */
  timestamp?: number;
}

function hashKey(key: string): number {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

/**
 * Holds records in memory per partition. `topic` names the stream in the records and in the
 * source keys (`<topic>:<partition>`); pick a name that no Kafka topic the same pipeline reads
 * uses, so positions never mix. Offsets restart at 0 in a new process: a memory source is for
 * one process's lifetime, with `resume` skipping what the sinks already hold.
 */
export class MemoryStreamSource implements StreamSource<KafkaRecord> {
  readonly id: string;
  private readonly logs: KafkaRecord[][];
  private readonly cursors: number[];
  private closed = false;
  private waiter: (() => void) | undefined;
  private resume: ResumePositions | undefined;
  private rr = 0;

  constructor(
    readonly topic: string,
    readonly partitions = 3,
  ) {
    this.id = `memory:${topic}`;
    this.logs = Array.from({ length: partitions }, () => []);
    this.cursors = Array.from({ length: partitions }, () => 0);
  }

  /** Appends messages; returns how many. */
  push(messages: readonly MemoryMessage[]): number {
    const now = Date.now();
    for (const m of messages) {
      const partition = m.key === null ? this.rr++ % this.partitions : hashKey(m.key) % this.partitions;
      const log = this.logs[partition]!;
      log.push({
        topic: this.topic,
        partition,
        offset: BigInt(log.length),
        key: m.key === null ? null : Buffer.from(m.key),
        value: m.value === null ? null : Buffer.from(m.value),
        timestamp: m.timestamp ?? now,
        headers: {},
      });
    }
    this.waiter?.();
    return messages.length;
  }

  /** No more messages will come: `next` returns undefined once everything was read. */
  close(): void {
    this.closed = true;
    this.waiter?.();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private async seekAll(): Promise<void> {
    const keys = this.logs.map((_, p) => `${this.topic}:${p}`);
    const positions = await this.resume!(keys);
    keys.forEach((k, p) => {
      const last = positions.get(k);
      this.cursors[p] = last === undefined ? 0 : last + 1;
    });
  }

  async start(resume: ResumePositions): Promise<void> {
    this.resume = resume;
    await this.seekAll();
  }

  private available(): number {
    return this.logs.reduce((n, log, p) => n + Math.max(0, log.length - this.cursors[p]!), 0);
  }

  async next(maxRecords: number, maxWaitMs: number): Promise<StreamBatch<KafkaRecord> | undefined> {
    // A closed, drained source waits too: callers loop on next() and must not spin.
    if (this.available() === 0 && maxWaitMs > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, maxWaitMs);
        const self = this;
        function done() {
          clearTimeout(timer);
          self.waiter = undefined;
          resolve();
        }
        this.waiter = done;
      });
    }
    const records: KafkaRecord[] = [];
    const ranges = new Map<string, PositionRange>();
    // Take from every partition in turn so no partition starves.
    const share = Math.max(1, Math.ceil(maxRecords / this.partitions));
    for (let p = 0; p < this.partitions && records.length < maxRecords; p++) {
      const log = this.logs[p]!;
      const from = this.cursors[p]!;
      const to = Math.min(log.length, from + share, from + maxRecords - records.length);
      if (to <= from) continue;
      for (let i = from; i < to; i++) records.push(log[i]!);
      ranges.set(`${this.topic}:${p}`, { first: from, last: to - 1 });
      this.cursors[p] = to;
    }
    if (records.length === 0) return undefined;
    return { records, ranges, polledAt: Date.now(), lag: this.available() };
  }

  async rewind(): Promise<void> {
    await this.seekAll();
  }

  async lag(): Promise<number | undefined> {
    return this.available();
  }

  async stop(): Promise<void> {
    this.close();
  }
}
