// Tombstones are not held by snapshots: a checkpoint takes the newest checkpoint's remove rows
// (copied by DuckDB) and the removes of the commits after it. Checked against a plain replay of
// every commit file, across checkpoints, with tombstones expiring, files re-added and removed
// again, and delta-rs reading the result.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DeltaTable, field, parseCommitFile, struct, where } from '@rt-lakehouse/kernel-helpers';
import { describe, expect, it } from 'vitest';
import { deltaWorkspace } from '../../support/deltaWorkspace.js';

const ws = deltaWorkspace();
const RETENTION_S = 6;
const sleepUntil = (t: number) => new Promise((r) => setTimeout(r, Math.max(0, t - Date.now())));
const schema = struct(field('id', 'long'), field('name', 'string'));
const rows = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => ({ id: from + i, name: `n${from + i}` }));

/** The remove rows of checkpoint `version`: path → deletionTimestamp. */
async function checkpointTombstones(dir: string, version: number): Promise<Map<string, number>> {
  const file = path.join(dir, '_delta_log', `${String(version).padStart(20, '0')}.checkpoint.parquet`);
  const c = await ws.duck.connect();
  try {
    const reader = await c.runAndReadAll(
      `SELECT remove.path, remove.deletionTimestamp, remove.dataChange FROM read_parquet('${file}') WHERE remove IS NOT NULL`,
    );
    const out = new Map<string, number>();
    for (const [p, ts, dataChange] of reader.getRows() as [string, bigint, boolean][]) {
      expect(out.has(p), `${p} appears once`).toBe(false);
      expect(dataChange).toBe(false);
      out.set(p, Number(ts));
    }
    return out;
  } finally {
    c.closeSync();
  }
}

/** Tombstones by plain replay of commits 0..version: the last action per path is a remove. */
async function replayedTombstones(
  dir: string,
  version: number,
  cutoff: number,
): Promise<Map<string, number>> {
  const last = new Map<string, { removed: boolean; at: number }>();
  for (let v = 0; v <= version; v++) {
    const text = await fs.readFile(
      path.join(dir, '_delta_log', `${String(v).padStart(20, '0')}.json`),
      'utf8',
    );
    for (const a of parseCommitFile(text, 't', v)) {
      if (a.kind === 'add') last.set(a.add.path, { removed: false, at: 0 });
      if (a.kind === 'remove')
        last.set(a.remove.path, { removed: true, at: a.remove.deletionTimestamp ?? 0 });
    }
  }
  return new Map([...last].filter(([, s]) => s.removed && s.at > cutoff).map(([p, s]) => [p, s.at]));
}

/** The path of the data file whose smallest id is `id` (from the add statistics in the log). */
async function fileOf(dir: string, id: number): Promise<string> {
  const names = (await fs.readdir(path.join(dir, '_delta_log'))).filter((n) => /^\d{20}\.json$/.test(n));
  for (const name of names.sort()) {
    const text = await fs.readFile(path.join(dir, '_delta_log', name), 'utf8');
    for (const a of parseCommitFile(text, 't', Number(name.slice(0, 20))))
      if (a.kind === 'add' && JSON.parse(a.add.stats ?? '{}').minValues?.id === id) return a.add.path;
  }
  throw new Error(`no file starts at id ${id}`);
}

/** Commits an add of a file the table removed earlier (as RESTORE would), by hand. */
async function reAdd(dir: string, filePath: string, version: number) {
  const log = (v: number) => path.join(dir, '_delta_log', `${String(v).padStart(20, '0')}.json`);
  let add: unknown;
  for (let v = 0; v < version && !add; v++)
    for (const a of parseCommitFile(await fs.readFile(log(v), 'utf8'), 't', v))
      if (a.kind === 'add' && a.add.path === filePath) add = a.add;
  expect(add, `an add of ${filePath} before v${version}`).toBeDefined();
  const commitInfo = { timestamp: Date.now(), operation: 'RESTORE' };
  await fs.writeFile(log(version), `${JSON.stringify({ commitInfo })}\n${JSON.stringify({ add })}\n`, {
    flag: 'wx',
  });
}

describe('tombstones', () => {
  it('a checkpoint carries the previous one’s unexpired tombstones and the newer removes, once each', async () => {
    const dir = path.join(ws.dir, 'carry');
    const t = await DeltaTable.forPath(dir, { duck: ws.duck });
    const t0 = Date.now();
    await t.create({
      schema,
      properties: { 'delta.deletedFileRetentionDuration': `interval ${RETENTION_S} seconds` },
    }); // v0
    await t.write({ rows: rows(0, 10) }); // v1
    await t.write({ rows: rows(10, 20) }); // v2
    await t.write({ rows: rows(100, 110) }, { mode: 'overwrite' }); // v3: removes the first two
    await sleepUntil(t0 + 3_500);
    await t.write({ rows: rows(200, 210) }); // v4
    await t.write({ rows: rows(220, 230) }); // v5
    await t.write({ rows: rows(300, 310) }); // v6
    // v7: removes the files of ids 100, 200 and 220 (and adds one of 250).
    await t.write({ rows: rows(250, 260) }, { mode: 'overwrite', replaceWhere: where.lt('id', 300) });
    await t.checkpoint(); // of v7
    const first = await checkpointTombstones(dir, 7);
    expect(first).toEqual(await replayedTombstones(dir, 7, 0));
    expect(first.size).toBe(5);
    const file100 = await fileOf(dir, 100);
    const file200 = await fileOf(dir, 200);
    const file220 = await fileOf(dir, 220);
    expect([file100, file200, file220].every((f) => first.has(f))).toBe(true);

    await reAdd(dir, file100, 8); // v8
    await reAdd(dir, file200, 9); // v9
    expect((await t.latest()).version).toBe(9);
    expect(await t.readRows().then((r) => r.length)).toBe(40);
    // v10 removes the file of ids 100 again (and adds one of 150); v11 appends.
    await t.write({ rows: rows(150, 160) }, { mode: 'overwrite', replaceWhere: where.lt('id', 200) });
    await t.write({ rows: rows(600, 610) }); // v11
    // The automatic checkpoint of v10: checkpoint 7's tombstones (all unexpired yet) except the
    // re-added ones, and v10's removes.
    await t.whenIdle();
    expect(await checkpointTombstones(dir, 10)).toEqual(await replayedTombstones(dir, 10, 0));
    // Now the files removed at v3 have expired, those removed at v7 have not.
    await sleepUntil(t0 + RETENTION_S * 1000 + 500);
    const cutoff = Date.now() - RETENTION_S * 1000;
    await t.checkpoint(); // of v11, from checkpoint 10 and commit 11
    const second = await checkpointTombstones(dir, 11);
    expect(second).toEqual(await replayedTombstones(dir, 11, cutoff));
    expect([...second.values()].every((at) => at > cutoff)).toBe(true);
    // Carried from checkpoint 7 untouched; removed again at v10 (once, with v10's time); re-added
    // and live again, so not a tombstone; expired.
    expect(second.get(file220)).toBe(first.get(file220));
    expect(second.get(file100)).toBeGreaterThan(first.get(file100)!);
    expect(second.has(file200)).toBe(false);
    expect((await t.latest()).files().some((f) => f.add.path === file200)).toBe(true);
    expect(second.size).toBe(2);

    // A reader starting from the checkpoint sees the same rows as the table.
    const fresh = await DeltaTable.forPath(dir, { duck: ws.duck });
    const ids = (r: Record<string, unknown>[]) => r.map((x) => Number(x['id'])).sort((a, b) => a - b);
    expect(ids(await fresh.readRows())).toEqual(ids(await t.readRows()));
    expect((await fresh.latest()).version).toBe(11);
  });

  it('snapshots do not hold tombstones, and VACUUM still keeps files removed within the retention', async () => {
    const dir = path.join(ws.dir, 'vacuum');
    const t = await DeltaTable.forPath(dir, { duck: ws.duck });
    await t.create({ schema }); // v0
    // v1..v12, overwriting at v3, v6, v9 and v12: one live file, 11 removed.
    for (let i = 0; i < 12; i++)
      await t.write({ rows: rows(i * 10, i * 10 + 10) }, i % 3 === 2 ? { mode: 'overwrite' } : {});
    await t.whenIdle(); // the automatic checkpoint of v10
    await fs.access(path.join(dir, '_delta_log', `${String(10).padStart(20, '0')}.checkpoint.parquet`));
    const snapshot = await (await DeltaTable.forPath(dir, { duck: ws.duck })).latest();
    expect(snapshot.state).not.toHaveProperty('tombstones');
    expect(snapshot.files()).toHaveLength(1);
    // Every data file written two days ago: only the tombstones (from checkpoint 10 and commits
    // 11 and 12, all removed just now) keep the removed ones from a 24-hour VACUUM.
    const files = (await fs.readdir(dir)).filter((f) => f.endsWith('.parquet'));
    expect(files).toHaveLength(12);
    const twoDaysAgo = new Date(Date.now() - 48 * 3_600_000);
    for (const f of files) await fs.utimes(path.join(dir, f), twoDaysAgo, twoDaysAgo);
    const options = { dryRun: true, retentionHours: 24, enforceRetentionDuration: false };
    expect((await t.vacuum(options)).files).toEqual([]);
    // Two days on, the tombstones have expired and the 11 removed files go; the live one stays.
    const expired = await t.vacuum({ ...options, now: Date.now() + 48 * 3_600_000 });
    expect(expired.files).toHaveLength(11);
    expect(expired.files.map((f) => path.basename(f))).not.toContain(path.basename(snapshot.files()[0]!.url));
  });
});
