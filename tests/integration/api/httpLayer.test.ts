// The HTTP layer around the routes: bearer auth (missing, wrong, right; public routes), CORS
// (allowed and blocked origins, preflights), request ids, 404/405/413/415 and invalid JSON,
// the rate limit (429), the error handler (no stack traces, unexpected errors logged) and
// the JSON access log.
import type { Assistant } from '@rt-lakehouse/kernel-helpers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody } from '../../../services/src/assistant/schemas.js';
import {
  call,
  type RunningApi,
  type SeededLakehouse,
  seededLakehouse,
  startApi,
  TOKEN,
} from './apiHarness.js';
import { createFakeAssistant } from './fakeAssistant.js';

let lake: SeededLakehouse;
let api: RunningApi;

beforeAll(async () => {
  lake = await seededLakehouse();
  api = await startApi({
    lake,
    env: {
      API_TOKEN: TOKEN,
      CORS_ORIGINS: 'http://lab.example:8888, https://notebooks.example',
      BODY_LIMIT_BYTES: '2048',
    },
  });
});

afterAll(async () => {
  await api?.stop();
  await lake?.close();
});

const errorOf = (body: unknown) => ErrorBody.parse(body).error;

describe('bearer auth', () => {
  it('answers 401 UNAUTHORIZED with a Bearer challenge without a token', async () => {
    const r = await call(api.base, '/api/tables', { token: null });
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toBe('Bearer realm="rt-lakehouse"');
    expect(errorOf(r.body)).toMatchObject({
      code: 'UNAUTHORIZED',
      message: 'this route needs a bearer token: Authorization: Bearer <API_TOKEN>',
    });
  });

  it.each([
    ['a wrong token', 'Bearer not-the-token'],
    ['another scheme', `Basic ${TOKEN}`],
    ['a token with a suffix', `Bearer ${TOKEN}x`],
  ])('answers 401 INVALID_TOKEN for %s', async (_label, authorization) => {
    const r = await call(api.base, '/api/tables', { headers: { authorization } });
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toBe(
      'Bearer realm="rt-lakehouse", error="invalid_token", error_description="the token is not valid"',
    );
    expect(errorOf(r.body).code).toBe('INVALID_TOKEN');
  });

  it('lets the right token through (the scheme in any case)', async () => {
    expect((await call(api.base, '/api/tables')).status).toBe(200);
    expect(
      (await call(api.base, '/api/tables', { headers: { authorization: `bearer ${TOKEN}` } })).status,
    ).toBe(200);
  });

  it('checks the token before reading the body', async () => {
    const r = await call(api.base, '/api/sql', { token: null, body: '{not json' });
    expect(r.status).toBe(401);
  });

  it.each(['/health', '/docs', '/openapi.json'])('keeps %s public', async (path) => {
    expect((await call(api.base, path, { token: null })).status).toBe(200);
  });

  it('needs no token when API_TOKEN is not set', async () => {
    const open = await startApi({ lake });
    try {
      expect((await call(open.base, '/api/tables', { token: null })).status).toBe(200);
    } finally {
      await open.stop();
    }
  });
});

describe('CORS', () => {
  it('allows a listed origin and exposes the request id', async () => {
    const r = await call(api.base, '/api/tables', { headers: { origin: 'http://lab.example:8888' } });
    expect(r.status).toBe(200);
    expect(r.headers.get('access-control-allow-origin')).toBe('http://lab.example:8888');
    expect(r.headers.get('access-control-expose-headers')).toContain('X-Request-Id');
    expect(r.headers.get('vary')).toContain('Origin');
  });

  it('answers a preflight from a listed origin with 204, without a token', async () => {
    const r = await call(api.base, '/api/query', {
      method: 'OPTIONS',
      token: null,
      headers: {
        origin: 'https://notebooks.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(r.status).toBe(204);
    expect(r.headers.get('access-control-allow-origin')).toBe('https://notebooks.example');
    expect(r.headers.get('access-control-allow-methods')).toBe('GET, HEAD, POST, OPTIONS');
    expect(r.headers.get('access-control-allow-headers')).toBe(
      'Authorization, Content-Type, X-Request-Id, Last-Event-ID',
    );
    expect(r.headers.get('access-control-max-age')).toBe('600');
  });

  it('refuses other origins with 403, preflight or not', async () => {
    for (const method of ['GET', 'OPTIONS']) {
      const r = await call(api.base, '/api/tables', {
        method,
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
      });
      expect(r.status).toBe(403);
      expect(r.headers.get('access-control-allow-origin')).toBeNull();
      expect(errorOf(r.body)).toMatchObject({
        code: 'CORS_ORIGIN_DENIED',
        message: 'origin https://evil.example is not allowed (CORS_ORIGINS)',
      });
    }
  });

  it("allows the service's own origin (the docs page trying requests)", async () => {
    const r = await call(api.base, '/api/tables', { headers: { origin: api.base } });
    expect(r.status).toBe(200);
  });
});

describe('request ids', () => {
  it('echoes a sane x-request-id and puts it in the error body and the access log', async () => {
    const r = await call(api.base, '/api/nope', { headers: { 'x-request-id': 'lab-42.abc' } });
    expect(r.headers.get('x-request-id')).toBe('lab-42.abc');
    expect(errorOf(r.body).requestId).toBe('lab-42.abc');
    const line = api.logs.find((l) => l['requestId'] === 'lab-42.abc');
    expect(line).toMatchObject({
      level: 'info',
      service: 'assistant',
      msg: 'request',
      method: 'GET',
      route: 'unmatched',
      path: '/api/nope',
      status: 404,
      errorCode: 'ROUTE_NOT_FOUND',
    });
    expect(line!['durationMs']).toBeTypeOf('number');
  });

  it('replaces an unusable one with a UUID', async () => {
    const r = await call(api.base, '/health', { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(r.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('errors', () => {
  it('answers unknown routes with 404 JSON', async () => {
    const r = await call(api.base, '/api/unknown');
    expect(r.status).toBe(404);
    expect(errorOf(r.body)).toMatchObject({ code: 'ROUTE_NOT_FOUND', message: 'no route GET /api/unknown' });
  });

  it('answers other methods on a route with 405 and Allow', async () => {
    const r = await call(api.base, '/api/query', { method: 'GET' });
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toBe('POST, OPTIONS');
    expect(errorOf(r.body)).toMatchObject({
      code: 'METHOD_NOT_ALLOWED',
      message: 'GET is not allowed on /api/query; use POST, OPTIONS',
      allow: ['POST', 'OPTIONS'],
    });
    const put = await call(api.base, '/api/tables', { method: 'PUT' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
  });

  it('answers a body over the limit with 413', async () => {
    const r = await call(api.base, '/api/sql', { body: { sql: 'x'.repeat(4_000) } });
    expect(r.status).toBe(413);
    expect(errorOf(r.body)).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      message: 'the request body is larger than the limit of 2048 bytes',
    });
  });

  it('answers a body that is not JSON with 415, and broken JSON with 400', async () => {
    const text = await call(api.base, '/api/sql', {
      body: 'select 1',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.status).toBe(415);
    expect(errorOf(text.body)).toMatchObject({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'the request body must be application/json, not text/plain',
    });
    const broken = await call(api.base, '/api/sql', { body: '{"sql": "select 1"' });
    expect(broken.status).toBe(400);
    expect(errorOf(broken.body).code).toBe('INVALID_JSON');
    const charset = await call(api.base, '/api/sql', {
      body: '{"sql": "select 1"}',
      headers: { 'content-type': 'application/json; charset=latin-9' },
    });
    expect(charset.status).toBe(415);
  });

  it('answers 500 INTERNAL_ERROR without the message or stack of an unexpected failure, and logs it', async () => {
    const failing: Assistant = {
      ...createFakeAssistant(lake.engine),
      ask: () => Promise.reject(new Error('secret internals at /srv/app.ts:12')),
    };
    const own = await startApi({ lake, assistant: failing });
    try {
      const r = await call(own.base, '/api/query', { body: { question: 'anything' } });
      expect(r.status).toBe(500);
      expect(r.text).not.toContain('secret');
      expect(r.text).not.toContain('.ts:');
      expect(errorOf(r.body)).toEqual({
        code: 'INTERNAL_ERROR',
        message: 'the service failed to handle the request; the log has the details under this request id',
        requestId: r.headers.get('x-request-id'),
      });
      const logged = own.logs.find((l) => l['msg'] === 'request failed');
      expect(logged).toMatchObject({
        level: 'error',
        requestId: r.headers.get('x-request-id'),
        error: { message: 'secret internals at /srv/app.ts:12' },
      });
      expect(String(logged!['stack'])).toContain('secret internals');
    } finally {
      await own.stop();
    }
  });
});

describe('malformed input', () => {
  const junk: unknown[] = [
    'null',
    '"a string"',
    '42',
    '[]',
    '{"__proto__": {"polluted": true}}',
    '{"question": {"nested": [1, 2, {"deep": null}]}, "sql": ["select 1"], "turnId": 7}',
    '{"question": "\u0000\ud800", "sql": "\u0000", "turnId": ""}',
    '{"maxRows": 1e309, "timeoutMs": -0, "conversationId": null}',
    `{"sql": ${JSON.stringify('('.repeat(500))}}`,
    '\u00ff\u00fe',
    '{"a":',
  ];

  it('answers every body route with 4xx, never 5xx, for malformed bodies', async () => {
    const routes = api.app.routes.filter((r) => r.body);
    expect(routes.map((r) => r.path)).toEqual(
      expect.arrayContaining(['/api/query', '/api/sql', '/api/feedback', '/api/examples']),
    );
    for (const route of routes)
      for (const body of junk) {
        const r = await call(api.base, route.path, { method: route.method.toUpperCase(), body });
        expect(r.status, `${route.path} ${body}`).toBeGreaterThanOrEqual(400);
        expect(r.status, `${route.path} ${body}`).toBeLessThan(500);
        expect(ErrorBody.safeParse(r.body).success, `${route.path} ${body}`).toBe(true);
      }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it.each([
    ['/api/tables/%E0%A4%A/history', 400],
    ['/api/tables/a%00b/history', 400],
    ['/api/kpis?minutes=1&minutes=2', 400],
    ['/api/kpis?minutes[]=1', 400],
    ['/api/tables/silver_events/history?limit=1e3', 200],
    [`/api/conversations/${'x'.repeat(300)}`, 400],
  ])('answers %s with %i', async (path, status) => {
    const r = await call(api.base, path);
    expect(r.status).toBe(status);
    if (status >= 400) expect(ErrorBody.safeParse(r.body).success).toBe(true);
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After past RATE_LIMIT_PER_MIN, per client, on protected routes only', async () => {
    const limited = await startApi({ lake, env: { RATE_LIMIT_PER_MIN: '3' } });
    try {
      for (let i = 0; i < 3; i++) {
        const r = await call(limited.base, '/api/tables');
        expect(r.status).toBe(200);
        expect(r.headers.get('ratelimit-policy')).toBe('3;w=60');
      }
      const r = await call(limited.base, '/api/tables');
      expect(r.status).toBe(429);
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(errorOf(r.body)).toMatchObject({
        code: 'RATE_LIMITED',
        message: 'more than 3 requests a minute from this client',
        limitPerMinute: 3,
      });
      expect((await call(limited.base, '/api/kpis')).status).toBe(429);
      expect((await call(limited.base, '/health')).status).toBe(200);
    } finally {
      await limited.stop();
    }
  });
});
