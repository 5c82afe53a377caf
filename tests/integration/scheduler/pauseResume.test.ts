// Pause and resume through the API: a paused interval schedule does not fire, the list shows it
// paused with no next fire; resumed, it counts from the resume, the list shows it enabled with
// its next fire, and it runs again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScheduleView } from '../../../services/src/scheduler/Scheduler.js';
import { makeTempDir, removeDir } from '../../support/tempDir.js';
import { runsOf, type SchedulerUnderTest, startScheduler, waitFor } from './schedulerHarness.js';

describe('pause and resume', () => {
  let dir: string;
  let s: SchedulerUnderTest;

  beforeAll(async () => {
    dir = await makeTempDir('rtl-sched-resume-');
    s = await startScheduler({ dir });
  });
  afterAll(async () => {
    await s?.close();
    await removeDir(dir);
  });

  const listed = async (id: string) => {
    const { status, body } = await s.api<{ schedules: ScheduleView[] }>('GET', '/api/schedules');
    expect(status).toBe(200);
    return body.schedules.find((x) => x.id === id);
  };

  it('a paused schedule does not fire; resumed, it fires again', async () => {
    const everySeconds = 3;
    const created = await s.api<{ schedule: ScheduleView }>('POST', '/api/schedules', {
      notebook: 'probe.ipynb',
      trigger: { everySeconds },
      parameters: { label: 'resumed' },
    });
    expect(created.status).toBe(201);
    const id = created.body.schedule.id;
    expect(created.body.schedule).toMatchObject({ enabled: true, state: { nextFireAt: expect.any(String) } });

    const paused = await s.api<{ schedule: ScheduleView }>('POST', `/api/schedules/${id}/pause`);
    expect(paused.status).toBe(200);
    expect(paused.body.schedule).toMatchObject({ enabled: false, state: { nextFireAt: null } });
    expect(await listed(id)).toMatchObject({
      enabled: false,
      state: { nextFireAt: null },
      lastRun: null,
      activeRun: null,
    });
    // Past the first fire time it would have had: nothing ran.
    await new Promise((resolve) => setTimeout(resolve, (everySeconds + 1) * 1000));
    expect(await runsOf(s.url, id)).toEqual([]);

    const resumedAt = Date.now();
    const resumed = await s.api<{ schedule: ScheduleView }>('POST', `/api/schedules/${id}/resume`);
    expect(resumed.status).toBe(200);
    expect(resumed.body.schedule.enabled).toBe(true);
    const nextFireAt = Date.parse(resumed.body.schedule.state.nextFireAt ?? '');
    // Timed triggers count from the resume.
    expect(nextFireAt).toBeGreaterThanOrEqual(resumedAt + everySeconds * 1000 - 50);
    expect(nextFireAt).toBeLessThanOrEqual(Date.now() + everySeconds * 1000 + 50);
    expect(await listed(id)).toMatchObject({
      enabled: true,
      state: { nextFireAt: resumed.body.schedule.state.nextFireAt },
    });

    const run = await waitFor('a run after the resume', async () => {
      const [first] = await runsOf(s.url, id);
      return first && first.status !== 'queued' && first.status !== 'running' && first;
    });
    expect(run, JSON.stringify(run.error)).toMatchObject({
      status: 'succeeded',
      cause: 'schedule',
      parameters: { label: 'resumed' },
    });
    expect(Date.parse(run.startedAt!)).toBeGreaterThanOrEqual(nextFireAt - 5);
    const after = await listed(id);
    expect(after).toMatchObject({ enabled: true, lastRun: { id: run.id, status: 'succeeded' } });
    expect(Date.parse(after!.state.lastFireAt ?? '')).toBeGreaterThanOrEqual(nextFireAt - 5);

    expect((await s.api('POST', `/api/schedules/${id}/pause`)).status).toBe(200);
    await s.scheduler.idle();
  });
});
