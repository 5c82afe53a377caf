import { inspect } from 'node:util';
import {
  createNotebookSession,
  DeltaError,
  describeError,
  KafkaError,
  type MimeBundle,
  NotebookError,
  notebookConfigFromEnv,
  QueryError,
} from '@rt-lakehouse/kernel-helpers';
import { describe, expect, it } from 'vitest';

describe('describeError', () => {
  it('a query error: what failed, the query, the code and what to do', () => {
    const d = describeError(
      new QueryError('SQL_UNKNOWN_TABLE', 'unknown table silver_evnts', {
        sql: 'SELECT * FROM silver_evnts',
      }),
      { action: 'sql()' },
    );
    expect(d).toEqual({
      code: 'SQL_UNKNOWN_TABLE',
      what: 'Query failed in sql()',
      on: 'query: SELECT * FROM silver_evnts',
      why: 'unknown table silver_evnts',
      hint: expect.stringContaining('lakehouse.tables()'),
    });
  });

  it('a Delta error names its table; codes without their own advice get their family', () => {
    const d = describeError(new DeltaError('DELTA_SOMETHING_NEW', 'gold_kpis', 3, 'odd'), {
      action: "table('gold_kpis').history()",
    });
    expect(d.what).toBe("Delta table operation failed in table('gold_kpis').history()");
    expect(d.on).toBe('table gold_kpis');
    expect(d.hint).toContain('history()');
    expect(
      describeError(new KafkaError('KAFKA_WHATEVER', 'down'), { action: 'producer.start()' }).hint,
    ).toContain('KAFKA_BROKERS');
    expect(describeError(new Error('boom'), { action: 'x()' }).code).toBe('ERROR');
  });

  it('a NotebookError prints as the readable account, not a stack trace', () => {
    const e = NotebookError.from(
      new DeltaError('DELTA_TIMESTAMP_TOO_EARLY', 'silver_events', undefined, 'too early'),
      {
        action: "table('silver_events').at(...)",
      },
    );
    expect(inspect(e)).toMatchInlineSnapshot(`
      "✖ Delta table operation failed in table('silver_events').at(...)
        on:   table silver_events
        why:  DELTA_TIMESTAMP_TOO_EARLY: Delta table silver_events: too early
        next: Pick a timestamp at or after the first commit in \`table(name).history()\`."
    `);
    expect(e.code).toBe('DELTA_TIMESTAMP_TOO_EARLY');
    expect(NotebookError.from(e, { action: 'other' })).toBe(e);
  });
});

describe('notebook settings', () => {
  it('defaults, and blank counts as unset', () => {
    const c = notebookConfigFromEnv({ LAKEHOUSE_DIR: '/tmp/lh', KAFKA_BROKERS: ' ' }, '/');
    expect(c).toEqual({
      lakehouseDir: '/tmp/lh',
      kafkaBrokers: undefined,
      kafkaTopic: 'ecommerce_events',
      pipelinesUrl: 'http://127.0.0.1:8010',
      schedulerUrl: 'http://127.0.0.1:8020',
      maxRows: 10_000,
    });
  });

  it('names the bad variable', () => {
    expect(() => notebookConfigFromEnv({ SCHEDULER_URL: 'nope' })).toThrow(/SCHEDULER_URL/);
  });
});

describe('schedule(): a client of the scheduler API', () => {
  const shown: MimeBundle[] = [];
  const display = { kind: 'memory' as const, send: (b: MimeBundle) => void shown.push(b) };

  it('says the scheduler is not reachable, and where it looked', async () => {
    const session = createNotebookSession({
      display,
      env: { SCHEDULER_URL: 'http://127.0.0.1:9' },
      fetch: async () => {
        throw new TypeError('fetch failed');
      },
    });
    const error = await session
      .schedule('notebooks/05_scheduled_report.ipynb', { trigger: { cron: '0 7 * * *' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotebookError);
    expect(inspect(error)).toContain('SCHEDULER_UNREACHABLE: scheduler not reachable at http://127.0.0.1:9');
    expect(inspect(error)).toContain('on:   POST http://127.0.0.1:9/api/schedules');
  });

  it("sends the scheduler's ScheduleInput and shows what it answered", async () => {
    const requests: { url: string; body: unknown }[] = [];
    const session = createNotebookSession({
      display,
      env: {},
      fetch: async (url, init) => {
        requests.push({ url: String(url), body: JSON.parse(String(init?.body)) });
        return new Response(
          JSON.stringify({
            schedule: {
              id: 's1',
              notebook: 'notebooks/r.ipynb',
              trigger: { everySeconds: 3600 },
              enabled: true,
            },
          }),
          { status: 201, headers: { 'content-type': 'application/json' } },
        );
      },
    });
    const created = await session.schedule('notebooks/r.ipynb', {
      trigger: { everySeconds: 3600 },
      parameters: { hours: 24 },
      retries: { count: 2 },
    });
    expect(created.id).toBe('s1');
    expect(requests).toEqual([
      {
        url: 'http://127.0.0.1:8020/api/schedules',
        body: {
          notebook: 'notebooks/r.ipynb',
          trigger: { everySeconds: 3600 },
          parameters: { hours: 24 },
          retries: { count: 2 },
        },
      },
    ]);
    expect(shown.at(-1)?.['text/plain']).toContain('s1');
  });

  it('refuses a request that cannot be right before sending it', async () => {
    const session = createNotebookSession({ display, env: {}, fetch: async () => new Response('{}') });
    await expect(session.schedule('report.txt', { trigger: { everySeconds: 60 } })).rejects.toThrow(
      /must name an \.ipynb file/,
    );
  });
});
