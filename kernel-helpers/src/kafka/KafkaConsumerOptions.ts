// How a consumer joins its group and where it starts reading.

import type { TopicPartition } from './TopicPartition.js';

/**
 * Consumer settings. Offsets are never committed automatically: a pipeline that keeps its
 * offsets elsewhere (in Delta `txn` actions) seeks to them in `onPartitionsAssigned`.
 */
export interface KafkaConsumerOptions {
  groupId: string;
  /**
   * Where a partition starts when it was neither sought nor has an offset committed by this
   * group: `earliest` (default) or `latest`.
   */
  startFrom?: 'earliest' | 'latest';
  /**
   * Called after each (re)join of the group with this member's whole new assignment, before
   * any record of it is delivered; fetching of those partitions waits until the returned
   * promise settles, so `seek` calls made here decide where each partition resumes. The group
   * uses the eager protocol: every rebalance revokes all partitions and assigns a new set.
   */
  onPartitionsAssigned?: (partitions: TopicPartition[]) => void | Promise<void>;
  /**
   * Called when a rebalance took away this member's previous assignment, before
   * `onPartitionsAssigned` for the new one; no batch is being processed at that moment.
   */
  onPartitionsRevoked?: (partitions: TopicPartition[]) => void | Promise<void>;
  /**
   * Decides, after the client gave up retrying a retriable failure, whether the consumer
   * restarts (leaves and rejoins the group, so `onPartitionsAssigned` runs again) or stops;
   * non-retriable failures always stop it. Also consulted when `onPartitionsAssigned` or
   * `onPartitionsRevoked` throws (restart = call them again after a second). Receives a KafkaError for client failures and the
   * handler's own error when `eachBatch` kept failing. Default: restart on retriable
   * KafkaErrors only.
   */
  restartOnFailure?: (error: Error) => boolean | Promise<boolean>;
  /**
   * Called once when the consumer stopped for good after a failure (not restarting); the
   * member has left the group and `run` rejects if it had not resolved yet.
   */
  onCrash?: (error: Error) => void;
  /** The broker drops a member silent for longer than this. Default 30 000 ms (broker minimum 6 000). */
  sessionTimeoutMs?: number;
  /** Default 3 000 ms; lower it for faster rebalances. */
  heartbeatIntervalMs?: number;
  /** Longest time the broker holds a fetch waiting for data. Default 500 ms. */
  maxWaitMs?: number;
  /** Most bytes fetched per partition per request, which bounds a batch. Default 1 MiB. */
  maxBytesPerPartition?: number;
}
