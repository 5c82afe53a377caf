// Event-time semantics and repairs: late events inside Gold's watermark change the right
// window, later ones are counted and reported; quarantined records replay through Silver once.
import {
  createEventGenerator,
  type GeneratedRecord,
  Lakehouse,
  MemoryStreamSource,
  noopLogger,
  PipelineRunner,
  parseRawEvent,
} from '@rt-lakehouse/kernel-helpers';
import {
  bronzePipeline,
  goldPipeline,
  replayQuarantine,
  silverPipeline,
  TABLES,
} from '@rt-lakehouse/pipelines';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query, scan, waitFor } from '../../support/medallionChecks.js';
import { makeTempDir, removeDir } from '../../support/tempDir.js';

let dir: string;
const T0 = Date.UTC(2026, 10, 1, 12, 0, 0);
const MINUTE = 60_000;

beforeAll(async () => {
  dir = await makeTempDir();
});
afterAll(async () => removeDir(dir));

/** A running medallion over an in-process source, with helpers to push and wait. */
async function medallion(name: string) {
  const lakehouse = await Lakehouse.open({ dir: `${dir}/${name}` });
  const source = new MemoryStreamSource(name, 3);
  const registry = new Registry();
  const env = { lakehouse, logger: noopLogger };
  const fast = { kind: 'continuous' as const, maxWaitMs: 20 };
  const runners = [
    new PipelineRunner(bronzePipeline({ source: () => source, trigger: fast }), env, { registry }),
    new PipelineRunner(silverPipeline({ trigger: fast }), env, { registry }),
    new PipelineRunner(goldPipeline({ trigger: fast }), env, { registry }),
  ];
  for (const r of runners) await r.start();
  let pushed = 0;
  const settle = async () =>
    waitFor(
      async () => {
        const bronze = await lakehouse.table(TABLES.bronze);
        if (!(await bronze.exists()) || (await bronze.latest()).numRecords() !== pushed) return false;
        const s = await (await lakehouse.table(TABLES.silver)).latest();
        const g = await (await lakehouse.table(TABLES.gold)).latest();
        return (
          s.txn(`silver:${TABLES.bronze}`)?.version === (await bronze.latest()).version &&
          g.txn(`gold:${TABLES.silver}`)?.version === s.version
        );
      },
      60_000,
      async () => JSON.stringify(runners.map((r) => r.status())),
    );
  return {
    lakehouse,
    runners,
    registry,
    async push(records: readonly GeneratedRecord[]) {
      source.push(records.map((r) => ({ key: r.key, value: r.value, timestamp: r.ts })));
      pushed += records.length;
      await settle();
    },
    async window(start: number) {
      const rows = await query(
        lakehouse,
        `SELECT total_events, orders FROM (${await scan(await lakehouse.table(TABLES.gold))}) WHERE window_start = TIMESTAMPTZ '${new Date(start).toISOString()}'`,
      );
      return rows[0];
    },
    async stop() {
      for (const r of runners) await r.stop();
      lakehouse.close();
    },
  };
}

/** A valid event JSON like `template` but with its own id and event time. */
function eventAt(template: GeneratedRecord, ts: number, id: string): GeneratedRecord {
  const event = JSON.parse(template.value) as Record<string, unknown>;
  return {
    key: template.key,
    ts,
    value: JSON.stringify({ ...event, event_id: id, ts: new Date(ts).toISOString() }),
  };
}

describe('late data', () => {
  it('inside the watermark changes the right Gold window; beyond it is counted and reported', async () => {
    const m = await medallion('late');
    // 30 minutes of traffic in every partition: the watermark ends near T0 + 15 min.
    const history = createEventGenerator({
      seed: 3,
      start: T0,
      end: T0 + 30 * MINUTE,
      eventsPerSecond: 5,
    }).take(100_000);
    await m.push(history);
    const template = history.find((r) => parseRawEvent(r.value).success)!;

    const inside = T0 + 20 * MINUTE + 5_000;
    const before = await m.window(T0 + 20 * MINUTE);
    await m.push([eventAt(template, inside, '11111111-1111-4111-8111-111111111111')]);
    expect(await m.window(T0 + 20 * MINUTE)).toEqual({
      ...before,
      total_events: Number(before!['total_events']) + 1,
    });

    const beyond = T0 + 2 * MINUTE + 5_000;
    const final = await m.window(T0 + 2 * MINUTE);
    await m.push([eventAt(template, beyond, '22222222-2222-4222-8222-222222222222')]);
    expect(await m.window(T0 + 2 * MINUTE)).toEqual(final);
    // Not lost: Silver has it, and Gold reports it as late in its status and its metrics.
    const silver = await query(
      m.lakehouse,
      `SELECT count(*) AS n FROM (${await scan(await m.lakehouse.table(TABLES.silver))}) WHERE event_id = '22222222-2222-4222-8222-222222222222'`,
    );
    expect(silver).toEqual([{ n: 1 }]);
    const gold = m.runners[2]!.status();
    expect(gold.totals.counters['lateBeyondWatermark']).toBe(1);
    // The watermark: the oldest partition's newest event (about T0 + 30 min) less 15 minutes.
    const watermark = Date.parse(gold.watermark!);
    expect(watermark).toBeGreaterThan(T0 + 14 * MINUTE);
    expect(watermark).toBeLessThanOrEqual(T0 + 15 * MINUTE);
    expect(await m.registry.getSingleMetricAsString('rtl_pipeline_events_total')).toContain(
      'rtl_pipeline_events_total{pipeline="gold",counter="lateBeyondWatermark"} 1',
    );
    await m.stop();
  }, 120_000);
});

describe('quarantine replay', () => {
  it('replays fixed records into Silver exactly once, also when run again', async () => {
    const m = await medallion('replay');
    const records = createEventGenerator({
      seed: 5,
      start: T0,
      eventsPerSecond: 10,
      faults: { wrongType: 0.05, malformedJson: 0.02 },
    }).take(4_000);
    await m.push(records);
    const silverTable = await m.lakehouse.table(TABLES.silver);
    const quarantineTable = await m.lakehouse.table(TABLES.quarantine);
    const count = async (sql: string) => Number((await query(m.lakehouse, sql))[0]!['n']);
    const silverBefore = await count(`SELECT count(*) AS n FROM (${await scan(silverTable)})`);
    const wrongType = await count(
      `SELECT count(*) AS n FROM (${await scan(quarantineTable)}) WHERE reason LIKE 'invalid_type%'`,
    );
    expect(wrongType).toBeGreaterThan(100);

    // The fix: numbers that arrived as words or quoted junk become sensible values.
    const fix = (raw: string) => {
      const e = JSON.parse(raw) as Record<string, unknown>;
      for (const k of ['price', 'discount'])
        if (typeof e[k] !== 'number' && Number.isNaN(Number(e[k]))) e[k] = 0;
      if (typeof e['quantity'] !== 'number' && !Number.isInteger(Number(e['quantity']))) e['quantity'] = 1;
      return JSON.stringify(e);
    };
    const first = await replayQuarantine({
      lakehouse: m.lakehouse,
      replayId: 'fix-types',
      where: "reason LIKE 'invalid_type%'",
      fix,
    });
    expect(first.resumed).toBe(false);
    expect(first.selected).toBe(wrongType);
    expect(first.written + first.stillInvalid).toBe(wrongType);
    expect(first.written).toBeGreaterThan(0);
    expect(first.removed).toBe(first.written);
    expect(await count(`SELECT count(*) AS n FROM (${await scan(silverTable)})`)).toBe(
      silverBefore + first.written,
    );
    expect(
      await count(
        `SELECT count(*) AS n FROM (${await scan(quarantineTable)}) WHERE reason LIKE 'invalid_type%'`,
      ),
    ).toBe(first.stillInvalid);

    // Again: nothing is written twice.
    const again = await replayQuarantine({
      lakehouse: m.lakehouse,
      replayId: 'fix-types',
      where: "reason LIKE 'invalid_type%'",
      fix,
    });
    expect(again).toMatchObject({ resumed: true, written: 0, removed: 0 });
    expect(
      await count(`SELECT count(*) - count(DISTINCT event_id) AS n FROM (${await scan(silverTable)})`),
    ).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM (${await scan(silverTable)})`)).toBe(
      silverBefore + first.written,
    );
    await m.stop();
  }, 120_000);
});
