// Expired-log cleanup (delta.logRetentionDuration): the log is cut at a checkpoint whose
// preceding commits are older than the retention; the table reads the same here and in delta-rs,
// time travel reaches back to the cut and says clearly that older versions are gone.
// Needs .venv with requirements-test.txt (scripts/setup-python.sh) for the delta-rs reads.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DeltaError, DeltaTable, field, struct } from '@rt-lakehouse/kernel-helpers';
import { describe, expect, it } from 'vitest';
import { deltaWorkspace } from '../../support/deltaWorkspace.js';
import { runDeltaRs } from './deltaRsProcess.js';

const ws = deltaWorkspace();
const HOUR = 3_600_000;
const schema = struct(field('id', 'long'));
const logName = (v: number) => `${String(v).padStart(20, '0')}.json`;

/** A table at version 24 (one row per commit after v0), with automatic checkpoints at 10 and 20. */
async function tableOf24(dir: string, properties: Record<string, string> = {}) {
  const t = await DeltaTable.forPath(dir, { duck: ws.duck });
  await t.create({ schema, properties });
  for (let i = 1; i <= 24; i++) await t.write({ rows: [{ id: i }] });
  await t.whenIdle();
  return t;
}

/** Sets the modification time of commits from..to (inclusive) to `at`. */
async function ageCommits(dir: string, from: number, to: number, at: number) {
  const time = new Date(at);
  for (let v = from; v <= to; v++) await fs.utimes(path.join(dir, '_delta_log', logName(v)), time, time);
}

const logNames = async (dir: string) => (await fs.readdir(path.join(dir, '_delta_log'))).sort();

describe('expired-log cleanup', () => {
  it('cuts at the newest checkpoint before the expired commits; readers (ours and delta-rs) agree', async () => {
    const dir = path.join(ws.dir, 'cut');
    const t = await tableOf24(dir);
    const now = Date.now();
    await ageCommits(dir, 0, 14, now - 72 * HOUR);
    // Delta's default retention is 30 days: nothing is old enough yet.
    expect(await t.cleanupLog()).toEqual({ dryRun: false, cutAt: undefined, filesDeleted: 0 });

    const dry = await t.cleanupLog({ retentionHours: 48, dryRun: true });
    expect(dry).toEqual({ dryRun: true, cutAt: 10, filesDeleted: 10 });
    expect((await logNames(dir)).filter((n) => n.endsWith('.json'))).toHaveLength(25);

    // Commits 0-14 expired, 15-24 not: checkpoint 20 cannot be the cut (commit 19 is recent).
    expect(await t.cleanupLog({ retentionHours: 48 })).toEqual({
      dryRun: false,
      cutAt: 10,
      filesDeleted: 10,
    });
    const left = await logNames(dir);
    expect(left[0]).toBe(`${String(10).padStart(20, '0')}.checkpoint.parquet`);
    expect(left.filter((n) => n.endsWith('.json'))).toEqual(
      Array.from({ length: 15 }, (_, i) => logName(10 + i)),
    );

    const fresh = await DeltaTable.forPath(dir, { duck: ws.duck });
    expect((await fresh.latest()).version).toBe(24);
    expect(await fresh.readRows().then((r) => r.length)).toBe(24);
    expect((await fresh.snapshot({ version: 10 })).numFiles).toBe(10);
    const gone = await fresh.snapshot({ version: 9 }).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(DeltaError);
    expect((gone as DeltaError).code).toBe('DELTA_VERSION_NOT_FOUND');
    expect((await fresh.history()).map((h) => h.version).at(-1)).toBe(10);

    const latest = await runDeltaRs<{ version: number; numRows: number }>({ command: 'inspect', path: dir });
    expect([latest.version, latest.numRows]).toEqual([24, 24]);
    const atCut = await runDeltaRs<{ version: number; numRows: number }>({
      command: 'inspect',
      path: dir,
      version: 10,
    });
    expect([atCut.version, atCut.numRows]).toEqual([10, 10]);

    // Once commits 15-19 have expired too, a reader that still needs version 15 holds the cut
    // below it; without one the log is cut at checkpoint 20.
    await ageCommits(dir, 15, 19, now - 72 * HOUR);
    expect(await t.cleanupLog({ retentionHours: 48, keepFrom: 15 })).toMatchObject({
      cutAt: undefined,
      filesDeleted: 0,
    });
    expect(await t.cleanupLog({ retentionHours: 48 })).toEqual({
      dryRun: false,
      cutAt: 20,
      filesDeleted: 11,
    });
    expect((await logNames(dir))[0]).toBe(`${String(20).padStart(20, '0')}.checkpoint.parquet`);
    expect(await (await DeltaTable.forPath(dir, { duck: ws.duck })).readRows().then((r) => r.length)).toBe(
      24,
    );
  });

  it('follows the table’s retention properties, for the log and for VACUUM', async () => {
    const dir = path.join(ws.dir, 'properties');
    const t = await tableOf24(dir, {
      'delta.logRetentionDuration': 'interval 1 day',
      'delta.deletedFileRetentionDuration': 'interval 1 day',
    });
    expect((await t.cleanupLog()).cutAt).toBeUndefined();
    const negative = await t.cleanupLog({ retentionHours: -1 }).catch((e: unknown) => e);
    expect((negative as DeltaError).message).toContain('retention must not be negative');
    // Two days on, every commit has expired: the cut is the newest checkpoint.
    expect(await t.cleanupLog({ now: Date.now() + 48 * HOUR })).toEqual({
      dryRun: false,
      cutAt: 20,
      filesDeleted: 21,
    });
    // VACUUM's safety check is the table's own retention (24 h here), not a fixed 168 h.
    expect((await t.vacuum({ dryRun: true })).files).toEqual([]);
    const short = await t.vacuum({ dryRun: true, retentionHours: 12 }).catch((e: unknown) => e);
    expect((short as DeltaError).code).toBe('DELTA_VACUUM_RETENTION_TOO_SHORT');
    expect((short as DeltaError).message).toContain('24 hours');
  });

  it('keeps the log of a table with delta.enableExpiredLogCleanup = false, whatever the retention', async () => {
    const dir = path.join(ws.dir, 'kept');
    const t = await tableOf24(dir, { 'delta.enableExpiredLogCleanup': 'false' });
    const before = await logNames(dir);
    expect(await t.cleanupLog({ retentionHours: 0, now: Date.now() + 48 * HOUR })).toEqual({
      dryRun: false,
      disabled: true,
      cutAt: undefined,
      filesDeleted: 0,
    });
    expect(await logNames(dir)).toEqual(before);
    // Turned back on, the same call cuts.
    await t.setProperties({ 'delta.enableExpiredLogCleanup': 'true' }); // v25
    expect(await t.cleanupLog({ retentionHours: 0, now: Date.now() + 48 * HOUR })).toMatchObject({
      cutAt: 20,
    });
  });
});
