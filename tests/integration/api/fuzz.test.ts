// Bounded fuzzing of every route of the assistant API on 127.0.0.1 with a fixed seed: wrong
// types in every body field, random JSON bodies, oversized bodies, strings past their limits,
// random query strings and path parameters, wrong content types. Every answer is either a
// success or a 4xx with the JSON error shape and a reason; never a 5xx, never a crash.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ErrorBody } from '../../../services/src/assistant/schemas.js';
import { type RunningApi, type SeededLakehouse, seededLakehouse, startApi, TOKEN } from './apiHarness.js';

/** mulberry32: a small seeded PRNG, so a failure replays exactly. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  return { next, int, pick };
}

type Rand = ReturnType<typeof prng>;

const ODD_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\ud800',
  '💥'.repeat(50),
  '<script>alert(1)</script>',
  "'; drop table silver_events; --",
  "select * from read_csv('/etc/passwd')",
  '../../etc/passwd',
  '%00%ff',
  'x'.repeat(3_000),
  '1e309',
  'NaN',
  'true',
  '{"a":1}',
];
const ODD_NUMBERS = [0, -1, -0, 1.5, 2 ** 53 + 1, 1e308, -1e308, 10_001, 300_001, 1e21];

/** A random JSON value, at most `depth` levels deep; object keys favour `fields`. */
function randomJson(r: Rand, fields: readonly string[], depth = 3): unknown {
  const kind = r.int(depth > 0 ? 8 : 5);
  switch (kind) {
    case 0:
      return null;
    case 1:
      return r.next() < 0.5;
    case 2:
      return r.next() < 0.5 ? r.pick(ODD_NUMBERS) : Math.round((r.next() - 0.5) * 1e6) / 100;
    case 3:
    case 4:
      return r.next() < 0.6
        ? r.pick(ODD_STRINGS)
        : String.fromCharCode(...Array.from({ length: r.int(40) }, () => r.int(0xffff)));
    case 5:
      return Array.from({ length: r.int(4) }, () => randomJson(r, fields, depth - 1));
    default: {
      const out: Record<string, unknown> = {};
      for (let i = r.int(5); i > 0; i--) {
        const key =
          r.next() < 0.7 ? r.pick(fields) : r.pick(['__proto__', 'constructor', 'x', '', 'a.b', '💥']);
        out[key] = randomJson(r, fields, depth - 1);
      }
      return out;
    }
  }
}

/** A body that validates, per body route. */
const VALID: Record<string, Record<string, unknown>> = {
  '/api/query': { question: 'orders today' },
  '/api/sql': { sql: 'select 1 as one' },
  '/api/feedback': { turnId: 'no-such-turn' },
  '/api/examples': { question: 'how many orders are there', sql: 'select count(*) from silver_events' },
};

const WRONG_TYPES: unknown[] = [
  42,
  -1,
  1e308,
  true,
  null,
  [],
  ['a'],
  {},
  { nested: 'x' },
  'x'.repeat(200_001),
  '',
];

interface Answer {
  status: number;
  contentType: string;
  body: unknown;
}

describe('API fuzzing (seed 7)', () => {
  let lake: SeededLakehouse;
  let api: RunningApi;
  const seen = new Map<number, number>();
  let timeouts = 0;

  /** One request; streams are cancelled after their headers. */
  async function send(
    method: string,
    path: string,
    body?: string,
    contentType = 'application/json',
  ): Promise<Answer> {
    const headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` };
    if (body !== undefined) headers['content-type'] = contentType;
    const response = await fetch(`${api.base}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
      signal: AbortSignal.timeout(30_000),
    });
    const type = response.headers.get('content-type') ?? '';
    seen.set(response.status, (seen.get(response.status) ?? 0) + 1);
    if (type.includes('text/event-stream')) {
      await response.body?.cancel();
      return { status: response.status, contentType: type, body: undefined };
    }
    const text = await response.text();
    return {
      status: response.status,
      contentType: type,
      body: type.includes('json') ? JSON.parse(text) : text,
    };
  }

  /**
   * Never a 5xx; a 4xx carries the error shape with a code and a message. The one exception: a
   * valid body that sets its own `timeoutMs` (e.g. 42 ms) may run out of it on a busy machine,
   * which is 504 QUERY_TIMEOUT by contract.
   */
  function expectHandled(answer: Answer, what: string, body?: unknown): void {
    const ownTimeout = typeof (body as { timeoutMs?: unknown } | null)?.timeoutMs === 'number';
    if (ownTimeout && answer.status === 504) {
      expect((answer.body as z.infer<typeof ErrorBody>).error.code, what).toBe('QUERY_TIMEOUT');
      timeouts++;
      return;
    }
    expect(answer.status, what).toBeLessThan(500);
    if (answer.status >= 400) {
      const parsed = ErrorBody.safeParse(answer.body);
      expect(parsed.success, `${what}: ${JSON.stringify(answer.body)}`).toBe(true);
      expect(parsed.data!.error.message.length, what).toBeGreaterThan(0);
    }
  }

  beforeAll(async () => {
    lake = await seededLakehouse();
    api = await startApi({
      lake,
      env: { API_TOKEN: TOKEN, BODY_LIMIT_BYTES: '4096' },
      pipelinesStatus: async () => ({ pipelines: [] }),
    });
  });
  afterAll(async () => {
    await api?.stop();
    await lake?.close();
  });

  it('refuses a wrong type in every field of every body with 400 naming the field', async () => {
    const routes = api.app.routes.filter((r) => r.body);
    expect(routes.map((r) => r.path).sort()).toEqual(Object.keys(VALID).sort());
    let refused = 0;
    for (const route of routes) {
      const schema = route.body as z.ZodObject;
      for (const field of Object.keys(schema.shape)) {
        for (const wrong of WRONG_TYPES) {
          const body = { ...VALID[route.path], [field]: wrong };
          const what = `${route.path} ${field}=${JSON.stringify(wrong).slice(0, 40)}`;
          const answer = await send('POST', route.path, JSON.stringify(body));
          expectHandled(answer, what, body);
          if (schema.safeParse(body).success) continue;
          refused++;
          // The body limit (4 KiB here) answers first for the longest strings.
          if (answer.status === 413) continue;
          expect(answer.status, what).toBe(400);
          const error = (answer.body as z.infer<typeof ErrorBody>).error;
          expect(error.code, what).toBe('VALIDATION_FAILED');
          expect(
            error.issues!.map((i) => i.path),
            what,
          ).toContain(`body.${field}`);
        }
      }
    }
    expect(refused).toBeGreaterThan(60);
  });

  it('answers 100 random JSON bodies per body route with a success or a 4xx, never a 5xx', async () => {
    const r = prng(7);
    for (const route of api.app.routes.filter((x) => x.body)) {
      const fields = Object.keys((route.body as z.ZodObject).shape);
      for (let i = 0; i < 100; i++) {
        const value =
          r.next() < 0.5
            ? { ...VALID[route.path], ...(randomJson(r, fields, 2) as object) }
            : randomJson(r, fields);
        const text = JSON.stringify(value) ?? 'null';
        // Now and then, break the JSON itself.
        const body = r.next() < 0.1 ? text.slice(0, r.int(text.length)) : text;
        expectHandled(
          await send('POST', route.path, body),
          `${route.path} #${i} ${body.slice(0, 80)}`,
          value,
        );
      }
    }
  });

  it('answers oversized bodies with 413, strings past their limits with 400, other media types with 415', async () => {
    for (const path of Object.keys(VALID)) {
      const huge = JSON.stringify({ ...VALID[path], padding: 'x'.repeat(10_000) });
      const tooBig = await send('POST', path, huge);
      expectHandled(tooBig, `${path} 10 KB`);
      expect(tooBig.status, path).toBe(413);
      expect((tooBig.body as z.infer<typeof ErrorBody>).error.code).toBe('PAYLOAD_TOO_LARGE');
      const form = await send('POST', path, 'question=x', 'application/x-www-form-urlencoded');
      expectHandled(form, `${path} form`);
      expect(form.status, path).toBe(415);
    }
    const longQuestion = await send('POST', '/api/query', JSON.stringify({ question: 'q'.repeat(2_001) }));
    expect(longQuestion.status).toBe(400);
    expect((longQuestion.body as z.infer<typeof ErrorBody>).error.issues![0]!.path).toBe('body.question');
  });

  it('refuses text that is not well-formed Unicode, so it never reaches the stores', async () => {
    // A lone surrogate once stored in an example broke every later read of the examples (500).
    const example = await send(
      'POST',
      '/api/examples',
      JSON.stringify({ question: 'orders \ud800', sql: 'select 1' }),
    );
    expect(example.status).toBe(400);
    expect((example.body as z.infer<typeof ErrorBody>).error.issues![0]).toMatchObject({
      path: 'body.question',
      message: 'must be well-formed Unicode text',
    });
    expect((await send('POST', '/api/query', JSON.stringify({ question: '\udc00?' }))).status).toBe(400);
    expect((await send('GET', '/api/examples')).status).toBe(200);
  });

  it('answers random query strings and path parameters on every GET route with a success or a 4xx', async () => {
    const r = prng(11);
    const keys = ['minutes', 'series', 'limit', 'x', 'minutes[]', '__proto__', '', 'a%00b'];
    const values = [
      '1',
      '0',
      '-5',
      '60',
      '10081',
      'true',
      'yes',
      '',
      '%E0%A4%A',
      '1e3',
      'NaN',
      'x'.repeat(4_000),
      '💥',
    ];
    const routes = api.app.routes.filter((route) => route.method === 'get' && !route.hidden);
    expect(routes.map((route) => route.path)).toEqual(
      expect.arrayContaining(['/api/kpis', '/api/kpis/stream', '/api/tables/:name/history', '/api/alerts']),
    );
    for (const route of routes) {
      for (let i = 0; i < 30; i++) {
        const query = Array.from({ length: r.int(4) }, () => `${r.pick(keys)}=${r.pick(values)}`).join('&');
        const path = route.path.replace(/:(\w+)/g, () =>
          r.pick(['silver_events', 'gold_kpis', 'nope', '%00', '..%2F..', 'x'.repeat(300), '💥', 'a b']),
        );
        const target = `${path}${query ? `?${query}` : ''}`;
        expectHandled(await send('GET', target), `GET ${target.slice(0, 100)}`);
      }
    }
  });

  it('is still healthy afterwards and logged no failure', async () => {
    const health = await send('GET', '/health');
    expect(health.status).toBe(200);
    expect([...seen.entries()].filter(([status]) => status >= 500)).toEqual(
      timeouts > 0 ? [[504, timeouts]] : [],
    );
    expect(seen.get(400)).toBeGreaterThan(100);
    expect(api.logs.filter((line) => line['level'] === 'error')).toEqual([]);
  });
});
