// One partition of one topic: the unit of assignment, ordering and offsets.

/** A partition of a topic. Records are ordered by offset within a partition, and only there. */
export interface TopicPartition {
  topic: string;
  partition: number;
}
