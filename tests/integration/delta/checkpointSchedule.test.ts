// Checkpoints started by commits: every `delta.checkpointInterval` versions, but never queued
// behind one being written, and after a slow one (a second or more) not again before nine
// times its duration has passed. The checkpoint's own duration is stretched with a spy; the
// commits are real.
import path from 'node:path';
import { DeltaTable, field, struct } from '@rt-lakehouse/kernel-helpers';
import { describe, expect, it, vi } from 'vitest';
import { deltaWorkspace } from '../../support/deltaWorkspace.js';

const ws = deltaWorkspace();
const schema = struct(field('id', 'long'));

async function tableWithSlowCheckpoints(name: string, ms: number) {
  const t = await DeltaTable.forPath(path.join(ws.dir, name), { duck: ws.duck });
  await t.create({ schema, properties: { 'delta.checkpointInterval': '2' } });
  const real = t.checkpoint.bind(t);
  const versions: number[] = [];
  vi.spyOn(t, 'checkpoint').mockImplementation(async (snapshot) => {
    versions.push(snapshot!.version);
    await new Promise((r) => setTimeout(r, ms));
    await real(snapshot);
  });
  return { t, versions };
}

describe('background checkpoints', () => {
  it('are written every interval while they are quick', async () => {
    const { t, versions } = await tableWithSlowCheckpoints('quick', 0);
    for (let i = 1; i <= 8; i++) {
      await t.write({ rows: [{ id: i }] });
      await t.whenIdle();
    }
    expect(versions).toEqual([2, 4, 6, 8]);
  });

  it('never queue behind one being written, and a slow one spaces out the next', async () => {
    const { t, versions } = await tableWithSlowCheckpoints('slow', 1_100);
    const started = Date.now();
    for (let i = 1; i <= 12; i++) await t.write({ rows: [{ id: i }] });
    // v2 started one; v4..v12 came while it was written.
    expect(versions).toEqual([2]);
    await t.whenIdle();
    const tookMs = Date.now() - started;
    // Right after a checkpoint of over a second, the next multiples are passed over...
    for (let i = 13; i <= 16; i++) await t.write({ rows: [{ id: i }] });
    expect(versions).toEqual([2]);
    await t.whenIdle();
    // ...until nine times its duration has passed.
    await new Promise((r) => setTimeout(r, 9 * tookMs + 200));
    await t.write({ rows: [{ id: 17 }] }); // v17
    await t.write({ rows: [{ id: 18 }] }); // v18
    await t.whenIdle();
    expect(versions).toEqual([2, 18]);
    expect((await t.readRows()).length).toBe(18);
  }, 30_000);
});
