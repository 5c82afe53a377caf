// The API tests' harness: a seeded lakehouse per test file, the assistant app built by
// createApp and listening on 127.0.0.1 (port 0), a fetch helper, an SSE reader and the JSON
// log lines the app wrote.
import type { AddressInfo } from 'node:net';
import {
  type Assistant,
  assistantConfigFromEnv,
  createAssistant,
  DuckDbSqlEngine,
  Lakehouse,
  type SqlEngine,
} from '@rt-lakehouse/kernel-helpers';
import { seedLakehouse } from '@rt-lakehouse/pipelines';
import { Registry } from 'prom-client';
import type { AlertService } from '../../../services/src/assistant/AlertService.js';
import { assistantServiceConfigFromEnv } from '../../../services/src/assistant/assistantServiceConfig.js';
import { type AssistantApp, createApp } from '../../../services/src/assistant/createApp.js';
import { createJsonLogger } from '../../../services/src/jsonLogger.js';
import { makeTempDir, removeDir } from '../../support/tempDir.js';

export const TOKEN = 'test-token-0123456789';

export interface SeededLakehouse {
  dir: string;
  lakehouse: Lakehouse;
  engine: DuckDbSqlEngine;
  close(): Promise<void>;
}

/** A temp lakehouse seeded with 20,000 events over 2 days (seed 1), and an engine over it. */
export async function seededLakehouse(): Promise<SeededLakehouse> {
  const dir = await makeTempDir('rtl-api-');
  const lakehouse = await Lakehouse.open({ dir });
  await seedLakehouse({ lakehouse, events: 20_000, days: 2, seed: 1 });
  const engine = await DuckDbSqlEngine.create({ lakehouse });
  return {
    dir,
    lakehouse,
    engine,
    close: async () => {
      await engine.close();
      lakehouse.close();
      await removeDir(dir);
    },
  };
}

/**
 * The assistant the tests run against: the real one, embedded planner only (no LLM whatever the
 * environment says), its vectors in memory.
 */
export function defaultAssistant(lake: SeededLakehouse, engine: SqlEngine = lake.engine): Promise<Assistant> {
  return createAssistant({
    lakehouse: lake.lakehouse,
    engine,
    config: assistantConfigFromEnv({ ASSISTANT_KNOWLEDGE_PATH: ':memory:' }),
  });
}

export interface RunningApi {
  base: string;
  app: AssistantApp;
  registry: Registry;
  /** Parsed JSON log lines the app wrote, in order. */
  logs: Record<string, unknown>[];
  stop(): Promise<void>;
}

export interface StartOptions {
  lake: SeededLakehouse;
  /** Environment the config is parsed from (nothing from process.env). */
  env?: Record<string, string>;
  assistant?: Assistant;
  engine?: SqlEngine;
  pipelinesStatus?: () => Promise<unknown>;
  /** The registry the app registers its metrics in (a new one by default). */
  registry?: Registry;
  /** The alert monitor behind GET /api/alerts. */
  alerts?: AlertService;
}

/** Builds the app with createApp and listens on 127.0.0.1:0. */
export async function startApi(options: StartOptions): Promise<RunningApi> {
  const logs: Record<string, unknown>[] = [];
  const engine = options.engine ?? options.lake.engine;
  const registry = options.registry ?? new Registry();
  const assistant = options.assistant ?? (await defaultAssistant(options.lake, engine));
  const app = createApp({
    assistant,
    engine,
    lakehouse: options.lake.lakehouse,
    pipelinesStatus:
      options.pipelinesStatus ??
      (() => Promise.reject(Object.assign(new Error('fetch failed'), { cause: { code: 'ECONNREFUSED' } }))),
    config: assistantServiceConfigFromEnv({ RATE_LIMIT_PER_MIN: '100000', ...options.env }),
    logger: createJsonLogger({
      service: 'assistant',
      level: 'debug',
      write: (line) => logs.push(JSON.parse(line) as Record<string, unknown>),
    }),
    registry,
    alerts: options.alerts,
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    app,
    registry,
    logs,
    stop: async () => {
      app.endStreams();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (!options.assistant) await assistant.close();
    },
  };
}

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** A request to the app; the body is sent as JSON unless it is a string. JSON answers are parsed. */
export async function call<T = Record<string, unknown>>(
  base: string,
  path: string,
  init: { method?: string; body?: unknown; token?: string | null; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token !== null) headers['authorization'] ??= `Bearer ${init.token ?? TOKEN}`;
  let body: string | undefined;
  if (init.body !== undefined) {
    body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${base}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    ...(body !== undefined ? { body } : {}),
  });
  const text = await response.text();
  const json = (response.headers.get('content-type') ?? '').includes('json');
  return {
    status: response.status,
    headers: response.headers,
    body: (json ? JSON.parse(text) : text) as T,
    text,
  };
}

/** One server-sent event, or a comment line (`event: 'comment'`). */
export interface SseMessage {
  event: string;
  id: string | undefined;
  data: string;
}

/** Reads an event stream: `next()` resolves with the next event or comment, in order. */
export function sseReader(response: Response): { next(timeoutMs?: number): Promise<SseMessage> } {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const queue: SseMessage[] = [];
  const parseBlock = (block: string) => {
    if (block.startsWith(':')) {
      queue.push({ event: 'comment', id: undefined, data: block.slice(1).trim() });
      return;
    }
    let event = 'message';
    let id: string | undefined;
    const data: string[] = [];
    for (const line of block.split('\n')) {
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'id') id = value;
      else if (field === 'data') data.push(value);
      else if (field === 'retry') event = 'retry';
    }
    queue.push({ event, id, data: data.join('\n') });
  };
  return {
    async next(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (queue.length === 0) {
        if (Date.now() > deadline) throw new Error('no server-sent event in time');
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('no server-sent event in time')), deadline - Date.now());
        });
        const { value, done } = await Promise.race([reader.read(), late]).finally(() => clearTimeout(timer));
        if (done) throw new Error('the event stream ended');
        buffer += decoder.decode(value, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end !== -1) {
          parseBlock(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf('\n\n');
        }
      }
      return queue.shift()!;
    },
  };
}

/** Polls `check` until it holds (or throws after `timeoutMs`). */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
