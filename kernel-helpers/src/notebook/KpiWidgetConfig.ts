// What a live KPI widget output holds (`application/vnd.rtlakehouse.kpi+json`): only its
// configuration — title, range, metrics, thresholds. The extension's widget subscribes to the
// assistant API's KPI stream itself. The shape is the extension's KpiConfig
// (extension/src/KpiRenderer.ts).
import { z } from 'zod';
import { KPI_METRICS, type KpiMetric } from './KPI_METRICS.js';

const metricNames = Object.keys(KPI_METRICS) as [KpiMetric, ...KpiMetric[]];

/** A threshold: `warn` and `critical` levels, bad when the value is `above` them (default) or `below`. */
export const kpiThresholdSchema = z.strictObject({
  warn: z.number().optional(),
  critical: z.number().optional(),
  direction: z.enum(['above', 'below']).optional(),
});

export const kpiWidgetConfigSchema = z.strictObject({
  title: z.string().max(200).optional(),
  /** Totals and sparklines cover the 1-minute windows that started in the last N minutes. */
  minutes: z.int().min(1).max(10_080),
  metrics: z.array(z.enum(metricNames)).min(1),
  thresholds: z.partialRecord(z.enum(metricNames), kpiThresholdSchema).optional(),
});

export type KpiThreshold = z.infer<typeof kpiThresholdSchema>;
/** A KPI widget's configuration (see kpiWidgetConfigSchema). */
export type KpiWidgetConfig = z.infer<typeof kpiWidgetConfigSchema>;
