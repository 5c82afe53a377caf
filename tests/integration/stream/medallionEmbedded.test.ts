// The medallion pipelines on the in-process source (embedded mode, no broker): every record
// reaches Bronze once, Silver holds each valid event once, Quarantine every rejected record
// with its reason, and Gold equals the KPIs recomputed from Silver.
import { type GeneratedRecord, MemoryStreamSource } from '@rt-lakehouse/kernel-helpers';
import { TABLES } from '@rt-lakehouse/pipelines';
import { describe, expect, it } from 'vitest';
import { faultyGenerator, inProcessMedallion } from '../../support/faultyStream.js';
import { lakehouseWorkspace } from '../../support/lakehouseWorkspace.js';
import {
  expectedOutcome,
  goldMismatches,
  query,
  scan,
  tableCounts,
  waitFor,
} from '../../support/medallionChecks.js';

const ws = lakehouseWorkspace();

describe('medallion pipelines, embedded source', () => {
  it('are exact with injected bad data: malformed, missing fields, wrong types, unknown types, duplicates, late events', async () => {
    const records: GeneratedRecord[] = faultyGenerator(7, 20 * 60_000, 40).take(12_000);
    const source = new MemoryStreamSource('embedded', 3);
    const runners = inProcessMedallion(ws.lakehouse, source, {
      bronzeBatch: 1_500,
      silverBatch: 2_500,
      maxWaitMs: 50,
    });
    for (const r of runners) await r.start();
    // Feed in slices so that batches interleave with arrivals, as in a live stream.
    for (let i = 0; i < records.length; i += 1_000) {
      source.push(records.slice(i, i + 1_000).map((r) => ({ key: r.key, value: r.value, timestamp: r.ts })));
      await new Promise((r) => setTimeout(r, 30));
    }
    const { validIds, rejected, duplicates } = expectedOutcome(records);
    const bronze = await ws.lakehouse.table(TABLES.bronze);
    const silver = await ws.lakehouse.table(TABLES.silver);
    const gold = await ws.lakehouse.table(TABLES.gold);
    await waitFor(
      async () => {
        const counts = await tableCounts(ws.lakehouse);
        if (counts[TABLES.bronze] !== records.length) return false;
        const b = (await bronze.latest()).version;
        const s = await silver.latest();
        const g = await gold.latest();
        return (
          s.txn(`silver:${TABLES.bronze}`)?.version === b &&
          g.txn(`gold:${TABLES.silver}`)?.version === s.version
        );
      },
      60_000,
      async () =>
        JSON.stringify({ counts: await tableCounts(ws.lakehouse), status: runners.map((r) => r.status()) }),
    );
    for (const r of runners) await r.stop();

    // Bronze: every record once, in its partition's offset order.
    const bronzeRows = await query(
      ws.lakehouse,
      `SELECT count(*) AS n, count(DISTINCT (kafka_partition, kafka_offset)) AS distinct_positions FROM (${await scan(bronze)})`,
    );
    expect(bronzeRows[0]).toEqual({ n: records.length, distinct_positions: records.length });

    // Silver: exactly the valid events, once each.
    const silverRows = await query(ws.lakehouse, `SELECT event_id FROM (${await scan(silver)})`);
    expect(silverRows.length).toBe(validIds.size);
    expect(new Set(silverRows.map((r) => r['event_id']))).toEqual(validIds);
    // Silver's layout: a partition per event type; each file holds its type's events only, by ts.
    const silverSnapshot = await silver.latest();
    expect(silverSnapshot.partitionColumns).toEqual(['event_type']);
    const types = new Set(silverSnapshot.files().map((f) => f.add.partitionValues?.['event_type']));
    expect(types).toEqual(new Set(['page_view', 'add_to_cart', 'purchase']));
    for (const f of silverSnapshot.files()) {
      expect(f.add.path).toMatch(new RegExp(`^event_type=${f.add.partitionValues?.['event_type']}/`));
      const ts = await query(ws.lakehouse, `SELECT epoch_ms(ts) AS t FROM read_parquet('${f.url}')`);
      const times = ts.map((r) => Number(r['t']));
      expect(times).toEqual([...times].sort((a, b) => a - b));
    }

    // Quarantine: every rejected record and every duplicate, with reasons.
    const reasons = await query(
      ws.lakehouse,
      `SELECT split_part(reason, ':', 1) AS code, count(*) AS n FROM (${await scan(await ws.lakehouse.table(TABLES.quarantine))}) GROUP BY ALL ORDER BY ALL`,
    );
    const byCode = Object.fromEntries(reasons.map((r) => [r['code'], r['n']]));
    expect(Object.values(byCode).reduce((a: number, b) => a + Number(b), 0)).toBe(rejected + duplicates);
    expect(byCode['duplicate']).toBe(duplicates);
    expect(records.length).toBe(validIds.size + rejected + duplicates);

    // Gold: equal to the aggregation recomputed from Silver.
    expect(await goldMismatches(ws.lakehouse)).toEqual([]);
    const statuses = runners.map((r) => r.status());
    expect(statuses.map((s) => s.state)).toEqual(['stopped', 'stopped', 'stopped']);
    expect(statuses[1]!.totals.counters['duplicates']).toBe(duplicates);
  }, 180_000);
});
