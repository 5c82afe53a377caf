// The API reference (docs/api-reference.md) rendered from the OpenAPI document the service
// serves at /openapi.json: one section per operation (access, parameters, body, responses),
// then the named schemas. Pure: document in, markdown out.

type Json = Record<string, unknown>;

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n+/g, ' ');

/** A JSON schema as a short type: `string (1–200 chars)`, `integer ≥ 1`, `array of Alert` ... */
export function typeOf(schema: Json | undefined): string {
  if (!schema) return 'any';
  if (typeof schema['$ref'] === 'string') {
    const name = (schema['$ref'] as string).split('/').at(-1)!;
    return `[${name}](#${name.toLowerCase()})`;
  }
  for (const key of ['anyOf', 'oneOf'] as const)
    if (Array.isArray(schema[key])) return (schema[key] as Json[]).map(typeOf).join(' \\| ');
  if (Array.isArray(schema['enum']))
    return (schema['enum'] as unknown[]).map((v) => `\`${String(v)}\``).join(' \\| ');
  if ('const' in schema) return `\`${String(schema['const'])}\``;
  const type = Array.isArray(schema['type'])
    ? (schema['type'] as string[]).join(' \\| ')
    : String(schema['type'] ?? 'any');
  if (type === 'array') return `array of ${typeOf(schema['items'] as Json | undefined)}`;
  if (
    type === 'object' &&
    schema['additionalProperties'] &&
    typeof schema['additionalProperties'] === 'object'
  )
    return `object of ${typeOf(schema['additionalProperties'] as Json)}`;
  const limits: string[] = [];
  const min = schema['minimum'] ?? schema['minLength'] ?? schema['minItems'];
  const max = schema['maximum'] ?? schema['maxLength'] ?? schema['maxItems'];
  const unit = 'minLength' in schema || 'maxLength' in schema ? ' chars' : '';
  if (min !== undefined && max !== undefined) limits.push(`${min}–${max}${unit}`);
  else if (min !== undefined) limits.push(`≥ ${min}${unit}`);
  else if (max !== undefined) limits.push(`≤ ${max}${unit}`);
  if (typeof schema['format'] === 'string') limits.push(schema['format'] as string);
  else if (typeof schema['pattern'] === 'string') limits.push(`\`${cell(schema['pattern'] as string)}\``);
  return limits.length > 0 ? `${type} (${limits.join(', ')})` : type;
}

function propertiesTable(schema: Json): string[] {
  const properties = (schema['properties'] ?? {}) as Record<string, Json>;
  const required = new Set((schema['required'] ?? []) as string[]);
  if (Object.keys(properties).length === 0) return [`Type: ${typeOf(schema)}`];
  const rows = ['| field | type | required | meaning |', '| --- | --- | --- | --- |'];
  for (const [name, property] of Object.entries(properties)) {
    const fallback =
      property['default'] === undefined ? '' : ` (default \`${JSON.stringify(property['default'])}\`)`;
    rows.push(
      `| \`${name}\` | ${typeOf(property)} | ${required.has(name) ? 'yes' : 'no'} | ${cell(String(property['description'] ?? ''))}${fallback} |`,
    );
  }
  return rows;
}

/** The whole reference. */
export function renderApiReference(document: Json): string {
  const info = document['info'] as Json;
  const paths = document['paths'] as Record<string, Record<string, Json>>;
  const components = ((document['components'] as Json | undefined)?.['schemas'] ?? {}) as Record<
    string,
    Json
  >;
  const out = [
    '# Assistant API reference',
    '',
    '<!-- generated from the OpenAPI document (services/src/assistant) by `npm run docs:api`: do not edit -->',
    '',
    `${info['title']} ${info['version']}. ${info['description']}`,
    '',
    'The same document is served at `/openapi.json` (interactive page at `/docs`). How to run the',
    'service, authentication, CORS, rate limits, the error table, the event stream format and curl',
    'examples: [api.md](api.md). Operations marked *bearer* need `Authorization: Bearer <API_TOKEN>`',
    'when `API_TOKEN` is set.',
    '',
    '## Operations',
    '',
    '| method | path | summary |',
    '| --- | --- | --- |',
  ];
  const operations: { method: string; path: string; op: Json }[] = [];
  for (const [path, methods] of Object.entries(paths))
    for (const [method, op] of Object.entries(methods)) operations.push({ method, path, op });
  for (const { method, path, op } of operations)
    out.push(
      `| ${method.toUpperCase()} | [\`${path}\`](#${String(op['operationId']).toLowerCase()}) | ${cell(String(op['summary']))} |`,
    );

  for (const { method, path, op } of operations) {
    const security = op['security'] as unknown[] | undefined;
    out.push(
      '',
      `### ${op['operationId']}`,
      '',
      `\`${method.toUpperCase()} ${path}\` — ${op['summary']}. Access: ${security && security.length > 0 ? 'bearer' : 'public'}; tags: ${(op['tags'] as string[]).join(', ')}.`,
    );
    if (op['description']) out.push('', String(op['description']));
    const parameters = (op['parameters'] ?? []) as Json[];
    if (parameters.length > 0) {
      out.push('', '| parameter | in | type | required | meaning |', '| --- | --- | --- | --- | --- |');
      for (const p of parameters) {
        const schema = p['schema'] as Json;
        const fallback =
          schema['default'] === undefined ? '' : ` (default \`${JSON.stringify(schema['default'])}\`)`;
        out.push(
          `| \`${p['name']}\` | ${p['in']} | ${typeOf(schema)} | ${p['required'] ? 'yes' : 'no'} | ${cell(String(p['description'] ?? ''))}${fallback} |`,
        );
      }
    }
    const body = ((op['requestBody'] as Json | undefined)?.['content'] as Record<string, Json> | undefined)?.[
      'application/json'
    ]?.['schema'] as Json | undefined;
    if (body) out.push('', 'Request body (`application/json`):', '', ...propertiesTable(body));
    out.push('', '| status | meaning | body |', '| --- | --- | --- |');
    for (const [status, response] of Object.entries(op['responses'] as Record<string, Json>)) {
      const content = (response['content'] ?? {}) as Record<string, Json>;
      const bodies = Object.entries(content).map(([type, c]) =>
        c['schema']
          ? `${typeOf(c['schema'] as Json)}${type === 'application/json' ? '' : ` (${type})`}`
          : type,
      );
      out.push(`| ${status} | ${cell(String(response['description']))} | ${bodies.join(', ') || '—'} |`);
    }
  }

  out.push('', '## Schemas');
  for (const [name, schema] of Object.entries(components)) {
    out.push('', `### ${name}`, '');
    if (schema['description']) out.push(String(schema['description']), '');
    out.push(...propertiesTable(schema));
  }
  return `${out.join('\n')}\n`;
}
