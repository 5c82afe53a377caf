// Prometheus metrics of the streaming runtime, one set per registry, labelled by pipeline.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface PipelineMetrics {
  rowsIn: Counter<'pipeline'>;
  rowsOut: Counter<'pipeline' | 'table'>;
  batches: Counter<'pipeline'>;
  conflicts: Counter<'pipeline'>;
  failures: Counter<'pipeline'>;
  counters: Counter<'pipeline' | 'counter'>;
  batchSeconds: Histogram<'pipeline'>;
  freshnessSeconds: Histogram<'pipeline'>;
  lag: Gauge<'pipeline'>;
  watermark: Gauge<'pipeline'>;
}

const cache = new WeakMap<Registry, PipelineMetrics>();

/** The pipeline metrics registered in `registry` (created on first use). */
export function pipelineMetrics(registry: Registry): PipelineMetrics {
  const existing = cache.get(registry);
  if (existing) return existing;
  const registers = [registry];
  const metrics: PipelineMetrics = {
    rowsIn: new Counter({
      name: 'rtl_pipeline_rows_in_total',
      help: 'Rows read from the source',
      labelNames: ['pipeline'],
      registers,
    }),
    rowsOut: new Counter({
      name: 'rtl_pipeline_rows_out_total',
      help: 'Rows written to a sink table',
      labelNames: ['pipeline', 'table'],
      registers,
    }),
    batches: new Counter({
      name: 'rtl_pipeline_batches_total',
      help: 'Batches committed',
      labelNames: ['pipeline'],
      registers,
    }),
    conflicts: new Counter({
      name: 'rtl_pipeline_commit_conflicts_total',
      help: 'Batches abandoned because a concurrent commit conflicted',
      labelNames: ['pipeline'],
      registers,
    }),
    failures: new Counter({
      name: 'rtl_pipeline_failures_total',
      help: 'Batches that failed',
      labelNames: ['pipeline'],
      registers,
    }),
    counters: new Counter({
      name: 'rtl_pipeline_events_total',
      help: 'Counters reported by pipeline transforms (quarantined, duplicates, late events ...)',
      labelNames: ['pipeline', 'counter'],
      registers,
    }),
    batchSeconds: new Histogram({
      name: 'rtl_pipeline_batch_duration_seconds',
      help: 'Time from taking a batch to its last commit',
      labelNames: ['pipeline'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    freshnessSeconds: new Histogram({
      name: 'rtl_pipeline_freshness_seconds',
      help: 'Event time of the oldest record of a batch to its commit',
      labelNames: ['pipeline'],
      buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 3600],
      registers,
    }),
    lag: new Gauge({
      name: 'rtl_pipeline_lag_records',
      help: 'Records (or versions) waiting in the source',
      labelNames: ['pipeline'],
      registers,
    }),
    watermark: new Gauge({
      name: 'rtl_pipeline_watermark_seconds',
      help: 'Event-time watermark (unix seconds)',
      labelNames: ['pipeline'],
      registers,
    }),
  };
  cache.set(registry, metrics);
  return metrics;
}
