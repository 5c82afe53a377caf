// docs/api-reference.md is generated from the OpenAPI document: it is up to date, and it
// documents every route the registry declares.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderApiReference, typeOf } from '../../../services/src/assistant/renderApiReference.js';
import { API_REFERENCE, apiReference } from '../../../services/src/assistant/writeApiReference.js';

const root = path.resolve(import.meta.dirname, '../../..');

describe('API reference', () => {
  it('is the committed docs/api-reference.md (npm run docs:api)', () => {
    const wanted = apiReference();
    expect(readFileSync(path.join(root, API_REFERENCE), 'utf8'), 'run npm run docs:api').toBe(wanted);
    for (const heading of [
      '### query',
      '### alerts',
      '### kpisStream',
      '### health',
      '### Alert',
      '### Error',
    ])
      expect(wanted).toContain(`\n${heading}\n`);
  });

  it('renders types, limits, references and access', () => {
    expect(typeOf({ type: 'string', minLength: 1, maxLength: 200 })).toBe('string (1–200 chars)');
    expect(typeOf({ type: 'integer', minimum: 1 })).toBe('integer (≥ 1)');
    expect(typeOf({ type: 'array', items: { $ref: '#/components/schemas/Alert' } })).toBe(
      'array of [Alert](#alert)',
    );
    expect(typeOf({ anyOf: [{ type: 'number' }, { type: 'null' }] })).toBe('number \\| null');
    const doc = renderApiReference({
      info: { title: 'T', version: '1', description: 'D' },
      paths: {
        '/x/{id}': {
          get: {
            operationId: 'getX',
            summary: 'Get x',
            tags: ['t'],
            security: [],
            parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
            responses: {
              200: { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } },
            },
          },
        },
      },
      components: { schemas: {} },
    });
    expect(doc).toContain('| GET | [`/x/{id}`](#getx) | Get x |');
    expect(doc).toContain('`GET /x/{id}` — Get x. Access: public; tags: t.');
    expect(doc).toContain('| `id` | path | string | yes |  |');
  });
});
