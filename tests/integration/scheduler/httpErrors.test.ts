// The scheduler API's error paths: malformed bodies, bad definitions, unknown ids, odd URLs and
// missing tokens are answered 4xx with `{ error: { code, message } }`, never 5xx. No run starts
// here (the only schedule fires once a year), so no kernel is needed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../../support/tempDir.js';
import { api, type SchedulerUnderTest, startScheduler } from './schedulerHarness.js';

const TOKEN = 'scheduler-test-token';

interface Answer {
  status: number;
  body: { error?: { code?: unknown; message?: unknown } };
  contentType: string | null;
}

describe('scheduler API error paths', () => {
  let dir: string;
  let s: SchedulerUnderTest;
  let scheduleId: string;

  /** A raw request with the token; the body is sent as given (a string is not encoded again). */
  async function raw(
    method: string,
    route: string,
    body?: string,
    contentType = 'application/json',
  ): Promise<Answer> {
    const response = await fetch(`${s.url}${route}`, {
      method,
      headers: {
        authorization: `Bearer ${TOKEN}`,
        ...(body !== undefined ? { 'content-type': contentType } : {}),
      },
      ...(body !== undefined ? { body } : {}),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text ? JSON.parse(text) : {},
      contentType: response.headers.get('content-type'),
    };
  }

  /** Asserts a 4xx answer with the error shape and returns its code. */
  function errorCode(answer: Answer, status: number): string {
    expect(answer.status, JSON.stringify(answer.body)).toBe(status);
    expect(answer.contentType).toContain('application/json');
    expect(typeof answer.body.error?.code).toBe('string');
    expect(typeof answer.body.error?.message).toBe('string');
    expect((answer.body.error?.message as string).length).toBeGreaterThan(0);
    return answer.body.error!.code as string;
  }

  beforeAll(async () => {
    dir = await makeTempDir('rtl-sched-errors-');
    s = await startScheduler({ dir, apiToken: TOKEN });
    const created = await api<{ schedule: { id: string } }>(
      s.url,
      'POST',
      '/api/schedules',
      { notebook: 'probe.ipynb', trigger: { cron: '0 0 1 1 *' } },
      TOKEN,
    );
    expect(created.status).toBe(201);
    scheduleId = created.body.schedule.id;
  });
  afterAll(async () => {
    await s?.close();
    await removeDir(dir);
  });

  it('asks for the bearer token on every API route (health stays public)', async () => {
    const none = await fetch(`${s.url}/api/schedules`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain('Bearer');
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
    const wrong = await api(s.url, 'GET', `/api/schedules/${scheduleId}/runs`, undefined, 'not-the-token');
    expect(wrong).toMatchObject({ status: 401, body: { error: { code: 'INVALID_TOKEN' } } });
    for (const route of ['/api/runs/x', '/api/alerts', '/api/notebooks/parameters?path=probe.ipynb'])
      expect((await fetch(`${s.url}${route}`)).status).toBe(401);
    expect((await fetch(`${s.url}/health`)).status).toBe(200);
  });

  it('refuses malformed bodies with 400', async () => {
    const cases: [string, string, string | undefined, string?][] = [
      ['POST', '/api/schedules', '{"notebook": "probe.ipynb",'],
      ['POST', '/api/schedules', 'null'],
      ['POST', '/api/schedules', '"a string"'],
      ['POST', '/api/schedules', '[]'],
      ['POST', '/api/schedules', '{}'],
      ['POST', '/api/schedules', 'notebook=probe.ipynb', 'application/x-www-form-urlencoded'],
      ['POST', '/api/schedules', undefined],
      ['PATCH', `/api/schedules/${scheduleId}`, '{"enabled": "yes"}'],
      ['PATCH', `/api/schedules/${scheduleId}`, '{"id": "sch_other"}'],
      ['PATCH', `/api/schedules/${scheduleId}`, '[1, 2]'],
      ['POST', `/api/schedules/${scheduleId}/run`, '{"parameters": [1]}'],
      ['POST', `/api/schedules/${scheduleId}/run`, '{"parameters": {"days": 1}, "extra": true}'],
      ['POST', `/api/schedules/${scheduleId}/run`, '{broken'],
    ];
    for (const [method, route, body, type] of cases) {
      const code = errorCode(await raw(method, route, body, type), 400);
      expect(['INVALID_JSON', 'VALIDATION_FAILED'], `${method} ${route} ${body}`).toContain(code);
    }
    expect((await raw('POST', '/api/schedules', '{"a":')).body.error?.code).toBe('INVALID_JSON');
  });

  it('refuses impossible definitions with 400 naming the field', async () => {
    const base = { notebook: 'probe.ipynb', trigger: { cron: '0 7 * * *' } };
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ ...base, trigger: { cron: 'every monday' } }, /^trigger(\.cron)?: /],
      [{ ...base, trigger: { cron: '0 7 * * *', timezone: 'Mars/Olympus' } }, /time zone|timezone/],
      [{ ...base, trigger: { everySeconds: 0 } }, /trigger/],
      [{ ...base, trigger: { everySeconds: 1.5 } }, /trigger/],
      [{ ...base, trigger: { onCommit: 'orders; drop table' } }, /trigger/],
      [{ ...base, trigger: { cron: '0 7 * * *', everySeconds: 5 } }, /trigger/],
      [{ ...base, notebook: '/etc/passwd.ipynb' }, /^notebook: must be relative/],
      [{ ...base, notebook: '../secret.ipynb' }, /^notebook: must not contain \.\./],
      [{ ...base, notebook: 'probe.txt' }, /^notebook: must name an \.ipynb file/],
      [{ ...base, timeoutSeconds: 0 }, /^timeoutSeconds: /],
      [{ ...base, retries: { count: 11 } }, /^retries\.count: /],
      [{ ...base, retries: { count: 1, backoffSeconds: -1 } }, /^retries\.backoffSeconds: /],
      [{ ...base, concurrency: 'parallel' }, /^concurrency: /],
      [{ ...base, parameters: { 'not-an-identifier': 1 } }, /^parameters/],
      [{ ...base, color: 'blue' }, /color/],
    ];
    for (const [body, message] of cases) {
      const answer = await raw('POST', '/api/schedules', JSON.stringify(body));
      expect(errorCode(answer, 400), JSON.stringify(body)).toBe('VALIDATION_FAILED');
      expect(answer.body.error?.message, JSON.stringify(body)).toMatch(message);
    }
    // A commit trigger needs the lakehouse, which this scheduler was started without.
    const commit = await raw(
      'POST',
      '/api/schedules',
      JSON.stringify({ ...base, trigger: { onCommit: 'orders' } }),
    );
    expect(errorCode(commit, 400)).toBe('VALIDATION_FAILED');
    expect(commit.body.error?.message).toBe('commit triggers need the lakehouse (LAKEHOUSE_DIR)');
    // Only the schedule made in beforeAll exists.
    const listed = await api<{ schedules: { id: string }[] }>(
      s.url,
      'GET',
      '/api/schedules',
      undefined,
      TOKEN,
    );
    expect(listed.body.schedules.map((x) => x.id)).toEqual([scheduleId]);
  });

  it('answers unknown ids, outputs and routes with 404', async () => {
    const cases: [string, string, string][] = [
      ['GET', '/api/schedules/sch_nope', 'SCHEDULE_NOT_FOUND'],
      ['PATCH', '/api/schedules/sch_nope', 'SCHEDULE_NOT_FOUND'],
      ['DELETE', '/api/schedules/sch_nope', 'SCHEDULE_NOT_FOUND'],
      ['POST', '/api/schedules/sch_nope/pause', 'SCHEDULE_NOT_FOUND'],
      ['POST', '/api/schedules/sch_nope/resume', 'SCHEDULE_NOT_FOUND'],
      ['POST', '/api/schedules/sch_nope/run', 'SCHEDULE_NOT_FOUND'],
      ['GET', '/api/schedules/sch_nope/runs', 'SCHEDULE_NOT_FOUND'],
      ['GET', '/api/runs/nope', 'RUN_NOT_FOUND'],
      ['GET', '/api/runs/nope/output.ipynb', 'RUN_NOT_FOUND'],
      ['GET', '/api/runs/nope/output.html', 'RUN_NOT_FOUND'],
      ['GET', '/api/runs/..%2F..%2Fschedules.json/output.ipynb', 'RUN_NOT_FOUND'],
      ['GET', '/api/notebooks/parameters?path=missing.ipynb', 'NOTEBOOK_NOT_FOUND'],
      ['GET', '/api/nothing-here', 'ROUTE_NOT_FOUND'],
      ['PUT', '/api/schedules', 'ROUTE_NOT_FOUND'],
    ];
    for (const [method, route, code] of cases) {
      const body = method === 'PATCH' || (method === 'POST' && route.endsWith('/run')) ? '{}' : undefined;
      expect(errorCode(await raw(method, route, body), 404), `${method} ${route}`).toBe(code);
    }
  });

  it('refuses bad queries and odd URLs with 4xx', async () => {
    const cases: [string, number][] = [
      [`/api/schedules/${scheduleId}/runs?limit=abc`, 400],
      [`/api/schedules/${scheduleId}/runs?limit=0`, 400],
      [`/api/schedules/${scheduleId}/runs?limit=1&limit=2`, 400],
      [`/api/schedules/${scheduleId}/runs?status=exploded`, 400],
      [`/api/schedules/${scheduleId}/runs?sort=asc`, 400],
      ['/api/notebooks/parameters', 400],
      ['/api/notebooks/parameters?path=../x.ipynb', 400],
      ['/api/notebooks/parameters?path=a&path=b', 400],
      ['/api/runs/%E0%A4%A', 400],
      ['/api/schedules/%ZZ', 400],
    ];
    for (const [route, status] of cases) errorCode(await raw('GET', route), status);
  });

  it('refuses a body over the limit with 413', async () => {
    const big = JSON.stringify({
      notebook: 'probe.ipynb',
      trigger: { cron: '0 7 * * *' },
      name: 'x'.repeat(300_000),
    });
    expect(errorCode(await raw('POST', '/api/schedules', big), 413)).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses a run-now of a skip schedule while one is queued with 409', async () => {
    // The second demand meets the first one still queued or running.
    const first = await raw('POST', `/api/schedules/${scheduleId}/run`, '{"parameters": {"label": "one"}}');
    expect(first.status).toBe(202);
    const second = await raw('POST', `/api/schedules/${scheduleId}/run`, '{}');
    expect(errorCode(second, 409)).toBe('RUN_IN_PROGRESS');
    // Deleting the schedule stops that run and removes its history.
    expect((await raw('DELETE', `/api/schedules/${scheduleId}`)).status).toBe(204);
    expect(errorCode(await raw('GET', `/api/schedules/${scheduleId}`), 404)).toBe('SCHEDULE_NOT_FOUND');
    const runId = (first.body as { run?: { id?: string } }).run?.id;
    expect(errorCode(await raw('GET', `/api/runs/${runId}`), 404)).toBe('RUN_NOT_FOUND');
  });
});
