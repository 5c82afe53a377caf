// A message as the producer sends it.

/**
 * A message to produce. Strings are sent as UTF-8. Messages with the same key go to the same
 * partition (murmur2, as the Java client does), so a key's messages stay in order. A null
 * value is a tombstone. `timestamp` is the event time in epoch milliseconds (or a Date);
 * the broker's clock is used when absent.
 */
export interface KafkaMessage {
  key: string | Buffer | null;
  value: string | Buffer | null;
  timestamp?: number | Date;
  headers?: Record<string, string | Buffer>;
}
