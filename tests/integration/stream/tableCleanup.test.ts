// The compactor's cleanup (services/src/pipelines/tableMaintenance.ts): expired log files and
// VACUUM, per table, never taking away what a stream reading the table still needs.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { field, Lakehouse, struct } from '@rt-lakehouse/kernel-helpers';
import { describe, expect, it } from 'vitest';
import { startTableMaintenance } from '../../../services/src/pipelines/tableMaintenance.js';
import { lakehouseWorkspace } from '../../support/lakehouseWorkspace.js';

const noop = () => {};
const logger = { debug: noop, info: noop, warn: noop, error: noop };
const schema = struct(field('id', 'long'));
const SHORT = {
  'delta.logRetentionDuration': 'interval 2 seconds',
  'delta.deletedFileRetentionDuration': 'interval 2 seconds',
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const ws = lakehouseWorkspace();

const folder = async (table: string) => (await ws.lakehouse.table(table)).store.root;
const parquetFiles = async (table: string) =>
  (await fs.readdir(await folder(table))).filter((f) => f.endsWith('.parquet'));

describe('table cleanup', () => {
  it('cuts logs and vacuums, but not below what a stream reading the table still has to read', async () => {
    const src = await ws.lakehouse.table('src');
    await src.create({ schema, properties: SHORT }); // v0
    for (let i = 1; i <= 24; i++) await src.write({ rows: [{ id: i }] }); // v1..v24, checkpoints 10, 20
    expect((await src.optimize({ minFileBytes: 1 << 20 })).filesRemoved).toBe(24); // v25
    await src.whenIdle();
    // A stream copying src into dst has read up to version 12 (its txn in dst).
    const dst = await ws.lakehouse.table('dst');
    await dst.create({ schema });
    await dst.write({ rows: [{ id: 0 }] }, { txns: [{ appId: 'copy:src', version: 12 }] });
    // A table that keeps its log whatever its retention.
    const kept = await ws.lakehouse.table('kept');
    await kept.create({ schema, properties: { ...SHORT, 'delta.enableExpiredLogCleanup': 'false' } });
    for (let i = 1; i <= 12; i++) await kept.write({ rows: [{ id: i }] });
    await kept.whenIdle();
    await sleep(2_500);

    const m = startTableMaintenance({
      lakehouse: ws.lakehouse,
      tables: ['src', 'dst', 'kept'],
      logger,
      everyMs: 3_600_000,
      cleanupEveryMs: 0,
    });
    try {
      // The stream needs version 13 next: the log is cut at checkpoint 10, not 20, and VACUUM
      // waits (the files of versions 13-24, compacted away at 25, are past the retention).
      expect(await m.cleanupOnce()).toEqual([
        { table: 'src', logFilesDeleted: 10, oldestVersion: 10, filesVacuumed: undefined },
        { table: 'dst', logFilesDeleted: 0, oldestVersion: undefined, filesVacuumed: 0 },
        { table: 'kept', logFilesDeleted: 0, oldestVersion: undefined, filesVacuumed: 0 },
      ]);
      expect(await parquetFiles('src')).toHaveLength(25);
      const streamed = await (await ws.lakehouse.table('src')).snapshot({ version: 13 });
      expect(streamed.numFiles).toBe(13);

      // Caught up: cut at checkpoint 20 (commits 10-19 and checkpoint 10) and the 24 removed files go.
      await dst.write({ rows: [{ id: 1 }] }, { txns: [{ appId: 'copy:src', version: 25 }] });
      const [after] = await m.cleanupOnce();
      expect(after).toEqual({ table: 'src', logFilesDeleted: 11, oldestVersion: 20, filesVacuumed: 24 });
      expect(await parquetFiles('src')).toHaveLength(1);
      const rows = await (await Lakehouse.open({ dir: ws.dir, duck: ws.lakehouse.duck })).table('src');
      expect((await rows.readRows()).map((r) => Number(r['id'])).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 24 }, (_, i) => i + 1),
      );
      expect(
        (await fs.readdir(path.join(await folder('kept'), '_delta_log'))).filter((n) => n.endsWith('.json')),
      ).toHaveLength(13);
    } finally {
      await m.stop();
    }
  });
});
