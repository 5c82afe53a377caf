// A schedule fired by new commits to a lakehouse table (written by another writer, as a
// pipeline in another process would), recording the table versions when the run started.
import { Lakehouse } from '@rt-lakehouse/kernel-helpers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../../support/tempDir.js';
import { cellsOf, runsOf, type SchedulerUnderTest, startScheduler, waitFor } from './schedulerHarness.js';

describe('a commit-triggered schedule', () => {
  let dir: string;
  let lakehouse: Lakehouse;
  let writer: Lakehouse;
  let s: SchedulerUnderTest;

  beforeAll(async () => {
    dir = await makeTempDir('rtl-sched-commit-');
    writer = await Lakehouse.open({ dir: `${dir}/lake` });
    await (await writer.table('orders')).write({ sql: 'SELECT 1::BIGINT AS id' });
    await (await writer.table('customers')).write({ sql: 'SELECT 7::BIGINT AS id' });
    lakehouse = await Lakehouse.open({ dir: `${dir}/lake` });
    s = await startScheduler({ dir: `${dir}/lake/_scheduler`, lakehouse, commitPollMs: 200 });
  });
  afterAll(async () => {
    await s?.close();
    lakehouse?.close();
    writer?.close();
    await removeDir(dir);
  });

  it('runs after a new commit to its table', async () => {
    const created = await s.api<{
      schedule: { id: string; state: { lastSeenVersion: number; nextFireAt: null } };
    }>('POST', '/api/schedules', {
      notebook: 'probe.ipynb',
      trigger: { onCommit: 'orders' },
      parameters: { label: 'commit' },
      concurrency: 'queue',
    });
    expect(created.status).toBe(201);
    const id = created.body.schedule.id;
    expect(created.body.schedule.state).toMatchObject({ lastSeenVersion: 0, nextFireAt: null });

    // No commit since the schedule was made, and commits to other tables: no run.
    await (await writer.table('customers')).write({ sql: 'SELECT 8::BIGINT AS id' });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await runsOf(s.url, id)).toEqual([]);

    await (await writer.table('orders')).write({ sql: 'SELECT 2::BIGINT AS id' });
    const run = await waitFor('a run after the commit', async () => {
      const runs = await runsOf(s.url, id);
      return runs.length > 0 && runs[0]!.status !== 'queued' && runs[0]!.status !== 'running' && runs[0];
    });
    expect(run).toMatchObject({
      status: 'succeeded',
      cause: 'commit',
      commitVersion: 1,
      // The probe reads no table: none is recorded as read; the versions at its start are kept apart.
      tableVersions: {},
      tableReads: [],
      tableVersionsAtStart: { orders: 1, customers: 1 },
    });
    const cells = cellsOf(
      (await (await fetch(`${s.url}/api/runs/${run.id}/output.ipynb`)).json()) as Parameters<
        typeof cellsOf
      >[0],
    );
    expect(cells.map((c) => c.text).join('')).toContain(`run ${run.id} tables {"customers":1,"orders":1}`);
    expect((await runsOf(s.url, id)).length).toBe(1);
    expect(
      (await s.api<{ schedule: { state: { lastSeenVersion: number } } }>('GET', `/api/schedules/${id}`)).body
        .schedule.state.lastSeenVersion,
    ).toBe(1);
  });
});
