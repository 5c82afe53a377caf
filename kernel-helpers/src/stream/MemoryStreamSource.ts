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
  /** Text (sent as UTF-8) or bytes as they are. */
  value: string | Uint8Array | null;
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

/** Consumed records retained before the source asks which of them the sinks hold. */
const TRIM_EVERY = 20_000;

/**
 * Holds records in memory per partition. `topic` names the stream in the records and in the
 * source keys (`<topic>:<partition>`); pick a name that no Kafka topic the same pipeline reads
 * uses, so positions never mix. Offsets restart at 0 in a new process: a memory source is for
 * one process's lifetime, with `resume` skipping what the sinks already hold.
 *
 * Memory stays bounded by what is not yet written: like a log with retention, records every
 * sink holds (the `resume` positions, asked again after each TRIM_EVERY consumed records) are
 * dropped; the ones after them stay for a rewind.
 */
export class MemoryStreamSource implements StreamSource<KafkaRecord> {
  readonly id: string;
  private readonly logs: KafkaRecord[][];
  /** Offset of each partition's first retained record (logs[p][0]). */
  private readonly bases: number[];
  /** Offset of each partition's next record to deliver. */
  private readonly cursors: number[];
  private consumedSinceTrim = 0;
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
    this.bases = Array.from({ length: partitions }, () => 0);
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
        offset: BigInt(this.bases[partition]! + log.length),
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
      const cursor = last === undefined ? 0 : last + 1;
      if (cursor < this.bases[p]!)
        throw new Error(
          `memory source ${this.topic}: partition ${p} must restart at offset ${cursor}, but records before ${this.bases[p]} were dropped once the sinks held them`,
        );
      this.cursors[p] = cursor;
    });
  }

  /** Drops the records every sink holds (see the class comment). */
  private async trim(): Promise<void> {
    const keys = this.logs.map((_, p) => `${this.topic}:${p}`);
    const positions = await this.resume!(keys);
    keys.forEach((k, p) => {
      const last = positions.get(k);
      if (last === undefined) return;
      // Never past what was delivered: a rewind restarts from the sinks' positions.
      const drop = Math.min(last + 1, this.cursors[p]!) - this.bases[p]!;
      if (drop <= 0) return;
      this.logs[p]!.splice(0, drop);
      this.bases[p]! += drop;
    });
  }

  /** Records retained now, delivered or not (tests check the bound with it). */
  get retained(): number {
    return this.logs.reduce((n, log) => n + log.length, 0);
  }

  async start(resume: ResumePositions): Promise<void> {
    this.resume = resume;
    await this.seekAll();
  }

  private available(): number {
    return this.logs.reduce(
      (n, log, p) => n + Math.max(0, this.bases[p]! + log.length - this.cursors[p]!),
      0,
    );
  }

  async next(maxRecords: number, maxWaitMs: number): Promise<StreamBatch<KafkaRecord> | undefined> {
    // The caller asks for more once its last batch is written (or failed, and will rewind).
    if (this.consumedSinceTrim >= TRIM_EVERY && this.resume) {
      this.consumedSinceTrim = 0;
      await this.trim();
    }
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
      const base = this.bases[p]!;
      const from = this.cursors[p]!;
      const to = Math.min(base + log.length, from + share, from + maxRecords - records.length);
      if (to <= from) continue;
      for (let i = from; i < to; i++) records.push(log[i - base]!);
      ranges.set(`${this.topic}:${p}`, { first: from, last: to - 1 });
      this.cursors[p] = to;
    }
    this.consumedSinceTrim += records.length;
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
