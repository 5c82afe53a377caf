// The KPI tiles a widget can show: how each reads its value from a snapshot and its sparkline
// from the series of 1-minute windows.
import type { Kpis, KpiWindow } from './contract';

export interface KpiMetric {
  label: string;
  /** The tile's number. */
  value(kpis: Kpis): number | null;
  /** One point per window, oldest first. */
  point(window: KpiWindow): number | null;
  format: 'count' | 'money' | 'percent';
}

export const KPI_METRICS = {
  events: {
    label: 'Events',
    value: (k) => k.totals.total_events,
    point: (w) => w.total_events,
    format: 'count',
  },
  orders: { label: 'Orders', value: (k) => k.totals.orders, point: (w) => w.orders, format: 'count' },
  revenue: { label: 'Revenue (GMV)', value: (k) => k.totals.gmv, point: (w) => w.gmv, format: 'money' },
  avg_order_value: {
    label: 'Avg order value',
    value: (k) => k.totals.avg_order_value,
    point: (w) => w.avg_order_value,
    format: 'money',
  },
  conversion_rate: {
    label: 'Conversion (last min)',
    value: (k) => k.latest?.conversion_rate ?? null,
    point: (w) => w.conversion_rate,
    format: 'percent',
  },
  active_users: {
    label: 'Active users (last min)',
    value: (k) => k.latest?.active_users ?? null,
    point: (w) => w.active_users,
    format: 'count',
  },
} satisfies Record<string, KpiMetric>;

export type KpiMetricName = keyof typeof KPI_METRICS;

export const DEFAULT_KPI_METRICS: KpiMetricName[] = [
  'events',
  'orders',
  'revenue',
  'avg_order_value',
  'conversion_rate',
  'active_users',
];

/** Whether `name` is a known metric. */
export function isKpiMetricName(name: string): name is KpiMetricName {
  return Object.hasOwn(KPI_METRICS, name);
}

/** A tile's number as text. */
export function formatKpi(value: number | null, format: KpiMetric['format']): string {
  if (value === null || !Number.isFinite(value)) return '–';
  if (format === 'percent') return `${(value * 100).toFixed(2)}%`;
  if (format === 'money')
    return new Intl.NumberFormat('en-US', { maximumFractionDigits: 2, minimumFractionDigits: 2 }).format(
      value,
    );
  return new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }).format(value);
}
