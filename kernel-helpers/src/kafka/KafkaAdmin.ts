// Topic administration and offset queries.

import type { PartitionOffsets } from './PartitionOffsets.js';

/** Topic administration. Every method throws KafkaError on failure. */
export interface KafkaAdmin {
  /**
   * Creates `topic` with `partitions` partitions (replication factor 1 unless given) when it does
   * not exist, and waits for its leaders. Returns whether it was created and how many
   * partitions the topic has now; an existing topic is left as it is, even when its count differs.
   */
  ensureTopic(
    topic: string,
    partitions: number,
    options?: { replicationFactor?: number; configs?: Record<string, string> },
  ): Promise<{ created: boolean; partitions: number }>;
  /** Names of all topics, internal ones (`__consumer_offsets`) excluded, sorted. */
  listTopics(): Promise<string[]>;
  /** Low and high offsets of each partition of `topic`, sorted by partition. */
  fetchTopicOffsets(topic: string): Promise<PartitionOffsets[]>;
  /** Deletes `topic`; resolves when the broker has accepted the deletion. Throws when it does not exist. */
  deleteTopic(topic: string): Promise<void>;
}
