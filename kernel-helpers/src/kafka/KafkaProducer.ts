// Sends messages to topics.

import type { KafkaMessage } from './KafkaMessage.js';

/** A producer. Connects on first use; every method throws KafkaError on failure. */
export interface KafkaProducer {
  /**
   * Sends `messages` to `topic` as one request per partition leader: the array is the batch,
   * so pass hundreds or thousands at a time for throughput (an empty array sends nothing).
   * Resolves when the broker has acknowledged all of them per `acks`; within a partition they
   * keep the array's order. Several sends may be in flight at once; their relative order is
   * then not guaranteed.
   */
  send(topic: string, messages: readonly KafkaMessage[]): Promise<void>;
  /**
   * Resolves when every send started before the call has settled. Rejects with the first
   * failure of any send since the previous flush (each failure is reported by its own send
   * too), so fire-and-forget sends followed by `flush` lose no error.
   */
  flush(): Promise<void>;
  /** Flushes (rejecting as flush does), then closes the connections. Later sends fail. */
  disconnect(): Promise<void>;
}
