// Totals and metric values of a KPI snapshot from gold_kpis windows. Pure: the same windows,
// range and clock give the same snapshot.
import { KPI_METRICS, type KpiMetric } from './KPI_METRICS.js';
import type { KpiSnapshot, KpiWindow } from './KpiSnapshot.js';

const SUMMED = ['total_events', 'page_views', 'cart_adds', 'orders', 'gmv'] as const;

function num(v: unknown): number {
  return typeof v === 'number' ? v : Number(v ?? 0);
}

/**
 * The snapshot of `windows` (gold_kpis rows, any order): totals over those that started in the
 * `minutes` before `now`, the newest window overall, and each KPI metric's value.
 */
export function kpiSnapshotFromWindows(
  windows: readonly KpiWindow[],
  options: { minutes: number; now: Date; version: number | null },
): KpiSnapshot {
  const from = options.now.getTime() - options.minutes * 60_000;
  const sorted = [...windows].sort((a, b) => Date.parse(a.window_start) - Date.parse(b.window_start));
  const series = sorted.filter((w) => Date.parse(w.window_start) >= from);
  const totals: Record<string, number | null> = {};
  for (const field of SUMMED) totals[field] = series.reduce((s, w) => s + num(w[field]), 0);
  totals['gmv'] = Math.round((totals['gmv'] ?? 0) * 1e6) / 1e6;
  const orders = totals['orders'] ?? 0;
  totals['avg_order_value'] = orders === 0 ? null : (totals['gmv'] ?? 0) / orders;
  totals['peak_active_users'] =
    series.length === 0 ? null : Math.max(...series.map((w) => num(w['active_users'])));
  totals['windows'] = series.length;
  const latest = sorted.at(-1) ?? null;
  const values = {} as Record<KpiMetric, number | null>;
  for (const [id, def] of Object.entries(KPI_METRICS) as [KpiMetric, (typeof KPI_METRICS)[KpiMetric]][]) {
    const raw = def.from === 'totals' ? totals[def.field] : latest?.[def.field];
    values[id] = raw === null || raw === undefined || Number.isNaN(num(raw)) ? null : num(raw);
  }
  return {
    version: options.version,
    generatedAt: options.now.toISOString(),
    minutes: options.minutes,
    latest,
    totals,
    series,
    values,
  };
}
