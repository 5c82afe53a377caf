// What a streaming source hands the pipeline runner: records plus, per source key (a Kafka
// partition or a Delta table), the range of positions the batch covers.

/** Positions of one source key inside a batch: first and last (inclusive). */
export interface PositionRange {
  first: number;
  last: number;
}

/** A batch of work from a source. `ranges` is keyed by source key, e.g. `ecommerce_events:2`. */
export interface StreamBatch<R> {
  records: R[];
  ranges: Map<string, PositionRange>;
  /** When the source produced the batch (ms), for lag and freshness metrics. */
  polledAt: number;
  /** Records the source knows are waiting behind this batch (consumer lag), when known. */
  lag?: number;
}
