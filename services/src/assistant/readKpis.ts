// The KPI snapshot of /api/kpis and its stream: the newest gold_kpis window and totals over the
// windows of the last N minutes, read in one query (one Delta version) through the SQL engine.
import type { JsonValue, Lakehouse, SqlEngine } from '@rt-lakehouse/kernel-helpers';
import type { z } from 'zod';
import type { KpisResponse } from './schemas.js';

export const GOLD_KPIS = 'gold_kpis';

export type Kpis = z.infer<typeof KpisResponse>;
type KpiWindow = NonNullable<Kpis['latest']>;

/** What a snapshot covers. */
export interface KpiRange {
  minutes: number;
  series: boolean;
}

const WINDOW_FIELDS = [
  'window_start',
  'window_end',
  'total_events',
  'page_views',
  'cart_adds',
  'orders',
  'gmv',
  'active_users',
  'view_users',
  'cart_users',
  'purchase_users',
  'conversion_rate',
  'avg_order_value',
] as const;

// The windows of the range plus the newest one (which may be older than the range).
const SQL = `SELECT ${WINDOW_FIELDS.join(', ')}
FROM ${GOLD_KPIS}
WHERE window_start >= $1 OR window_start = (SELECT max(window_start) FROM ${GOLD_KPIS})
ORDER BY window_start`;

/** The Delta version of gold_kpis, or null while the table does not exist. Cheap: probes the next commit. */
export async function goldKpisVersion(lakehouse: Lakehouse): Promise<number | null> {
  const table = await lakehouse.table(GOLD_KPIS);
  if (!(await table.exists())) return null;
  return (await table.latest()).version;
}

/**
 * Reads the KPI snapshot. A lakehouse without gold_kpis yet gives an empty snapshot (version
 * null). @throws QueryError from the engine (ENGINE_CLOSED, QUERY_TIMEOUT ...).
 */
export async function readKpis(
  engine: SqlEngine,
  lakehouse: Lakehouse,
  range: KpiRange,
  now: Date = new Date(),
): Promise<Kpis> {
  const from = new Date(now.getTime() - range.minutes * 60_000);
  const empty = (version: number | null): Kpis => ({
    table: GOLD_KPIS,
    version,
    generatedAt: now.toISOString(),
    latest: null,
    totals: totalsOf([], range.minutes, from, now),
    ...(range.series ? { series: [] } : {}),
  });
  if (!(await lakehouse.tableNames()).includes(GOLD_KPIS)) return empty(null);
  const result = await engine.query(SQL, { params: [from], maxRows: range.minutes + 2, timeoutMs: 30_000 });
  const windows = result.rows.map(windowOf);
  const inRange = windows.filter((w) => Date.parse(w.window_start) >= from.getTime());
  return {
    ...empty(result.tableVersions[GOLD_KPIS] ?? null),
    latest: windows.at(-1) ?? null,
    totals: totalsOf(inRange, range.minutes, from, now),
    ...(range.series ? { series: inRange } : {}),
  };
}

function windowOf(row: Record<string, JsonValue>): KpiWindow {
  const num = (v: JsonValue | undefined) => (typeof v === 'number' ? v : Number(v ?? 0));
  const orNull = (v: JsonValue | undefined) => (v === null || v === undefined ? null : num(v));
  return {
    window_start: String(row['window_start']),
    window_end: String(row['window_end']),
    total_events: num(row['total_events']),
    page_views: num(row['page_views']),
    cart_adds: num(row['cart_adds']),
    orders: num(row['orders']),
    gmv: num(row['gmv']),
    active_users: num(row['active_users']),
    view_users: num(row['view_users']),
    cart_users: num(row['cart_users']),
    purchase_users: num(row['purchase_users']),
    conversion_rate: orNull(row['conversion_rate']),
    avg_order_value: orNull(row['avg_order_value']),
  };
}

function totalsOf(windows: readonly KpiWindow[], minutes: number, from: Date, to: Date): Kpis['totals'] {
  const sum = (f: (w: KpiWindow) => number) => windows.reduce((s, w) => s + f(w), 0);
  const orders = sum((w) => w.orders);
  const gmv = Math.round(sum((w) => w.gmv) * 1e6) / 1e6;
  return {
    minutes,
    from: from.toISOString(),
    to: to.toISOString(),
    windows: windows.length,
    total_events: sum((w) => w.total_events),
    page_views: sum((w) => w.page_views),
    cart_adds: sum((w) => w.cart_adds),
    orders,
    gmv,
    avg_order_value: orders === 0 ? null : gmv / orders,
    peak_active_users: windows.length === 0 ? null : Math.max(...windows.map((w) => w.active_users)),
  };
}
