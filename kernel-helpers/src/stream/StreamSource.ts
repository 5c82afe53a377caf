// The source port of the streaming runtime: Kafka topics and Delta tables implement it.
import type { StreamBatch } from './StreamBatch.js';

/**
 * Where a source starts: for each source key, the last position already written by every
 * sink (or undefined when nothing was written yet). Asked again after every rebalance.
 */
export type ResumePositions = (keys: readonly string[]) => Promise<Map<string, number | undefined>>;

export interface StreamSource<R> {
  /** A stable name used in txn application ids, e.g. `kafka:ecommerce_events`. */
  readonly id: string;
  /** Starts delivering from just after the positions `resume` returns. */
  start(resume: ResumePositions): Promise<void>;
  /**
   * The next batch of at most `maxRecords` records, waiting up to `maxWaitMs` for the first
   * one; undefined when nothing arrived. Never returns records of two different generations
   * of a rebalance in one batch.
   */
  next(maxRecords: number, maxWaitMs: number): Promise<StreamBatch<R> | undefined>;
  /**
   * Tells the source a batch was rejected as stale (a sink had moved on): it must re-resolve
   * its positions before delivering more.
   */
  rewind(): Promise<void>;
  /** Records waiting to be read, when known. */
  lag(): Promise<number | undefined>;
  stop(): Promise<void>;
}
