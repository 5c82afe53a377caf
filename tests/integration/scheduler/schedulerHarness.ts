// The scheduler tests' harness: a scheduler on the real tslab kernel with its API on
// 127.0.0.1 (in process, or as its own service process for the restart test), a webhook
// receiver, polling helpers and readers for executed notebooks.
import { promises as fs, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Lakehouse } from '@rt-lakehouse/kernel-helpers';
import { createJsonLogger } from '../../../services/src/jsonLogger.js';
import { AlertNotifier } from '../../../services/src/scheduler/AlertNotifier.js';
import { createSchedulerApp } from '../../../services/src/scheduler/createSchedulerApp.js';
import { JupyterNotebookExecutor } from '../../../services/src/scheduler/JupyterNotebookExecutor.js';
import type { RunRecord } from '../../../services/src/scheduler/RunRecord.js';
import { Scheduler } from '../../../services/src/scheduler/Scheduler.js';
import { SchedulerStore } from '../../../services/src/scheduler/SchedulerStore.js';

/** The test notebooks (probe: prints its parameters; failing: throws in cell 1; hold: waits on a file). */
export const NOTEBOOKS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'notebooks');

export interface SchedulerUnderTest {
  scheduler: Scheduler;
  url: string;
  /** The JSON log lines the scheduler wrote. */
  logs: Record<string, unknown>[];
  api<T = Record<string, unknown>>(
    method: string,
    route: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

/** A scheduler over `dir` with the Jupyter executor, its app listening on 127.0.0.1:0. */
export async function startScheduler(options: {
  dir: string;
  lakehouse?: Lakehouse;
  webhookUrl?: string;
  commitPollMs?: number;
  /** The bearer token the API then requires. */
  apiToken?: string;
}): Promise<SchedulerUnderTest> {
  const logs: Record<string, unknown>[] = [];
  const logger = createJsonLogger({
    service: 'scheduler',
    level: 'debug',
    write: (line) => logs.push(JSON.parse(line) as Record<string, unknown>),
  });
  const scheduler = await Scheduler.start({
    store: await SchedulerStore.open(options.dir),
    notebooksDir: NOTEBOOKS_DIR,
    executor: new JupyterNotebookExecutor({ logger }),
    notifier: new AlertNotifier({ logger, webhookUrl: options.webhookUrl, webhookBackoffMs: 100 }),
    logger,
    lakehouse: options.lakehouse,
    commitPollMs: options.commitPollMs ?? 250,
    ...(options.lakehouse ? { runEnv: { LAKEHOUSE_DIR: options.lakehouse.dir } } : {}),
  });
  const server = http.createServer(createSchedulerApp({ scheduler, logger, apiToken: options.apiToken }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    scheduler,
    url,
    logs,
    api: (method, route, body) => api(url, method, route, body),
    close: async () => {
      await scheduler.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** One JSON request to the API. */
export async function api<T = Record<string, unknown>>(
  url: string,
  method: string,
  route: string,
  body?: unknown,
  token?: string,
): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers['authorization'] = `Bearer ${token}`;
  const response = await fetch(`${url}${route}`, {
    method,
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
}

export interface WebhookReceiver {
  url: string;
  /** Bodies of the POSTs answered 200. */
  received: Record<string, unknown>[];
  /** Every POST, answered or refused. */
  attempts: number;
  close(): Promise<void>;
}

/** A webhook on 127.0.0.1 that refuses the first `refuse` POSTs with 503 (to exercise retries). */
export async function startWebhookReceiver(refuse = 0): Promise<WebhookReceiver> {
  const receiver = { url: '', received: [] as Record<string, unknown>[], attempts: 0, close: async () => {} };
  const server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (d: Buffer) => {
      text += d.toString();
    });
    req.on('end', () => {
      receiver.attempts++;
      if (receiver.attempts <= refuse) {
        res.writeHead(503).end();
        return;
      }
      receiver.received.push(JSON.parse(text) as Record<string, unknown>);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  receiver.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return receiver;
}

/** Polls `probe` until it returns a value other than undefined/false; throws after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 120_000,
  everyMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** The runs of a schedule through the API, oldest first. */
export async function runsOf(url: string, scheduleId: string): Promise<RunRecord[]> {
  const { body } = await api<{ runs: RunRecord[] }>(
    url,
    'GET',
    `/api/schedules/${scheduleId}/runs?limit=1000`,
  );
  return [...body.runs].reverse();
}

interface NotebookCell {
  cell_type: string;
  source: string | string[];
  metadata: Record<string, unknown>;
  outputs?: {
    output_type: string;
    name?: string;
    text?: string | string[];
    ename?: string;
    evalue?: string;
  }[];
}

/** The cells of an executed notebook, each with its source and its outputs' text joined. */
export function cellsOf(notebook: {
  cells: NotebookCell[];
}): { source: string; text: string; tags: unknown }[] {
  const join = (s: string | string[] | undefined) => (Array.isArray(s) ? s.join('') : (s ?? ''));
  return notebook.cells.map((c) => ({
    source: join(c.source),
    tags: c.metadata['tags'],
    text: (c.outputs ?? [])
      .map((o) => (o.output_type === 'error' ? `${o.ename}: ${o.evalue}` : join(o.text)))
      .join(''),
  }));
}

/** Pids of the processes whose environment holds `RTLAKEHOUSE_RUN_ID=<runId>` (the runner and its kernel). */
export function processesOfRun(runId: string): number[] {
  const needle = `RTLAKEHOUSE_RUN_ID=${runId}\0`;
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').includes(needle)) pids.push(Number(entry));
    } catch {
      // Gone, or not ours to read.
    }
  }
  return pids;
}

/** Whether a file exists. */
export const exists = (file: string) =>
  fs.access(file).then(
    () => true,
    () => false,
  );
