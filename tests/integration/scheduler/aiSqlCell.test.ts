// An AI SQL cell in a scheduled notebook re-runs the SQL saved with it (its source is the bare
// question, which would not even parse as TypeScript) against the lakehouse, on tslab.
import { Lakehouse } from '@rt-lakehouse/kernel-helpers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../../support/tempDir.js';
import { runsOf, type SchedulerUnderTest, startScheduler, waitFor } from './schedulerHarness.js';

interface Output {
  output_type: string;
  text?: string | string[];
  data?: Record<string, string | string[]>;
}

const join = (t: string | string[] | undefined) => (Array.isArray(t) ? t.join('') : (t ?? ''));

describe('an AI SQL cell in a scheduled notebook', () => {
  let dir: string;
  let lakehouse: Lakehouse;
  let s: SchedulerUnderTest;

  beforeAll(async () => {
    dir = await makeTempDir('rtl-sched-aisql-');
    lakehouse = await Lakehouse.open({ dir: `${dir}/lake` });
    await (await lakehouse.table('orders')).write({
      sql: 'SELECT * FROM (VALUES (1::BIGINT), (2), (40)) t(id)',
    });
    s = await startScheduler({ dir: `${dir}/scheduler`, lakehouse });
  });
  afterAll(async () => {
    await s?.close();
    lakehouse?.close();
    await removeDir(dir);
  });

  it('runs its saved SQL and shows the result', async () => {
    const created = await s.api<{ schedule: { id: string } }>('POST', '/api/schedules', {
      notebook: 'ai-sql.ipynb',
      trigger: { cron: '0 0 1 1 *' },
    });
    expect(created.status).toBe(201);
    const id = created.body.schedule.id;
    expect((await s.api('POST', `/api/schedules/${id}/run`, {})).status).toBe(202);
    const run = await waitFor('the run to end', async () => {
      const [r] = await runsOf(s.url, id);
      return r && r.status !== 'queued' && r.status !== 'running' && r;
    });
    expect(run, JSON.stringify(run.error)).toMatchObject({
      status: 'succeeded',
      tableVersions: { orders: 0 },
    });

    const executed = (await (await fetch(`${s.url}/api/runs/${run.id}/output.ipynb`)).json()) as {
      cells: { source: string | string[]; metadata: Record<string, unknown>; outputs?: Output[] }[];
    };
    const cell = executed.cells[1]!;
    // The cell keeps its AI SQL metadata; its source is the saved SQL through the kernel helper.
    expect(cell.metadata['rtlakehouse']).toMatchObject({
      kind: 'ai-sql',
      question: 'How many orders are there?',
    });
    expect(join(cell.source)).toContain(
      'await rtlakehouseSavedSql("SELECT count(*) AS orders, sum(id) AS id_total FROM orders");',
    );
    const table = (cell.outputs ?? []).find((o) => o.output_type === 'display_data' && o.data?.['text/html']);
    expect(table, JSON.stringify(cell.outputs)).toBeDefined();
    const html = join(table!.data!['text/html']);
    expect(html).toContain('orders');
    expect(html).toContain('id_total');
    expect(html).toMatch(/>3<\/td>/);
    expect(html).toMatch(/>43<\/td>/);
    expect(join(executed.cells[2]!.outputs?.[0]?.text)).toBe('after the AI SQL cell\n');
  });
});
