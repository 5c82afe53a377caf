// POST /api/query, /api/sql, /api/feedback, GET/POST /api/examples, GET /api/conversations/:id:
// status codes, exact body shapes (the response schemas the OpenAPI document publishes),
// validation errors with zod's messages, and the error codes of refused SQL and
// unanswerable questions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Answer,
  ConversationResponse,
  ErrorBody,
  ExampleResponse,
  ExamplesResponse,
} from '../../../services/src/assistant/schemas.js';
import {
  call,
  type RunningApi,
  type SeededLakehouse,
  seededLakehouse,
  startApi,
  TOKEN,
} from './apiHarness.js';

let lake: SeededLakehouse;
let api: RunningApi;

beforeAll(async () => {
  lake = await seededLakehouse();
  api = await startApi({ lake, env: { API_TOKEN: TOKEN } });
});

afterAll(async () => {
  await api?.stop();
  await lake?.close();
});

type Json = Record<string, unknown>;
const errorOf = (body: unknown) => ErrorBody.parse(body).error;

describe('POST /api/query', () => {
  it('answers a question with the full Answer shape', async () => {
    const r = await call(api.base, '/api/query', {
      body: { question: 'How many orders were placed in the last hour?' },
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    const answer = Answer.parse(r.body);
    expect(Object.keys(r.body)).toEqual(
      expect.arrayContaining([
        'conversationId',
        'turnId',
        'question',
        'sql',
        'columns',
        'rows',
        'rowCount',
        'totalRows',
        'truncated',
        'chart',
        'explanation',
        'path',
        'verifiedExample',
        'tableVersions',
        'timings',
      ]),
    );
    expect(answer.question).toBe('How many orders were placed in the last hour?');
    expect(answer.sql).toMatch(/FROM silver_events/);
    expect(answer.columns).toEqual([{ name: 'orders', type: 'BIGINT' }]);
    expect(answer.rowCount).toBe(1);
    expect(answer.path).toBe('planner');
    expect(answer.tableVersions).toHaveProperty('silver_events');
  });

  it('continues a conversation with a follow-up', async () => {
    const first = await call<Json>(api.base, '/api/query', {
      body: { question: 'Show me revenue by country today' },
    });
    expect(first.status).toBe(200);
    const conversationId = first.body['conversationId'] as string;
    const second = await call<Json>(api.base, '/api/query', {
      body: { question: 'only mobile', conversationId },
    });
    expect(second.status).toBe(200);
    expect(second.body['conversationId']).toBe(conversationId);
    expect(second.body['sql']).toMatch(/device_type = 'mobile'/);
    expect(second.body['sql']).toMatch(/country/);
  });

  it('caps rows at maxRows and says the result is truncated', async () => {
    const r = await call<Json>(api.base, '/api/query', {
      body: { question: 'Daily active users over the last week', maxRows: 1 },
    });
    expect(r.status).toBe(200);
    expect(r.body['rowCount']).toBe(1);
    expect(r.body['truncated']).toBe(true);
  });

  it('answers 422 with the reason and suggestions for a question it cannot answer', async () => {
    const r = await call(api.base, '/api/query', { body: { question: 'What is the meaning of life?' } });
    expect(r.status).toBe(422);
    const error = errorOf(r.body);
    expect(error.code).toBe('UNANSWERABLE');
    expect(error.message.length).toBeGreaterThan(0);
    expect(error.suggestions!.length).toBeGreaterThan(0);
    expect(error['question']).toBe('What is the meaning of life?');
    expect(typeof error['conversationId']).toBe('string');
    expect(error.requestId).toBe(r.headers.get('x-request-id'));
  });

  it('reads tables as of given Delta versions (501 where the engine cannot time-travel yet)', async () => {
    const latest = (await (await lake.lakehouse.table('silver_events')).latest()).version;
    const current = await call<Json>(api.base, '/api/query', {
      body: { question: 'How many orders were placed in the last hour?', asOf: { silver_events: latest } },
    });
    expect(current.status).toBe(200);
    expect(current.body['tableVersions']).toEqual({ silver_events: latest });
    const older = await call<Json>(api.base, '/api/query', {
      body: {
        question: 'How many orders were placed in the last hour?',
        asOf: { silver_events: latest - 1 },
      },
    });
    if (older.status === 200) expect(older.body['tableVersions']).toEqual({ silver_events: latest - 1 });
    else {
      expect(older.status).toBe(501);
      expect(errorOf(older.body).code).toBe('QUERY_TIME_TRAVEL_UNSUPPORTED');
    }
  });

  it('runs edited SQL as of given Delta versions too', async () => {
    const table = await lake.lakehouse.table('silver_events');
    const latest = (await table.latest()).version;
    const sql = 'SELECT count(*) AS n FROM silver_events';
    const now = await call<Json>(api.base, '/api/sql', { body: { sql } });
    const then = await call<Json>(api.base, '/api/sql', {
      body: { sql, asOf: { silver_events: latest - 1 } },
    });
    expect(now.status).toBe(200);
    expect(then.status).toBe(200);
    expect(then.body['tableVersions']).toEqual({ silver_events: latest - 1 });
    const count = (b: Json) => Number((b['rows'] as Record<string, unknown>[])[0]!['n']);
    expect(count(then.body)).toBe((await table.snapshot({ version: latest - 1 })).numRecords());
    expect(count(now.body)).toBe((await table.snapshot({ version: latest })).numRecords());
    const bad = await call(api.base, '/api/sql', { body: { sql, asOf: 'yesterday' } });
    expect(bad.status).toBe(400);
  });

  it('reads every table as of an instant, 422 before the first commit', async () => {
    const now = await call<Json>(api.base, '/api/query', {
      body: { question: 'How many orders were placed in the last hour?', asOf: new Date().toISOString() },
    });
    expect(now.status).toBe(200);
    const early = await call(api.base, '/api/query', {
      body: { question: 'How many orders were placed in the last hour?', asOf: '2000-01-01T00:00:00+01:00' },
    });
    expect(early.status).toBe(422);
    expect(errorOf(early.body).code).toBe('DELTA_TIMESTAMP_TOO_EARLY');
  });

  it.each(
    [
      [{ question: 'q', asOf: 'yesterday' }, 'body.asOf: Invalid ISO datetime'],
      [{ question: 'q', asOf: { 'bad name': 1 } }, 'body.asOf: Invalid input'],
      [{}, 'body.question: Invalid input: expected string, received undefined'],
      [{ question: 42 }, 'body.question: Invalid input: expected string, received number'],
      [{ question: '   ' }, 'body.question: Too small: expected string to have >=1 characters'],
      [
        { question: 'x'.repeat(2_001) } as Json,
        'body.question: Too big: expected string to have <=2000 characters',
      ],
      [{ question: 'q', maxRows: 0 }, 'body.maxRows: Too small: expected number to be >=1'],
      [{ question: 'q', maxRows: 10_001 }, 'body.maxRows: Too big: expected number to be <=10000'],
      [{ question: 'q', maxRows: 1.5 }, 'body.maxRows: Invalid input: expected int, received number'],
      [{ question: 'q', path: 'gpt' }, 'body.path: Invalid option: expected one of "planner"|"llm"'],
      [{ question: 'q', extra: true }, 'body: Unrecognized key: "extra"'],
      [[1, 2], 'body: Invalid input: expected object, received array'],
    ].map(([body, message]) => ({ body, message: message as string })),
  )('refuses a bad body with 400 and the zod issue: $message', async ({ body, message }) => {
    const r = await call(api.base, '/api/query', { body });
    expect(r.status).toBe(400);
    const error = errorOf(r.body);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toBe(message);
    expect(error.issues).toHaveLength(1);
    expect(`${error.issues![0]!.path}: ${error.issues![0]!.message}`).toBe(message);
  });

  it('lists every issue of a body at once', async () => {
    const r = await call(api.base, '/api/query', { body: { question: 1, maxRows: -1 } });
    expect(r.status).toBe(400);
    expect(errorOf(r.body).issues).toEqual([
      {
        path: 'body.question',
        code: 'invalid_type',
        message: 'Invalid input: expected string, received number',
      },
      { path: 'body.maxRows', code: 'too_small', message: 'Too small: expected number to be >=1' },
    ]);
  });

  it('refuses a body without a content type as 415; an empty JSON body reads as {}', async () => {
    const untyped = await fetch(`${api.base}/api/query`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
      body: new Blob(['{"question":"x"}']),
    });
    expect(untyped.status).toBe(415);
    expect(errorOf(await untyped.json()).code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const empty = await call(api.base, '/api/query', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    expect(empty.status).toBe(400);
    expect(errorOf(empty.body).message).toBe(
      'body.question: Invalid input: expected string, received undefined',
    );
  });
});

describe('POST /api/sql', () => {
  it('runs a SELECT and answers columns, rows, counts and a chart', async () => {
    const r = await call(api.base, '/api/sql', {
      body: { sql: 'SELECT event_type, count(*) AS events FROM silver_events GROUP BY 1 ORDER BY 1' },
    });
    expect(r.status).toBe(200);
    const answer = Answer.parse(r.body);
    expect(answer.columns).toEqual([
      { name: 'event_type', type: 'VARCHAR' },
      { name: 'events', type: 'BIGINT' },
    ]);
    expect(answer.rows.map((row) => row['event_type'])).toEqual(['add_to_cart', 'page_view', 'purchase']);
    expect(answer.rowCount).toBe(3);
    expect(answer.totalRows).toBe(3);
    expect(answer.truncated).toBe(false);
    expect(answer.chart).toMatchObject({ mark: expect.anything() });
  });

  it.each([
    ['DROP TABLE silver_events', 'SQL_NOT_SELECT'],
    ['SELECT 1; SELECT 2', 'SQL_MULTIPLE_STATEMENTS'],
    ['SELECT * FROM no_such_table', 'SQL_UNKNOWN_TABLE'],
    ['SELECT no_such_column FROM silver_events', 'SQL_BIND_ERROR'],
    ['SELEC 1', 'SQL_SYNTAX_ERROR'],
    ["SELECT * FROM read_csv('/etc/passwd')", 'SQL_FILE_ACCESS_REFUSED'],
  ])('refuses %s with 400 and the guard code', async (sql, code) => {
    const r = await call(api.base, '/api/sql', { body: { sql } });
    expect(r.status).toBe(400);
    const error = errorOf(r.body);
    expect(error.code).toBe(code);
    expect(error['sql']).toBe(sql);
  });

  it('answers 422 for a query that fails while running', async () => {
    const r = await call(api.base, '/api/sql', { body: { sql: "SELECT CAST('x' AS INTEGER) AS n" } });
    expect(r.status).toBe(422);
    expect(errorOf(r.body).code).toMatch(/^QUERY_/);
  });

  it('validates the body', async () => {
    const r = await call(api.base, '/api/sql', { body: { sql: '', maxRows: 'ten' } });
    expect(r.status).toBe(400);
    expect(errorOf(r.body).issues).toEqual([
      { path: 'body.sql', code: 'too_small', message: 'Too small: expected string to have >=1 characters' },
      {
        path: 'body.maxRows',
        code: 'invalid_type',
        message: 'Invalid input: expected number, received string',
      },
    ]);
  });
});

describe('feedback, examples and conversations', () => {
  it('marks an answer correct: POST /api/feedback → 201 with the verified example, listed by GET /api/examples', async () => {
    const asked = await call<Json>(api.base, '/api/query', { body: { question: 'Total GMV yesterday' } });
    expect(asked.status).toBe(200);
    const r = await call(api.base, '/api/feedback', { body: { turnId: asked.body['turnId'] } });
    expect(r.status).toBe(201);
    const { example } = ExampleResponse.parse(r.body);
    expect(example).toMatchObject({
      question: 'Total GMV yesterday',
      sql: asked.body['sql'],
      source: 'feedback',
    });
    const list = await call(api.base, '/api/examples');
    expect(list.status).toBe(200);
    expect(ExamplesResponse.parse(list.body).examples.map((e) => e.id)).toContain(example.id);
  });

  it('answers 404 for feedback on an unknown turn, 400 without a turn id', async () => {
    const unknown = await call(api.base, '/api/feedback', { body: { turnId: 'no-such-turn' } });
    expect(unknown.status).toBe(404);
    expect(errorOf(unknown.body).code).toMatch(/NOT_FOUND$/);
    const missing = await call(api.base, '/api/feedback', { body: {} });
    expect(missing.status).toBe(400);
    expect(errorOf(missing.body).message).toBe(
      'body.turnId: Invalid input: expected string, received undefined',
    );
  });

  it('adds a user example with POST /api/examples (201), refusing SQL the guard refuses (400)', async () => {
    const r = await call(api.base, '/api/examples', {
      body: {
        question: 'How many sessions are there?',
        sql: 'SELECT count(DISTINCT session_id) FROM silver_events',
      },
    });
    expect(r.status).toBe(201);
    expect(ExampleResponse.parse(r.body).example).toMatchObject({
      question: 'How many sessions are there?',
      source: 'user',
    });
    const refused = await call(api.base, '/api/examples', {
      body: { question: 'Drop it', sql: 'DROP TABLE silver_events' },
    });
    expect(refused.status).toBe(400);
    expect(errorOf(refused.body).code).toBe('SQL_NOT_SELECT');
  });

  it('returns a conversation’s turns, 404 for an unknown one', async () => {
    const asked = await call<Json>(api.base, '/api/query', {
      body: { question: 'Top 5 countries by page views today' },
    });
    const id = asked.body['conversationId'] as string;
    const r = await call(api.base, `/api/conversations/${id}`);
    expect(r.status).toBe(200);
    const conversation = ConversationResponse.parse(r.body);
    expect(conversation.turns.map((t) => t.turnId)).toEqual([asked.body['turnId']]);
    const unknown = await call(api.base, '/api/conversations/nope');
    expect(unknown.status).toBe(404);
    expect(errorOf(unknown.body).code).toBe('CONVERSATION_NOT_FOUND');
  });
});
