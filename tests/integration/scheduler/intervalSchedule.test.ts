// An interval schedule on the real tslab kernel: three runs in a row, each recorded with its
// executed notebook and its HTML.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../services/src/scheduler/RunRecord.js';
import { makeTempDir, removeDir } from '../../support/tempDir.js';
import { cellsOf, runsOf, type SchedulerUnderTest, startScheduler, waitFor } from './schedulerHarness.js';

describe('an interval schedule', () => {
  let dir: string;
  let s: SchedulerUnderTest;

  beforeAll(async () => {
    dir = await makeTempDir('rtl-sched-interval-');
    s = await startScheduler({ dir });
  });
  afterAll(async () => {
    await s?.close();
    await removeDir(dir);
  });

  it('runs 3 times in a row and records 3 runs with outputs', async () => {
    const created = await s.api<{ schedule: { id: string; state: { nextFireAt: string } } }>(
      'POST',
      '/api/schedules',
      {
        name: 'probe every 2 s',
        notebook: 'probe.ipynb',
        trigger: { everySeconds: 2 },
        parameters: { label: 'interval' },
        timeoutSeconds: 120,
      },
    );
    expect(created.status).toBe(201);
    const id = created.body.schedule.id;
    expect(Date.parse(created.body.schedule.state.nextFireAt)).toBeGreaterThan(Date.now() - 100);

    const done = await waitFor(
      'three finished runs',
      async () => {
        const finished = (await runsOf(s.url, id)).filter(
          (r) => r.status !== 'skipped' && r.status !== 'queued' && r.status !== 'running',
        );
        return finished.length >= 3 && finished;
      },
      180_000,
      500,
    );
    expect((await s.api('POST', `/api/schedules/${id}/pause`)).status).toBe(200);
    await s.scheduler.idle();

    const runs = (await runsOf(s.url, id)).filter((r) => r.status !== 'skipped');
    const firstThree = runs.slice(0, 3);
    expect(done.slice(0, 3).map((r) => r.id)).toEqual(firstThree.map((r) => r.id));
    expect(firstThree.map((r) => [r.status, r.cause, r.attempt])).toEqual([
      ['succeeded', 'schedule', 1],
      ['succeeded', 'schedule', 1],
      ['succeeded', 'schedule', 1],
    ]);
    // In a row: with the default `skip` policy a run never overlaps the one before it.
    for (let i = 1; i < firstThree.length; i++)
      expect(Date.parse(firstThree[i]!.startedAt!)).toBeGreaterThanOrEqual(
        Date.parse(firstThree[i - 1]!.endedAt!),
      );
    // Fires that came while a run was going are recorded as skipped, with the reason.
    for (const skipped of (await runsOf(s.url, id)).filter((r) => r.status === 'skipped'))
      expect(skipped.reason).toMatch(/^run .* is still (running|queued)$/);

    for (const run of firstThree) {
      expect(run.durationMs).toBeGreaterThan(0);
      expect(run.parameters).toEqual({ label: 'interval' });
      expect(run.outputs).toEqual({
        ipynb: `runs/${run.id}/output.ipynb`,
        html: `runs/${run.id}/output.html`,
      });
      const one = await s.api<{ run: RunRecord }>('GET', `/api/runs/${run.id}`);
      expect(one.body.run).toEqual(run);

      const ipynb = await fetch(`${s.url}/api/runs/${run.id}/output.ipynb`);
      expect(ipynb.status).toBe(200);
      expect(ipynb.headers.get('content-type')).toContain('application/x-ipynb+json');
      const cells = cellsOf((await ipynb.json()) as Parameters<typeof cellsOf>[0]);
      const printed = cells.map((c) => c.text).join('');
      expect(printed).toContain('probe {"label":"interval","days":7,"mode":"daily","tags":[],"unit":"EUR"}');
      expect(printed).toContain(`run ${run.id} tables {}`);

      const html = await fetch(`${s.url}/api/runs/${run.id}/output.html`);
      expect(html.status).toBe(200);
      expect(html.headers.get('content-type')).toContain('text/html');
      expect(html.headers.get('content-security-policy')).toContain('sandbox');
      expect(await html.text()).toContain('interval');
    }

    const listed = await s.api<{
      schedules: { id: string; enabled: boolean; lastRun: { status: string } }[];
    }>('GET', '/api/schedules');
    expect(listed.body.schedules).toEqual([
      expect.objectContaining({
        id,
        enabled: false,
        lastRun: expect.objectContaining({ status: 'succeeded' }),
      }),
    ]);

    // Prometheus metrics read the same state: one paused schedule, its succeeded runs, a duration.
    const metrics = await fetch(`${s.url}/metrics`);
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    const succeeded = runs.filter((r) => r.status === 'succeeded').length;
    expect(text).toContain('scheduler_schedules{state="paused"} 1');
    expect(text).toContain('scheduler_schedules{state="enabled"} 0');
    expect(text).toContain(`scheduler_runs{status="succeeded"} ${succeeded}`);
    expect(text).toContain('scheduler_alerts_firing 0');
    expect(text).toMatch(new RegExp(`scheduler_last_run_duration_seconds\\{schedule="${id}"\\} [0-9.]+`));
  });
});
