// `npm run docs:api`: writes docs/api-reference.md from the OpenAPI document of the assistant
// API (the app's own, built by createApp with the bearer scheme on). The app is built only for
// its route declarations: no request is served, so its dependencies are left unopened.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { noopLogger } from '@rt-lakehouse/kernel-helpers';
import { Registry } from 'prom-client';
import { assistantServiceConfigFromEnv } from './assistantServiceConfig.js';
import { type AssistantAppDeps, createApp } from './createApp.js';
import { renderApiReference } from './renderApiReference.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const API_REFERENCE = 'docs/api-reference.md';

/** The reference as `npm run docs:api` writes it. */
export function apiReference(): string {
  const unused = new Proxy(
    {},
    {
      get: (_target, name) => {
        throw new Error(`writeApiReference: the app used its dependencies (${String(name)})`);
      },
    },
  );
  const app = createApp({
    assistant: unused,
    engine: unused,
    lakehouse: unused,
    pipelinesStatus: () => Promise.reject(new Error('unused')),
    config: assistantServiceConfigFromEnv({ API_TOKEN: 'documented-token' }),
    logger: noopLogger,
    registry: new Registry(),
  } as unknown as AssistantAppDeps);
  return renderApiReference(app.openApi);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const target = path.join(root, API_REFERENCE);
  const wanted = apiReference();
  const current = await readFile(target, 'utf8').catch(() => '');
  if (process.argv.includes('--check')) {
    if (current !== wanted) {
      console.error(`${API_REFERENCE} is out of date: run npm run docs:api`);
      process.exit(1);
    }
  } else if (current !== wanted) {
    await writeFile(target, wanted);
    console.log(`wrote ${API_REFERENCE}`);
  } else console.log(`${API_REFERENCE} is up to date`);
}
