// A run records the Delta versions of the tables its notebook read, as the kernel helpers
// report them: one table of two read, a commit landing on it while the run goes on, time travel
// to an older version, and a run that fails after its reads.
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { Lakehouse } from '@rt-lakehouse/kernel-helpers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../services/src/scheduler/RunRecord.js';
import { makeTempDir, removeDir } from '../../support/tempDir.js';
import { cellsOf, runsOf, type SchedulerUnderTest, startScheduler, waitFor } from './schedulerHarness.js';

describe('the tables a run read', () => {
  let dir: string;
  let lakehouse: Lakehouse;
  let writer: Lakehouse;
  let s: SchedulerUnderTest;
  let id: string;

  beforeAll(async () => {
    dir = await makeTempDir('rtl-sched-reads-');
    writer = await Lakehouse.open({ dir: `${dir}/lake` });
    const orders = await writer.table('orders');
    await orders.write({ sql: 'SELECT 1::BIGINT AS id' });
    await orders.write({ sql: 'SELECT 2::BIGINT AS id' });
    await (await writer.table('customers')).write({ sql: 'SELECT 7::BIGINT AS id' });
    lakehouse = await Lakehouse.open({ dir: `${dir}/lake` });
    s = await startScheduler({ dir: `${dir}/scheduler`, lakehouse });
    const created = await s.api<{ schedule: { id: string } }>('POST', '/api/schedules', {
      notebook: 'reads.ipynb',
      trigger: { cron: '0 0 1 1 *' },
    });
    expect(created.status).toBe(201);
    id = created.body.schedule.id;
  });
  afterAll(async () => {
    await s?.close();
    lakehouse?.close();
    writer?.close();
    await removeDir(dir);
  });

  const finished = (runId: string) =>
    waitFor(`run ${runId} to end`, async () => {
      const run = (await runsOf(s.url, id)).find((r) => r.id === runId);
      return run && run.status !== 'queued' && run.status !== 'running' && run;
    });

  it('are the versions it read, not the latest when it started or ended, and only the tables it read', async () => {
    const holdFile = path.join(dir, 'hold');
    await fs.writeFile(holdFile, '');
    const started = await s.api<{ run: RunRecord }>('POST', `/api/schedules/${id}/run`, {
      parameters: { holdFile },
    });
    expect(started.status).toBe(202);
    // The notebook has read orders (version 1) and waits: a commit lands on orders (version 2).
    await waitFor('the first read', () => existsSync(`${holdFile}.read`));
    await (await writer.table('orders')).write({ sql: 'SELECT 3::BIGINT AS id' });
    expect((await (await writer.table('orders')).latest()).version).toBe(2);
    await fs.rm(holdFile);

    const run = await finished(started.body.run.id);
    expect(run, JSON.stringify(run.error)).toMatchObject({ status: 'succeeded' });
    expect(run.tableVersions).toEqual({ orders: 1 });
    expect(run.tableReads).toEqual([
      { table: 'orders', version: 1 },
      { table: 'orders', version: 0 },
    ]);
    expect(run.tableVersionsAtStart).toEqual({ orders: 1, customers: 0 });
    const text = cellsOf(
      (await (await fetch(`${s.url}/api/runs/${run.id}/output.ipynb`)).json()) as Parameters<
        typeof cellsOf
      >[0],
    )
      .map((c) => c.text)
      .join('');
    expect(text).toContain('orders: 2 rows at {"orders":1}');
    expect(text).toContain('orders at version 0: 1 rows');
  });

  it('are recorded when the run fails after its reads', async () => {
    const started = await s.api<{ run: RunRecord }>('POST', `/api/schedules/${id}/run`, {
      parameters: { fail: true },
    });
    expect(started.status).toBe(202);
    const run = await finished(started.body.run.id);
    expect(run).toMatchObject({ status: 'failed', error: { kind: 'cell' } });
    expect(run.error?.message).toContain('planned failure after the reads');
    expect(run.tableVersions).toEqual({ orders: 2 });
    expect(run.tableReads).toEqual([
      { table: 'orders', version: 2 },
      { table: 'orders', version: 0 },
    ]);
    expect(run.tableVersionsAtStart).toEqual({ orders: 2, customers: 0 });
  });
});
