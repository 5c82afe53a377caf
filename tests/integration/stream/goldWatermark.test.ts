// Gold's watermark over source partitions it has not seen yet (docs/streaming.md, "Event time"):
// Silver receives 50 minutes of partition 0 before partition 1's events of the same span, as when
// Bronze reads a backlog one Kafka partition ahead of the others. Told how many partitions there
// are, Gold holds its watermark until it has seen them all, and gold_kpis equals the KPIs
// recomputed from Silver; without that count it declares partition 1's first events late. A
// partition that never shows up holds the watermark only for `idleMs` of processing time.
import {
  createEventGenerator,
  type EcommerceEvent,
  Lakehouse,
  noopLogger,
  PipelineRunner,
  parseRawEvent,
} from '@rt-lakehouse/kernel-helpers';
import {
  type GoldPipelineOptions,
  goldPipeline,
  SILVER_EVENTS_SCHEMA,
  TABLES,
} from '@rt-lakehouse/pipelines';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goldMismatches, waitFor } from '../../support/medallionChecks.js';
import { makeTempDir, removeDir } from '../../support/tempDir.js';

const T0 = Date.UTC(2026, 10, 2, 2, 0, 0);
const MINUTE = 60_000;
const LATENESS = 15 * MINUTE;

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir();
});
afterAll(async () => removeDir(dir));

interface SilverEvent {
  event: EcommerceEvent;
  partition: number;
  offset: number;
}

/** 50 minutes of valid events from T0, alternately in partitions 0 and 1. */
function backlog(): { p0: SilverEvent[]; p1: SilverEvent[] } {
  const events = createEventGenerator({ seed: 17, start: T0, end: T0 + 50 * MINUTE, eventsPerSecond: 1 })
    .take(100_000)
    .map((r) => parseRawEvent(r.value))
    .flatMap((p) => (p.success ? [p.event] : []));
  const p0: SilverEvent[] = [];
  const p1: SilverEvent[] = [];
  for (const event of events) {
    const into = (p0.length + p1.length) % 2 === 0 ? p0 : p1;
    into.push({ event, partition: into === p0 ? 0 : 1, offset: into.length });
  }
  return { p0, p1 };
}

/** An event like `template`, with its own id and event time, in `partition`. */
function eventAt(template: SilverEvent, ts: number, partition: number, offset: number): SilverEvent {
  const id = `00000000-0000-4000-8000-${String(offset).padStart(12, '0')}`;
  return { event: { ...template.event, event_id: id, ts: new Date(ts) }, partition, offset };
}

const tsOf = (e: SilverEvent) => e.event.ts.getTime();
const windowEnd = (ts: number) => Math.floor(ts / MINUTE) * MINUTE + MINUTE;

/** A Gold runner over a Silver table the test writes, one commit at a time. */
async function goldOver(name: string, options: GoldPipelineOptions) {
  const lakehouse = await Lakehouse.open({ dir: `${dir}/${name}` });
  const silver = await lakehouse.table(TABLES.silver);
  await silver.create({ schema: SILVER_EVENTS_SCHEMA });
  const newRunner = () =>
    new PipelineRunner(goldPipeline({ trigger: { kind: 'continuous', maxWaitMs: 20 }, ...options }), {
      lakehouse,
      logger: noopLogger,
    });
  let runner = newRunner();
  await runner.start();
  const gold = await lakehouse.table(TABLES.gold);
  return {
    lakehouse,
    status: () => runner.status(),
    late: () => runner.status().totals.counters['lateBeyondWatermark'] ?? 0,
    watermark: () => {
      const w = runner.status().watermark;
      return w === undefined ? undefined : Date.parse(w);
    },
    /** Commits `rows` to Silver in one version and waits until Gold has processed it. */
    async commit(rows: readonly SilverEvent[]) {
      const columns: Record<string, unknown[]> = Object.fromEntries(
        SILVER_EVENTS_SCHEMA.fields.map((f) => [f.name, []]),
      );
      for (const { event, partition, offset } of rows) {
        const row: Record<string, unknown> = {
          ...event,
          source_partition: partition,
          source_offset: BigInt(offset),
          ingested_at: Date.now(),
        };
        for (const [name, values] of Object.entries(columns)) values.push(row[name]);
      }
      const { version } = await silver.write({ columns, rowCount: rows.length });
      await waitFor(
        async () =>
          (await gold.exists()) && (await gold.latest()).txn(`gold:${TABLES.silver}`)?.version === version,
        60_000,
        async () => JSON.stringify(runner.status()),
      );
    },
    /** Stops Gold and starts a new one: it rebuilds its state from Silver as of its last commit. */
    async restart() {
      await runner.stop();
      runner = newRunner();
      await runner.start();
    },
    async stop() {
      await runner.stop();
      lakehouse.close();
    },
  };
}

describe("Gold's watermark on a backlog read one partition ahead", () => {
  it('with sourcePartitions, waits for every partition: gold_kpis equals the KPIs recomputed from Silver', async () => {
    const { p0, p1 } = backlog();
    expect(tsOf(p0[p0.length - 1]!) - tsOf(p0[0]!)).toBeGreaterThan(45 * MINUTE);
    const g = await goldOver('counted', { sourcePartitions: 2 });
    await g.commit(p0);
    // One partition of two seen: no watermark yet, no window final.
    expect(g.watermark()).toBeUndefined();
    await g.commit(p1);
    expect(g.late()).toBe(0);
    expect(await goldMismatches(g.lakehouse)).toEqual([]);
    const newest = Math.min(Math.max(...p0.map(tsOf)), Math.max(...p1.map(tsOf)));
    expect(g.watermark()).toBe(newest - LATENESS);
    await g.stop();
  }, 120_000);

  it('with sourcePartitions, the watermark is still held after a restart between the partitions', async () => {
    const { p0, p1 } = backlog();
    const g = await goldOver('restarted', { sourcePartitions: 2 });
    await g.commit(p0);
    await g.restart();
    await g.commit(p1);
    expect(g.late()).toBe(0);
    expect(await goldMismatches(g.lakehouse)).toEqual([]);
    await g.stop();
  }, 120_000);

  it('without sourcePartitions (only partitions seen count), partition 1’s first events are late', async () => {
    const { p0, p1 } = backlog();
    const g = await goldOver('seen-only', {});
    await g.commit(p0);
    const watermark = Math.max(...p0.map(tsOf)) - LATENESS;
    expect(g.watermark()).toBe(watermark);
    await g.commit(p1);
    const late = p1.filter((e) => windowEnd(tsOf(e)) <= watermark).length;
    expect(late).toBeGreaterThan(100);
    expect(g.late()).toBe(late);
    expect((await goldMismatches(g.lakehouse)).length).toBeGreaterThan(0);
    await g.stop();
  }, 120_000);

  it('a partition never seen holds the watermark for idleMs of processing time, then counts as idle', async () => {
    const { p0 } = backlog();
    let clock = 1_000_000;
    const g = await goldOver('idle', { sourcePartitions: 2, idleMs: 60_000, now: () => clock });
    await g.commit(p0);
    expect(g.watermark()).toBeUndefined();
    const newest = Math.max(...p0.map(tsOf));
    const template = p0[0]!;
    // 59 s after Gold's first event: still waiting for partition 1.
    clock += 59_000;
    await g.commit([eventAt(template, newest + 1_000, 0, p0.length)]);
    expect(g.watermark()).toBeUndefined();
    // 60 s: partition 1 is idle; the watermark follows partition 0.
    clock += 1_000;
    await g.commit([eventAt(template, newest + 2_000, 0, p0.length + 1)]);
    const watermark = newest + 2_000 - LATENESS;
    expect(g.watermark()).toBe(watermark);
    expect(g.late()).toBe(0);
    // Partition 1 wakes up with old events: the watermark does not go back, they are late.
    await g.commit([
      eventAt(template, T0 + 5_000, 1, 0),
      eventAt(template, T0 + 10 * MINUTE, 1, 1),
      eventAt(template, newest, 1, 2),
    ]);
    expect(g.late()).toBe(2);
    expect(g.watermark()).toBe(watermark);
    await g.stop();
  }, 120_000);
});
