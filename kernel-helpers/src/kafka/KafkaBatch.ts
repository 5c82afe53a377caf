// What a consumer's eachBatch handler receives.

import type { KafkaRecord } from './KafkaRecord.js';

/**
 * Consecutive records of one partition, in offset order, never empty. `highWatermark` is
 * the partition's end offset when the batch was fetched (lag = highWatermark - last offset - 1).
 */
export interface KafkaBatch {
  topic: string;
  partition: number;
  records: KafkaRecord[];
  highWatermark: bigint;
}
