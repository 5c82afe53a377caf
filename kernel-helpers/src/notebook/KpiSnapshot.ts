// The KPI values at one moment, read from gold_kpis: what a KPI widget shows before (or
// without) its live stream.
import type { KpiMetric } from './KPI_METRICS.js';

/** One 1-minute gold_kpis window, numbers as numbers. */
export type KpiWindow = Record<string, number | string | null> & { window_start: string };

export interface KpiSnapshot {
  /** Delta version of gold_kpis read, or null when the table does not exist yet. */
  version: number | null;
  generatedAt: string;
  /** The range the totals cover. */
  minutes: number;
  /** The newest window (it may be older than the range). */
  latest: KpiWindow | null;
  /** Sums over the windows of the range (and the peak of active users, the mean order value). */
  totals: Record<string, number | null>;
  /** The windows of the range, oldest first. */
  series: KpiWindow[];
  /** Each metric's value (null when there is no data for it). */
  values: Record<KpiMetric, number | null>;
}
