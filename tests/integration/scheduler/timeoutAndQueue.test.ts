// A run past its timeout fails with kind `timeout` and keeps what it did; under the `queue`
// policy a second run waits for the first instead of being refused or skipped.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../services/src/scheduler/RunRecord.js';
import { makeTempDir, removeDir } from '../../support/tempDir.js';
import { cellsOf, runsOf, type SchedulerUnderTest, startScheduler, waitFor } from './schedulerHarness.js';

describe('timeouts and the queue policy', () => {
  let dir: string;
  let s: SchedulerUnderTest;

  beforeAll(async () => {
    dir = await makeTempDir('rtl-sched-timeout-');
    s = await startScheduler({ dir: path.join(dir, 'scheduler') });
  });
  afterAll(async () => {
    await s?.close();
    await removeDir(dir);
  });

  it('fails a run past its timeout, keeping the executed notebook with the error in place', async () => {
    const holdFile = path.join(dir, 'hold-forever');
    await fs.writeFile(holdFile, 'never released');
    const created = await s.api<{ schedule: { id: string } }>('POST', '/api/schedules', {
      notebook: 'hold.ipynb',
      trigger: { cron: '0 0 1 1 *' },
      parameters: { holdFile },
      timeoutSeconds: 3,
    });
    expect(created.status).toBe(201);
    const id = created.body.schedule.id;
    expect((await s.api('POST', `/api/schedules/${id}/run`, {})).status).toBe(202);
    const run = await waitFor('the run to end', async () => {
      const [r] = await runsOf(s.url, id);
      return r && r.status !== 'queued' && r.status !== 'running' && r;
    });
    expect(run).toMatchObject({
      status: 'failed',
      error: {
        kind: 'timeout',
        // Indexes are the executed notebook's: the parameters cell, the injected one, then the held cell.
        cell: 2,
        message: 'the run took longer than its timeout of 3 s (stopped in cell 2)',
      },
    });
    // The cells before it ran (they have execution counts); the held one carries the timeout error
    // (its "holding" line too, unless tslab was still compiling the cell when time ran out).
    const executed = (await (await fetch(`${s.url}/api/runs/${run.id}/output.ipynb`)).json()) as {
      cells: { execution_count: number | null }[];
    };
    expect(executed.cells.slice(0, 2).map((c) => c.execution_count)).toEqual([1, 2]);
    const cells = cellsOf(executed as unknown as Parameters<typeof cellsOf>[0]);
    expect(cells[2]!.text).toMatch(
      /^(holding\n)?TimeoutError: the run took longer than its timeout of 3 s \(stopped in cell 2\)$/,
    );
    expect((await fetch(`${s.url}/api/runs/${run.id}/output.html`)).status).toBe(200);
  });

  it('queues a second run of a `queue` schedule behind the first', async () => {
    const holdFile = path.join(dir, 'hold-first');
    await fs.writeFile(holdFile, 'hold the first run');
    const created = await s.api<{ schedule: { id: string } }>('POST', '/api/schedules', {
      notebook: 'hold.ipynb',
      trigger: { cron: '0 0 1 1 *' },
      parameters: { holdFile },
      concurrency: 'queue',
      timeoutSeconds: 120,
    });
    const id = created.body.schedule.id;
    const first = await s.api<{ run: RunRecord }>('POST', `/api/schedules/${id}/run`, {});
    const second = await s.api<{ run: RunRecord }>('POST', `/api/schedules/${id}/run`, {
      parameters: { holdFile: '' },
    });
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(second.body.run.status).toBe('queued');

    await waitFor('the first run to hold', async () => (await runsOf(s.url, id))[0]?.status === 'running');
    // One run per schedule at a time: the second waits while the first holds.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await runsOf(s.url, id)).map((r) => r.status)).toEqual(['running', 'queued']);
    await fs.rm(holdFile);
    await waitFor('both runs to end', async () => {
      const runs = await runsOf(s.url, id);
      return runs.every((r) => r.status === 'succeeded') && runs;
    });
    const runs = await runsOf(s.url, id);
    expect(runs.map((r) => [r.id, r.status, r.cause])).toEqual([
      [first.body.run.id, 'succeeded', 'manual'],
      [second.body.run.id, 'succeeded', 'manual'],
    ]);
    expect(Date.parse(runs[1]!.startedAt!)).toBeGreaterThanOrEqual(Date.parse(runs[0]!.endedAt!));
  });
});
