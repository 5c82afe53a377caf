// GET /docs (Swagger UI from the swagger-ui-dist package, nothing from a CDN) and
// GET /openapi.json: a valid OpenAPI 3.1 document generated from the route registry.
import { validate } from '@readme/openapi-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

type Doc = {
  openapi: string;
  paths: Record<
    string,
    Record<string, { operationId: string; security?: unknown[]; responses: Record<string, unknown> }>
  >;
  components: { schemas: Record<string, unknown>; securitySchemes?: Record<string, unknown> };
};

describe('GET /docs', () => {
  it('serves an interactive page whose scripts and styles are all served here', async () => {
    const r = await call(api.base, '/docs', { token: null });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(r.headers.get('content-security-policy')).toContain("script-src 'self'");
    const page = r.text;
    const links = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(links).toEqual([
      'docs/assets/swagger-ui.css',
      'docs/assets/favicon-32x32.png',
      'docs/assets/swagger-ui-bundle.js',
      'docs/init.js',
    ]);
    for (const link of links) {
      const asset = await fetch(new URL(link, `${api.base}/docs`));
      expect(asset.status, link).toBe(200);
      expect((await asset.arrayBuffer()).byteLength).toBeGreaterThan(100);
    }
    const init = await call(api.base, '/docs/init.js', { token: null });
    expect(init.text).toContain("new URL('openapi.json', document.baseURI)");
    expect(init.text).toContain('validatorUrl: null');
  });

  it('serves only the listed assets and redirects /docs/ to /docs', async () => {
    expect((await call(api.base, '/docs/assets/index.html', { token: null })).status).toBe(404);
    expect((await call(api.base, '/docs/assets/..%2Fpackage.json', { token: null })).status).toBe(404);
    const slash = await fetch(`${api.base}/docs/`, { redirect: 'manual' });
    expect(slash.status).toBe(301);
    expect(new URL(slash.headers.get('location')!, `${api.base}/docs/`).pathname).toBe('/docs');
  });
});

describe('GET /openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const r = await call<Doc>(api.base, '/openapi.json', { token: null });
    expect(r.status).toBe(200);
    expect(r.body.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(r.body) as never);
    expect(result.valid ? [] : result.errors).toEqual([]);
  });

  it('documents every route of the registry, with its operation id, security and error responses', async () => {
    const doc = (await call<Doc>(api.base, '/openapi.json', { token: null })).body;
    const documented = api.app.routes.filter((r) => !r.hidden);
    expect(documented.length).toBeGreaterThanOrEqual(15);
    for (const route of documented) {
      const path = route.path.replace(/:(\w+)/g, '{$1}');
      const operation = doc.paths[path]?.[route.method];
      expect(operation, `${route.method} ${path}`).toBeDefined();
      expect(operation!.operationId).toBe(route.operationId);
      expect(operation!.security).toEqual(route.public ? [] : [{ bearerAuth: [] }]);
      expect(Object.keys(operation!.responses)).toContain('500');
      if (!route.public)
        expect(Object.keys(operation!.responses)).toEqual(expect.arrayContaining(['401', '429']));
    }
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/query',
        '/api/sql',
        '/api/tables',
        '/api/tables/{name}/history',
        '/api/kpis',
        '/api/kpis/stream',
        '/api/pipelines',
        '/api/feedback',
        '/api/examples',
        '/health',
        '/metrics',
        '/docs',
        '/openapi.json',
      ]),
    );
    expect(doc.components.securitySchemes).toEqual({
      bearerAuth: { type: 'http', scheme: 'bearer', description: 'API_TOKEN' },
    });
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(['Answer', 'Error', 'Health', 'Kpis', 'TableInfo', 'VerifiedExample']),
    );
  });

  it('generates request schemas from the zod bodies', async () => {
    const doc = (await call<Doc>(api.base, '/openapi.json', { token: null })).body as unknown as {
      paths: Record<
        string,
        Record<string, { requestBody: { content: Record<string, { schema: unknown }> } }>
      >;
    };
    const schema = doc.paths['/api/query']!['post']!.requestBody.content['application/json']!.schema;
    expect(schema).toMatchObject({
      type: 'object',
      required: ['question'],
      additionalProperties: false,
      properties: {
        question: { type: 'string', minLength: 1, maxLength: 2000 },
        maxRows: { type: 'integer', minimum: 1, maximum: 10000 },
        path: { type: 'string', enum: ['planner', 'llm'] },
      },
    });
  });
});
