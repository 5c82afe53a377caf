// The metrics a KPI widget can show, as data: where each value comes from in a KPI snapshot
// (totals over the widget's range, or the newest 1-minute gold_kpis window), its label and its
// format. The names and meanings are the RT-Lakehouse extension's (extension/src/kpiMetrics.ts),
// whose live widget renders the same configuration.

/** How a KPI value is shown: a count, money (no currency: events carry their own), a 0–1 rate. */
export type KpiFormat = 'count' | 'money' | 'percent';

export interface KpiMetricDef {
  label: string;
  /** `totals`: over the windows of the last `minutes`; `latest`: the newest 1-minute window. */
  from: 'totals' | 'latest';
  /** The field of the totals or of the window. */
  field: string;
  format: KpiFormat;
}

export const KPI_METRICS = {
  events: { label: 'Events', from: 'totals', field: 'total_events', format: 'count' },
  orders: { label: 'Orders', from: 'totals', field: 'orders', format: 'count' },
  revenue: { label: 'Revenue (GMV)', from: 'totals', field: 'gmv', format: 'money' },
  avg_order_value: { label: 'Avg order value', from: 'totals', field: 'avg_order_value', format: 'money' },
  conversion_rate: {
    label: 'Conversion (last min)',
    from: 'latest',
    field: 'conversion_rate',
    format: 'percent',
  },
  active_users: { label: 'Active users (last min)', from: 'latest', field: 'active_users', format: 'count' },
} as const satisfies Record<string, KpiMetricDef>;

/** A metric name of KPI_METRICS. */
export type KpiMetric = keyof typeof KPI_METRICS;
