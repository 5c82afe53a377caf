// The OpenAPI document generated from a route registry: paths, parameters, bodies, named
// component schemas and security; checked by an OpenAPI 3.x validator (which does refuse a
// broken document).
import { validate } from '@readme/openapi-parser';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openApiDocument } from '../../../services/src/assistant/openApiDocument.js';
import { RouteRegistry } from '../../../services/src/assistant/RouteRegistry.js';

const Thing = z.strictObject({ id: z.string(), size: z.int() }).meta({ id: 'UnitThing' });

function registry(): RouteRegistry {
  return new RouteRegistry()
    .add({
      method: 'get',
      path: '/things/:id',
      operationId: 'thing',
      summary: 'A thing',
      tags: ['things'],
      params: z.strictObject({ id: z.string().describe('Its id') }),
      query: z.strictObject({ full: z.enum(['yes', 'no']).default('no'), n: z.coerce.number().int() }),
      responses: { 200: { description: 'The thing', schema: Thing } },
      handler: () => ({}),
    })
    .add({
      method: 'post',
      path: '/things',
      operationId: 'addThing',
      summary: 'Add a thing',
      tags: ['things'],
      body: z.strictObject({ size: z.int().min(1) }),
      status: 201,
      responses: { 201: { description: 'Added', schema: Thing } },
      handler: () => ({}),
    })
    .add({
      method: 'get',
      path: '/ping',
      operationId: 'ping',
      summary: 'Ping',
      tags: ['ops'],
      public: true,
      responses: { 200: { description: 'pong', contentType: 'text/plain' } },
      handler: () => 'pong',
    })
    .add({
      method: 'get',
      path: '/secret-asset',
      operationId: 'asset',
      summary: 'hidden',
      tags: ['ops'],
      public: true,
      hidden: true,
      responses: { 200: { description: 'x' } },
      handler: () => 'x',
    });
}

const info = { title: 'T', version: '1', description: 'D' };

describe('openApiDocument', () => {
  it('builds a valid OpenAPI 3.1 document from the registry', async () => {
    const doc = openApiDocument(registry().routes, info, { bearerAuth: true });
    const result = await validate(structuredClone(doc) as never);
    expect(result.valid ? [] : result.errors).toEqual([]);
  });

  it('turns params and query schemas into parameters, bodies into request bodies', () => {
    const doc = openApiDocument(registry().routes, info, { bearerAuth: true }) as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
      components: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(doc.paths)).toEqual(['/things/{id}', '/things', '/ping']);
    expect(doc.paths['/things/{id}']!['get']!['parameters']).toEqual([
      { name: 'id', in: 'path', required: true, description: 'Its id', schema: { type: 'string' } },
      {
        name: 'full',
        in: 'query',
        required: false,
        schema: { default: 'no', type: 'string', enum: ['yes', 'no'] },
      },
      {
        name: 'n',
        in: 'query',
        required: true,
        schema: { type: 'integer', minimum: -9007199254740991, maximum: 9007199254740991 },
      },
    ]);
    expect(doc.paths['/things']!['post']!['requestBody']).toEqual({
      required: true,
      content: {
        'application/json': {
          schema: {
            type: 'object',
            properties: { size: { type: 'integer', minimum: 1, maximum: 9007199254740991 } },
            required: ['size'],
            additionalProperties: false,
          },
        },
      },
    });
    const responses = doc.paths['/things']!['post']!['responses'] as Record<string, unknown>;
    expect(Object.keys(responses).sort()).toEqual(['201', '400', '401', '413', '415', '429', '500']);
    expect(responses['201']).toEqual({
      description: 'Added',
      content: { 'application/json': { schema: { $ref: '#/components/schemas/UnitThing' } } },
    });
    expect(doc.components['schemas']!['UnitThing']).toMatchObject({
      type: 'object',
      required: ['id', 'size'],
    });
    expect(doc.paths['/ping']!['get']!['security']).toEqual([]);
    expect(doc.paths['/things']!['post']!['security']).toEqual([{ bearerAuth: [] }]);
  });

  it('leaves security out when the service has no token', () => {
    const doc = openApiDocument(registry().routes, info, { bearerAuth: false }) as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
      components: Record<string, unknown>;
    };
    expect(doc.paths['/things']!['post']!).not.toHaveProperty('security');
    expect(Object.keys(doc.paths['/things']!['post']!['responses'] as object)).not.toContain('401');
    expect(doc.components).not.toHaveProperty('securitySchemes');
  });

  it('is checked by a validator that refuses a broken document', async () => {
    const doc = openApiDocument(registry().routes, info, { bearerAuth: true }) as Record<string, unknown>;
    const broken = { ...doc, paths: { '/x': { get: { responses: { 200: { content: {} } } } } } };
    const result = await validate(broken as never);
    expect(result.valid).toBe(false);
  });

  it('refuses a route declared twice', () => {
    const r = registry();
    expect(() =>
      r.add({
        method: 'get',
        path: '/ping',
        operationId: 'p2',
        summary: 's',
        tags: [],
        responses: {},
        handler: () => 1,
      }),
    ).toThrow('route GET /ping is declared twice');
  });
});
