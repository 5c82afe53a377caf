// The scheduler service killed (SIGKILL) in the middle of a run and started again: the run's
// kernel does not outlive it, the run is marked interrupted (and alerted: no retry left), and
// the schedule resumes firing.
import type { ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../services/src/scheduler/RunRecord.js';
import { spawnTs, waitForExit } from '../../support/spawnTs.js';
import { makeTempDir, removeDir } from '../../support/tempDir.js';
import { api, NOTEBOOKS_DIR, processesOfRun, runsOf, waitFor } from './schedulerHarness.js';

const MAIN = path.resolve(NOTEBOOKS_DIR, '../../../../services/src/scheduler/main.ts');

/** Starts the scheduler service; resolves with its URL once it listens. */
async function startService(
  dir: string,
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawnTs(MAIN, [], {
    env: {
      ...process.env,
      LAKEHOUSE_DIR: path.join(dir, 'lake'),
      NOTEBOOKS_DIR,
      SCHEDULER_PORT: '0',
      LOG_LEVEL: 'debug',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr!.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      output += d.toString();
      const match = /"msg":"scheduler listening","port":(\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) =>
      reject(new Error(`the scheduler exited (${code}) before listening:\n${output}`)),
    );
  });
  return { child, url: `http://127.0.0.1:${port}`, output: () => output };
}

describe('a scheduler restarted mid-run', () => {
  let dir: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    dir = await makeTempDir('rtl-sched-restart-');
  });
  afterAll(async () => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await removeDir(dir);
  });

  it('resumes its schedules and marks the interrupted run', async () => {
    const holdFile = path.join(dir, 'hold');
    await fs.writeFile(holdFile, 'hold the run');
    const first = await startService(dir);
    children.push(first.child);
    const created = await api<{ schedule: { id: string } }>(first.url, 'POST', '/api/schedules', {
      name: 'held',
      notebook: 'hold.ipynb',
      trigger: { everySeconds: 3 },
      parameters: { holdFile },
      timeoutSeconds: 300,
    });
    expect(created.status).toBe(201);
    const id = created.body.schedule.id;

    // A run is going, its kernel is up and waiting on the hold file.
    const held = await waitFor('a running run', async () =>
      (await runsOf(first.url, id)).find((r) => r.status === 'running'),
    );
    await waitFor('the run’s kernel', () => processesOfRun(held.id).length >= 2, 120_000);

    first.child.kill('SIGKILL');
    await waitForExit(first.child);
    // The notebook runner notices its scheduler is gone and takes the kernel with it.
    await waitFor('the run’s processes to end', () => processesOfRun(held.id).length === 0, 30_000);

    await fs.rm(holdFile);
    const second = await startService(dir);
    children.push(second.child);
    const interrupted = (await api<{ run: RunRecord }>(second.url, 'GET', `/api/runs/${held.id}`)).body.run;
    expect(interrupted).toMatchObject({
      status: 'interrupted',
      error: { kind: 'interrupted' },
      durationMs: null,
    });
    expect(Date.parse(interrupted.endedAt!)).toBeGreaterThanOrEqual(Date.parse(interrupted.startedAt!));
    // No retry was configured: the interruption is alerted.
    const alerts = await api<{ active: { runId: string }[] }>(second.url, 'GET', '/api/alerts');
    expect(alerts.body.active.map((a) => a.runId)).toEqual([held.id]);

    // The schedule fires again after the restart, and its next run completes.
    const after = await waitFor('a run after the restart to succeed', async () =>
      (await runsOf(second.url, id)).find((r) => r.status === 'succeeded'),
    );
    expect(Date.parse(after.queuedAt)).toBeGreaterThan(Date.parse(interrupted.endedAt!));
    const schedule = (
      await api<{ schedule: { enabled: boolean; state: { nextFireAt: string } } }>(
        second.url,
        'GET',
        `/api/schedules/${id}`,
      )
    ).body.schedule;
    expect(schedule.enabled).toBe(true);
    // Success clears the alert.
    const cleared = await api<{ active: unknown[]; recent: { runId: string; state: string }[] }>(
      second.url,
      'GET',
      '/api/alerts',
    );
    expect(cleared.body.active).toEqual([]);
    expect(cleared.body.recent).toEqual([expect.objectContaining({ runId: held.id, state: 'resolved' })]);

    // A clean stop (SIGTERM) ends the process with 0.
    second.child.kill('SIGTERM');
    const exit = await waitForExit(second.child);
    expect(exit.code).toBe(0);
  });
});
