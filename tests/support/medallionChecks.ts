// Checks shared by the streaming tests: what the medallion tables must hold for a known set of
// produced records, compared exactly.
import type { DeltaTable, GeneratedRecord, Lakehouse } from '@rt-lakehouse/kernel-helpers';
import { parseRawEvent } from '@rt-lakehouse/kernel-helpers';
import { goldKpisSql, TABLES } from '@rt-lakehouse/pipelines';

/** Runs SQL over the lakehouse's Delta DuckDB; BIGINTs come back as numbers. */
export async function query(lakehouse: Lakehouse, sql: string): Promise<Record<string, unknown>[]> {
  const connection = await lakehouse.duck.connect();
  try {
    const rows = (await connection.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
    return rows.map((row) =>
      Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])),
    );
  } finally {
    connection.closeSync();
  }
}

/** SQL over a table's latest snapshot. */
export async function scan(table: DeltaTable): Promise<string> {
  return table.scanSql(await table.latest());
}

/** What Silver and Quarantine must hold for `records` produced in order (dedup: first wins). */
export function expectedOutcome(records: readonly GeneratedRecord[]): {
  validIds: Set<string>;
  rejected: number;
  duplicates: number;
} {
  const validIds = new Set<string>();
  let rejected = 0;
  let duplicates = 0;
  for (const r of records) {
    const parsed = parseRawEvent(r.value);
    if (!parsed.success) rejected++;
    else if (validIds.has(parsed.event.event_id)) duplicates++;
    else validIds.add(parsed.event.event_id);
  }
  return { validIds, rejected, duplicates };
}

/** Waits until `check` returns true, polling; throws with `describe()` after `timeoutMs`. */
export async function waitFor(
  check: () => Promise<boolean>,
  timeoutMs: number,
  describe: () => Promise<string>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out: ${await describe()}`);
}

/** Row counts of the four medallion tables (0 for a table not created yet). */
export async function tableCounts(lakehouse: Lakehouse): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const name of Object.values(TABLES)) {
    const table = await lakehouse.table(name);
    out[name] = (await table.exists()) ? ((await table.latest()).numRecords() ?? -1) : 0;
  }
  return out;
}

/**
 * The gold table compared with the KPIs recomputed from Silver: returns the windows that
 * differ (empty when equal). Numbers are compared exactly except GMV and ratios (1e-9 relative).
 */
export async function goldMismatches(lakehouse: Lakehouse): Promise<Record<string, unknown>[]> {
  const silver = await scan(await lakehouse.table(TABLES.silver));
  const gold = await scan(await lakehouse.table(TABLES.gold));
  const close = (c: string) =>
    `(abs(coalesce(g.${c}, 0) - coalesce(e.${c}, 0)) > 1e-9 * greatest(abs(coalesce(e.${c}, 0)), 1) OR (g.${c} IS NULL) <> (e.${c} IS NULL))`;
  const exact = [
    'total_events',
    'page_views',
    'cart_adds',
    'orders',
    'active_users',
    'view_users',
    'cart_users',
    'purchase_users',
  ];
  return query(
    lakehouse,
    `WITH e AS (${goldKpisSql(silver, 60_000)}), g AS (${gold})
     SELECT coalesce(e.window_start, g.window_start)::VARCHAR AS window_start, to_json(e) AS expected, to_json(g) AS actual
     FROM e FULL OUTER JOIN g ON e.window_start = g.window_start
     WHERE e.window_start IS NULL OR g.window_start IS NULL OR g.window_end <> e.window_end
        OR ${exact.map((c) => `g.${c} IS DISTINCT FROM e.${c}`).join(' OR ')}
        OR ${['gmv', 'conversion_rate', 'avg_order_value'].map(close).join(' OR ')}
     ORDER BY 1 LIMIT 20`,
  );
}
