// The OpenAPI 3.1 document of the assistant API, generated from the route registry: paths,
// parameters and bodies from the routes' zod schemas (JSON Schema 2020-12, which OpenAPI 3.1
// uses as is), named response schemas as components.
import { z } from 'zod';
import type { RegisteredRoute } from './RouteRegistry.js';
import { ErrorBody } from './schemas.js';

export interface OpenApiInfo {
  title: string;
  version: string;
  description: string;
}

type JsonObject = Record<string, unknown>;

/** Standard error responses every operation may give, added where they apply. */
const COMMON_ERRORS: Record<string, Record<number, string>> = {
  validation: { 400: 'The request did not validate: `error.issues` lists every problem' },
  auth: { 401: 'Missing or wrong bearer token (only when the service has API_TOKEN set)' },
  limit: { 429: 'Too many requests from this client: wait for Retry-After seconds' },
  body: { 413: 'The body is larger than the limit', 415: 'The body is not application/json' },
  internal: { 500: 'An unexpected failure; the log has it under the request id' },
};

/**
 * Builds the document. Schemas with a zod `id` (`.meta({ id })`) become
 * `#/components/schemas/<id>`; everything else is inlined.
 */
export function openApiDocument(
  routes: readonly RegisteredRoute[],
  info: OpenApiInfo,
  options: { bearerAuth: boolean },
): JsonObject {
  const components: Record<string, unknown> = {};
  const convert = (schema: z.ZodType, io: 'input' | 'output'): JsonObject => {
    const json = z.toJSONSchema(schema, {
      io,
      unrepresentable: 'any',
      target: 'draft-2020-12',
    }) as JsonObject;
    const { $schema: _schema, $defs, ...rest } = json;
    const relink = (value: unknown): unknown =>
      JSON.parse(JSON.stringify(value).replaceAll('"#/$defs/', '"#/components/schemas/'));
    for (const [id, def] of Object.entries(($defs ?? {}) as Record<string, unknown>))
      components[id] = relink(def);
    return relink(rest) as JsonObject;
  };

  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    if (route.hidden) continue;
    const openApiPath = route.path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
    const parameters = [
      ...parametersOf(route.params, 'path', convert),
      ...parametersOf(route.query, 'query', convert),
    ];
    const responses: Record<string, unknown> = {};
    const errorStatuses: Record<number, string> = Object.assign(
      {},
      route.params || route.query || route.body ? COMMON_ERRORS['validation'] : {},
      route.body ? COMMON_ERRORS['body'] : {},
      !route.public && options.bearerAuth ? COMMON_ERRORS['auth'] : {},
      !route.public ? COMMON_ERRORS['limit'] : {},
      COMMON_ERRORS['internal'],
    );
    for (const [status, description] of Object.entries(errorStatuses))
      responses[status] = {
        description,
        content: { 'application/json': { schema: convert(ErrorBody, 'output') } },
      };
    for (const [status, response] of Object.entries(route.responses)) {
      const contentType = response.contentType ?? 'application/json';
      responses[status] = {
        description: response.description,
        ...(response.schema
          ? { content: { [contentType]: { schema: convert(response.schema, 'output') } } }
          : response.contentType
            ? { content: { [contentType]: {} } }
            : {}),
      };
    }
    const operation: JsonObject = {
      operationId: route.operationId,
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      tags: route.tags,
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(route.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: convert(route.body, 'input') } },
            },
          }
        : {}),
      responses,
      ...(options.bearerAuth ? { security: route.public ? [] : [{ bearerAuth: [] }] } : {}),
    };
    paths[openApiPath] = { ...paths[openApiPath], [route.method]: operation };
  }

  return {
    openapi: '3.1.0',
    info,
    servers: [{ url: '/' }],
    tags: [...new Set(routes.filter((r) => !r.hidden).flatMap((r) => r.tags))].map((name) => ({ name })),
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(components).sort(([a], [b]) => (a < b ? -1 : 1))),
      ...(options.bearerAuth
        ? { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'API_TOKEN' } } }
        : {}),
    },
  };
}

/** OpenAPI parameters from an object schema: one per property. */
function parametersOf(
  schema: z.ZodType | undefined,
  where: 'path' | 'query',
  convert: (schema: z.ZodType, io: 'input' | 'output') => JsonObject,
): JsonObject[] {
  if (!schema) return [];
  const json = convert(schema, 'input') as { properties?: Record<string, JsonObject>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: where,
      required: where === 'path' || (json.required ?? []).includes(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}
