// A record as the consumer delivers it.

/**
 * A consumed record. `offset` is exact (a bigint: Kafka offsets are 64-bit); the next record
 * to read after it is `offset + 1n`. `timestamp` is the record's Kafka timestamp in epoch
 * milliseconds. Key and value are the raw bytes (`null` when absent).
 */
export interface KafkaRecord {
  topic: string;
  partition: number;
  offset: bigint;
  key: Buffer | null;
  value: Buffer | null;
  timestamp: number;
  headers: Record<string, Buffer>;
}
