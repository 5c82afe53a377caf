// Reads topics as a member of a consumer group, with manual offset control.

import type { KafkaBatch } from './KafkaBatch.js';
import type { TopicPartition } from './TopicPartition.js';

/**
 * A consumer-group member. Lifecycle: `subscribe` (one or more times) → `run` → (`seek`,
 * `pause`, `resume`, `commit` while running) → `disconnect`. Batches are delivered one at a
 * time, never concurrently; a partition's position advances past a batch only when
 * `eachBatch` resolves, so a failed batch is delivered again. Methods throw KafkaError on
 * client failures.
 */
export interface KafkaConsumer {
  /** Adds topics to the subscription. Must precede `run`. */
  subscribe(topics: readonly string[]): Promise<void>;
  /**
   * Joins the group and starts delivering batches. Resolves once the first assignment is in
   * place (after `onPartitionsAssigned` settled); delivery goes on in the background until
   * `disconnect` (or a failure that `restartOnFailure` declines).
   */
  run(handler: { eachBatch: (batch: KafkaBatch) => Promise<void> }): Promise<void>;
  /**
   * Makes the next batch of `topic`/`partition` start at `offset` (the next record to read,
   * i.e. last processed offset + 1). Records fetched before the seek are discarded, even a
   * batch already fetched. Only valid for a partition currently assigned, or inside
   * `onPartitionsAssigned`; throws KafkaError before `run`.
   */
  seek(topic: string, partition: number, offset: bigint): void;
  /** Stops fetching the given partitions until `resume`; kept across rebalances. */
  pause(partitions: readonly TopicPartition[]): void;
  /** Fetches the given partitions again. */
  resume(partitions: readonly TopicPartition[]): void;
  /** This member's current assignment, sorted by topic and partition. */
  assignment(): TopicPartition[];
  /**
   * Records `offset` (the next record to read) for each partition in the group, for lag
   * monitoring and for members that have nothing better. Pipelines that store offsets
   * in Delta do not need it.
   */
  commit(offsets: readonly (TopicPartition & { offset: bigint })[]): Promise<void>;
  /** Leaves the group (its partitions move to other members) and closes the connections. */
  disconnect(): Promise<void>;
}
