// A notebook that throws: retried the configured number of times with backoff, each attempt
// keeping its executed notebook with the error in place, then one alert (log line, webhook,
// the API's alert list).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../services/src/scheduler/RunRecord.js';
import { makeTempDir, removeDir } from '../../support/tempDir.js';
import {
  cellsOf,
  runsOf,
  type SchedulerUnderTest,
  startScheduler,
  startWebhookReceiver,
  type WebhookReceiver,
  waitFor,
} from './schedulerHarness.js';

describe('a failing notebook', () => {
  let dir: string;
  let s: SchedulerUnderTest;
  let hook: WebhookReceiver;

  beforeAll(async () => {
    dir = await makeTempDir('rtl-sched-failing-');
    // The webhook refuses the first delivery: the alert must still arrive (retried).
    hook = await startWebhookReceiver(1);
    s = await startScheduler({ dir, webhookUrl: hook.url });
  });
  afterAll(async () => {
    await s?.close();
    await hook?.close();
    await removeDir(dir);
  });

  it('is retried the configured number of times, keeps its failed output, and alerts', async () => {
    const created = await s.api<{ schedule: { id: string } }>('POST', '/api/schedules', {
      name: 'always fails',
      notebook: 'failing.ipynb',
      trigger: { cron: '0 0 1 1 *', timezone: 'Europe/Berlin' },
      retries: { count: 2, backoffSeconds: 1 },
      timeoutSeconds: 120,
    });
    expect(created.status).toBe(201);
    const id = created.body.schedule.id;
    const queued = await s.api<{ run: RunRecord }>('POST', `/api/schedules/${id}/run`, {});
    expect(queued.status).toBe(202);
    expect(queued.body.run).toMatchObject({ cause: 'manual', attempt: 1, maxAttempts: 3 });
    expect(['queued', 'running']).toContain(queued.body.run.status);

    await waitFor('the alert at the webhook', () => hook.received.length > 0, 240_000, 500);
    await s.scheduler.idle();
    const runs = await runsOf(s.url, id);
    expect(runs.map((r) => [r.status, r.attempt, r.cause])).toEqual([
      ['failed', 1, 'manual'],
      ['failed', 2, 'retry'],
      ['failed', 3, 'retry'],
    ]);
    expect(runs[1]!.retryOf).toBe(runs[0]!.id);
    expect(runs[2]!.retryOf).toBe(runs[1]!.id);
    // Backoff: 1 s before the second attempt, 2 s before the third.
    expect(Date.parse(runs[1]!.notBefore) - Date.parse(runs[0]!.endedAt!)).toBeGreaterThanOrEqual(990);
    expect(Date.parse(runs[2]!.notBefore) - Date.parse(runs[1]!.endedAt!)).toBeGreaterThanOrEqual(1990);
    expect(Date.parse(runs[2]!.startedAt!)).toBeGreaterThanOrEqual(Date.parse(runs[2]!.notBefore));

    for (const run of runs) {
      expect(run.error).toEqual({
        kind: 'cell',
        cell: 1,
        message: 'Error: planned failure in a scheduled run',
      });
      expect(run.outputs.ipynb).not.toBe(null);
      expect(run.outputs.html).not.toBe(null);
      const ipynb = await fetch(`${s.url}/api/runs/${run.id}/output.ipynb`);
      const cells = cellsOf((await ipynb.json()) as Parameters<typeof cellsOf>[0]);
      // The cells before the failure ran, the error sits in the failing cell, nothing after it ran.
      expect(cells[0]!.text).toBe('before the failure\n');
      expect(cells[1]!.text).toContain('Error: planned failure in a scheduled run');
      expect(cells[2]!.text).toBe('');
      const html = await (await fetch(`${s.url}/api/runs/${run.id}/output.html`)).text();
      expect(html).toContain('planned failure in a scheduled run');
    }

    // One alert, for the last attempt: through the webhook (after one refused delivery) ...
    expect(hook.attempts).toBe(2);
    expect(hook.received).toHaveLength(1);
    const last = runs[2]!;
    expect(hook.received[0]).toMatchObject({
      type: 'rt-lakehouse.alert',
      alert: {
        id: `alert-${last.id}`,
        state: 'firing',
        severity: 'critical',
        source: 'scheduler',
        scheduleId: id,
        runId: last.id,
        message:
          'scheduled notebook "always fails" (failing.ipynb) failed after 3 attempts: Error: planned failure in a scheduled run',
        links: {
          run: `/api/runs/${last.id}`,
          ipynb: `/api/runs/${last.id}/output.ipynb`,
          html: `/api/runs/${last.id}/output.html`,
        },
      },
    });
    // ... in the API for the sidebar ...
    const alerts = await s.api<{ active: { runId: string }[]; recent: unknown[] }>('GET', '/api/alerts');
    expect(alerts.body.active.map((a) => a.runId)).toEqual([last.id]);
    // ... and as a log line.
    expect(s.logs.filter((l) => l['msg'] === 'alert firing')).toHaveLength(1);
    expect(s.logs.filter((l) => l['msg'] === 'run failed')).toHaveLength(3);
  });
});
