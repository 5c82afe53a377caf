// The offset range a partition holds.

/**
 * The records of a partition that can be read: offsets `low` (inclusive) to `high` (exclusive).
 * `high` is the offset the next produced record will get; `high - low` records are retained.
 */
export interface PartitionOffsets {
  partition: number;
  low: bigint;
  high: bigint;
}
