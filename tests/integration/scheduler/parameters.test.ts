// Parameters: checked against the notebook's parameters cell before any run (refused with a
// clear message), and injected after that cell so the notebook sees them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../services/src/scheduler/RunRecord.js';
import { makeTempDir, removeDir } from '../../support/tempDir.js';
import { cellsOf, runsOf, type SchedulerUnderTest, startScheduler } from './schedulerHarness.js';

interface ErrorBody {
  error: {
    code: string;
    message: string;
    issues?: { name: string; code: string }[];
    declaredParameters?: unknown[];
  };
}

describe('parameters', () => {
  let dir: string;
  let s: SchedulerUnderTest;

  beforeAll(async () => {
    dir = await makeTempDir('rtl-sched-params-');
    s = await startScheduler({ dir });
  });
  afterAll(async () => {
    await s?.close();
    await removeDir(dir);
  });

  const definition = { notebook: 'probe.ipynb', trigger: { cron: '0 0 1 1 *' }, timeoutSeconds: 120 };

  it('lists what a notebook declares', async () => {
    const { status, body } = await s.api('GET', '/api/notebooks/parameters?path=probe.ipynb');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      notebook: 'probe.ipynb',
      hasParametersCell: true,
      parameters: [
        {
          name: 'label',
          declaration: 'let',
          type: { kind: 'string' },
          default: 'default',
          description: 'Written into the output so a test can tell runs apart.',
        },
        {
          name: 'days',
          type: { kind: 'number' },
          annotation: 'number',
          default: 7,
          description: 'Days to look back.',
        },
        { name: 'mode', type: { kind: 'enum', values: ['daily', 'weekly'] }, default: 'daily' },
        { name: 'tags', type: { kind: 'array', element: 'string' }, default: [] },
        { name: 'unit', declaration: 'const', default: 'EUR' },
      ],
    });
    expect((await s.api('GET', '/api/notebooks/parameters?path=missing.ipynb')).status).toBe(404);
    expect((await s.api('GET', '/api/notebooks/parameters?path=../x.ipynb')).status).toBe(400);
  });

  it('refuses bad parameters before the run', async () => {
    const bad = await s.api<ErrorBody>('POST', '/api/schedules', {
      ...definition,
      parameters: { days: 'seven', mode: 'hourly', region: 'EU', unit: 'USD' },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('PARAMETERS_INVALID');
    expect(bad.body.error.message).toBe(
      'parameter "days" must be number; got "seven" (a string); ' +
        'parameter "mode" must be "daily" | "weekly"; got "hourly" (a string); ' +
        'unknown parameter "region": the notebook declares label, days, mode, tags, unit; ' +
        'parameter "unit" is declared with const; declare it with let in the parameters cell so the scheduler can set it',
    );
    expect(bad.body.error.issues?.map((i) => [i.name, i.code])).toEqual([
      ['days', 'wrong_type'],
      ['mode', 'wrong_type'],
      ['region', 'unknown_parameter'],
      ['unit', 'not_settable'],
    ]);
    expect(bad.body.error.declaredParameters).toHaveLength(5);
    // Nothing was created.
    expect((await s.api<{ schedules: unknown[] }>('GET', '/api/schedules')).body.schedules).toEqual([]);

    const notJson = await s.api<ErrorBody>('POST', '/api/schedules', {
      ...definition,
      parameters: { days: { n: 1 } },
    });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.code).toBe('VALIDATION_FAILED');
    const missing = await s.api<ErrorBody>('POST', '/api/schedules', {
      ...definition,
      notebook: 'nope.ipynb',
    });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOTEBOOK_NOT_FOUND');
  });

  it('reach the notebook: the schedule’s values, overridden per run', async () => {
    const created = await s.api<{ schedule: { id: string } }>('POST', '/api/schedules', {
      ...definition,
      parameters: { label: 'from "the" schedule', days: 30 },
    });
    expect(created.status).toBe(201);
    const id = created.body.schedule.id;

    // A bad override for one run is refused too, and no run is recorded.
    const refused = await s.api<ErrorBody>('POST', `/api/schedules/${id}/run`, {
      parameters: { days: -1.5, tags: 'x' },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error.message).toBe('parameter "tags" must be string[]; got "x" (a string)');
    expect(await runsOf(s.url, id)).toEqual([]);

    const queued = await s.api<{ run: RunRecord }>('POST', `/api/schedules/${id}/run`, {
      parameters: { mode: 'weekly', tags: ['a', 'b'] },
    });
    expect(queued.status).toBe(202);
    await s.scheduler.idle();
    const [run] = await runsOf(s.url, id);
    expect(run).toMatchObject({
      status: 'succeeded',
      parameters: { label: 'from "the" schedule', days: 30, mode: 'weekly', tags: ['a', 'b'] },
    });

    const executed = await (await fetch(`${s.url}/api/runs/${run!.id}/output.ipynb`)).json();
    const cells = cellsOf(executed as Parameters<typeof cellsOf>[0]);
    const params = cells.findIndex((c) => Array.isArray(c.tags) && c.tags.includes('parameters'));
    expect(cells[params + 1]).toMatchObject({
      tags: ['injected-parameters'],
      source:
        '// Parameters set by the RT-Lakehouse scheduler for this run.\n' +
        'label = "from \\"the\\" schedule";\ndays = 30;\nmode = "weekly";\ntags = ["a","b"];\nvoid 0;\n',
      text: '',
    });
    expect(cells.map((c) => c.text).join('')).toContain(
      'probe {"label":"from \\"the\\" schedule","days":30,"mode":"weekly","tags":["a","b"],"unit":"EUR"}',
    );
  });
});
