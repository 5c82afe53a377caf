// The level of a KPI tile against its configured threshold: pure, so it is tested on its own.

/** A threshold: `warn`/`critical` levels, bad when the value is `above` (default) or `below`. */
export interface KpiThreshold {
  warn?: number;
  critical?: number;
  direction?: 'above' | 'below';
}

export type KpiLevel = 'ok' | 'warn' | 'critical';

/**
 * `critical` when the value is past the critical limit, else `warn` when past the warn limit,
 * else `ok` (also without a value or a threshold). A value equal to a limit is not past it.
 */
export function kpiLevelOf(value: number | null, threshold: KpiThreshold | undefined): KpiLevel {
  if (value === null || !Number.isFinite(value) || !threshold) return 'ok';
  const bad = (limit: number | undefined) =>
    typeof limit === 'number' &&
    Number.isFinite(limit) &&
    (threshold.direction === 'below' ? value < limit : value > limit);
  if (bad(threshold.critical)) return 'critical';
  if (bad(threshold.warn)) return 'warn';
  return 'ok';
}
