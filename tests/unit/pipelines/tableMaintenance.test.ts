// When compaction rounds happen: the first after firstRoundInMs (default everyMs), then every
// everyMs; none after stop; a cleanup with the first round and then every cleanupEveryMs. The
// lakehouse here only counts the table lookups (one per table for a round, one for a cleanup).
import type { Lakehouse } from '@rt-lakehouse/kernel-helpers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startTableMaintenance } from '../../../services/src/pipelines/tableMaintenance.js';

const noop = () => {};
const logger = { debug: noop, info: noop, warn: noop, error: noop };

function countingLakehouse() {
  const rounds: number[] = [];
  const lakehouse = {
    table: async () => {
      rounds.push(Date.now());
      return { exists: async () => false };
    },
  } as unknown as Lakehouse;
  return { lakehouse, rounds };
}

/** Maintenance of table 't' every second on a counting lakehouse, with `options` on top. */
function startCounted(options: Partial<Parameters<typeof startTableMaintenance>[0]>) {
  const { lakehouse, rounds } = countingLakehouse();
  const m = startTableMaintenance({ lakehouse, tables: ['t'], logger, everyMs: 1_000, ...options });
  return { m, rounds };
}

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('startTableMaintenance', () => {
  it('runs the first round after firstRoundInMs, then every everyMs, and none once stopped', async () => {
    const { m, rounds } = startCounted({ firstRoundInMs: 300, cleanupEveryMs: 0 });
    await vi.advanceTimersByTimeAsync(299);
    expect(rounds).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(rounds).toEqual([300]);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(rounds).toEqual([300, 1_300, 2_300]);
    await m.stop();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(rounds).toHaveLength(3);
  });

  it('runs the first round after everyMs by default', async () => {
    const { m, rounds } = startCounted({ cleanupEveryMs: 0 });
    await vi.advanceTimersByTimeAsync(999);
    expect(rounds).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(rounds).toEqual([1_000]);
    await m.stop();
  });

  it('cleans up with the first round, then with the first round cleanupEveryMs after the last', async () => {
    const { m, rounds } = startCounted({ cleanupEveryMs: 2_500 });
    await vi.advanceTimersByTimeAsync(4_000);
    expect(rounds).toEqual([1_000, 1_000, 2_000, 3_000, 4_000, 4_000]);
    await m.stop();
  });
});
