// How a producer sends.

/** Producer settings; every field is optional. */
export interface KafkaProducerOptions {
  /** `gzip` (built into the client) or `none` (default). */
  compression?: 'none' | 'gzip';
  /** Acknowledgements: -1 = all in-sync replicas (default), 1 = leader only, 0 = none. */
  acks?: -1 | 0 | 1;
  /** Time the broker may take to reach `acks`. Default 30 000 ms. */
  ackTimeoutMs?: number;
  /** Let the broker create an unknown topic (with its defaults). Default false. */
  allowAutoTopicCreation?: boolean;
}
