// KpiSnapshotCache: one read for concurrent requests, a new version read at once, a stale
// snapshot served while one background read refreshes it, failures not kept.
import { describe, expect, it } from 'vitest';
import { KpiSnapshotCache } from '../../../services/src/assistant/KpiSnapshotCache.js';
import type { Kpis } from '../../../services/src/assistant/readKpis.js';

function setup(ttlMs = 1_000) {
  let version: number | null = 1;
  let now = 0;
  let reads = 0;
  let fail = false;
  const cache = new KpiSnapshotCache({
    read: async (range) => {
      reads++;
      await new Promise((r) => setTimeout(r, 5));
      if (fail) throw new Error('engine closed');
      return { table: 'gold_kpis', version, generatedAt: `read ${reads}`, range } as unknown as Kpis;
    },
    version: async () => version,
    ttlMs,
    now: () => now,
  });
  return {
    cache,
    reads: () => reads,
    setVersion: (v: number | null) => {
      version = v;
    },
    advance: (ms: number) => {
      now += ms;
    },
    failNext: (f: boolean) => {
      fail = f;
    },
  };
}

const range = { minutes: 60, series: false };

describe('KpiSnapshotCache', () => {
  it('reads once for many concurrent requests of the same range and version', async () => {
    const t = setup();
    const answers = await Promise.all(Array.from({ length: 50 }, () => t.cache.get(range)));
    expect(t.reads()).toBe(1);
    expect(new Set(answers.map((a) => a.generatedAt))).toEqual(new Set(['read 1']));
    await t.cache.get({ minutes: 5, series: false });
    expect(t.reads()).toBe(2);
  });

  it('reads a new gold_kpis version at once', async () => {
    const t = setup();
    await t.cache.get(range);
    t.setVersion(2);
    expect((await t.cache.get(range)).version).toBe(2);
    expect(t.reads()).toBe(2);
  });

  it('serves the stale snapshot past the TTL while one background read refreshes it', async () => {
    const t = setup();
    await t.cache.get(range);
    t.advance(1_500);
    const stale = await Promise.all([t.cache.get(range), t.cache.get(range)]);
    expect(stale.map((a) => a.generatedAt)).toEqual(['read 1', 'read 1']);
    expect(t.reads()).toBe(2);
    await new Promise((r) => setTimeout(r, 20));
    expect((await t.cache.get(range)).generatedAt).toBe('read 2');
  });

  it('does not keep a failed read, and reads every time with a TTL of 0', async () => {
    const t = setup();
    t.failNext(true);
    await expect(t.cache.get(range)).rejects.toThrow('engine closed');
    t.failNext(false);
    expect((await t.cache.get(range)).generatedAt).toBe('read 2');
    const off = setup(0);
    await off.cache.get(range);
    await off.cache.get(range);
    expect(off.reads()).toBe(2);
  });
});
