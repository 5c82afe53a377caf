// The configuration registry: it knows every variable the code reads (checked against the
// readers themselves and a scan of the sources), and the generated .env.example,
// docs/configuration.md and README table are the committed ones.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  assistantConfigFromEnv,
  kafkaConfigFromEnv,
  notebookConfigFromEnv,
} from '@rt-lakehouse/kernel-helpers';
import { describe, expect, it } from 'vitest';
import {
  assistantCoreVariables,
  COMPONENTS,
  envRegistry,
  envVariable,
  kafkaVariables,
  variablesOf,
} from '../../../services/src/config/envRegistry.js';
import { renderReadmeTable } from '../../../services/src/config/renderConfigDocs.js';
import { configDocs } from '../../../services/src/config/writeConfigDocs.js';

const root = path.resolve(import.meta.dirname, '../../..');

/** The names `read(env)` looks up by name on its env object. */
function namesRead(read: (env: Record<string, string | undefined>) => unknown): string[] {
  const seen = new Set<string>();
  const env = new Proxy({} as Record<string, string | undefined>, {
    get: (_target, name) => {
      if (typeof name === 'string') seen.add(name);
      return undefined;
    },
  });
  read(env);
  return [...seen].sort();
}

async function sourceFiles(dir: string, ext: RegExp): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && !['node_modules', 'dist', 'labextension', 'lib'].includes(entry.name))
      out.push(...(await sourceFiles(full, ext)));
    else if (entry.isFile() && ext.test(entry.name)) out.push(full);
  }
  return out;
}

describe('envRegistry', () => {
  it('has each variable once, described, with known readers', () => {
    const names = envRegistry.map((v) => v.name);
    expect(new Set(names).size).toBe(names.length);
    for (const v of envRegistry) {
      expect(v.name).toMatch(/^[A-Z][A-Z0-9_]+$/);
      expect(v.description.length).toBeGreaterThan(5);
      expect(v.readers.length).toBeGreaterThan(0);
      for (const reader of v.readers) expect(COMPONENTS).toContain(reader);
      if (v.secret) expect(v.default).toBeUndefined();
    }
    expect(envVariable('ASSISTANT_PORT')).toMatchObject({ default: '8000', readers: ['assistant', 'cli'] });
    expect(envVariable('TRUST_PROXY')?.default).toBe('loopback');
    expect(envVariable('CORS_ORIGINS')?.default).toBe('http://localhost:8888,http://127.0.0.1:8888');
    expect(envVariable('ALERT_CONVERSION_RATE_MIN')?.default).toBe('0.02');
    expect(envVariable('ALERT_PROCESSING_LAG_MAX_S')?.default).toBe('300');
    expect(envVariable('ALERT_ERROR_RATE_MAX')?.default).toBe('0.05');
    expect(envVariable('ALERT_SERVICE_DOWNTIME_MAX_S')?.default).toBe('60');
    expect(envVariable('API_TOKEN')).toMatchObject({
      secret: true,
      readers: ['assistant', 'scheduler', 'jupyter', 'cli'],
    });
    expect(variablesOf('producer').map((v) => v.name)).toContain('PRODUCER_RATE');
  });

  it('declares exactly the variables the AI assistant and the Kafka client read', () => {
    expect(namesRead((env) => assistantConfigFromEnv(env))).toEqual(
      assistantCoreVariables.map((v) => v.name).sort(),
    );
    expect(namesRead((env) => kafkaConfigFromEnv(env))).toEqual(kafkaVariables.map((v) => v.name).sort());
  });

  it('declares the notebook session variables with the defaults notebookConfigFromEnv applies', () => {
    const defaults = notebookConfigFromEnv({}, '/base');
    expect(defaults).toMatchObject({
      lakehouseDir: '/base/data',
      kafkaTopic: envVariable('KAFKA_TOPIC')?.default,
      pipelinesUrl: envVariable('PIPELINES_URL')?.default,
      schedulerUrl: envVariable('SCHEDULER_URL')?.default,
      maxRows: Number(envVariable('NOTEBOOK_MAX_ROWS')?.default),
    });
    const set = notebookConfigFromEnv(
      {
        LAKEHOUSE_DIR: '/lake',
        KAFKA_BROKERS: 'k:9092',
        KAFKA_TOPIC: 't',
        PIPELINES_URL: 'http://p:1',
        SCHEDULER_URL: 'http://s:2',
        NOTEBOOK_MAX_ROWS: '7',
        RTLAKEHOUSE_TABLE_READS_FILE: 'run/reads.jsonl',
      },
      '/base',
    );
    expect(set).toEqual({
      lakehouseDir: '/lake',
      kafkaBrokers: 'k:9092',
      kafkaTopic: 't',
      pipelinesUrl: 'http://p:1',
      schedulerUrl: 'http://s:2',
      maxRows: 7,
      tableReadsFile: '/base/run/reads.jsonl',
    });
  });

  it('knows every variable named in an env lookup of the sources', async () => {
    const files = [
      ...(await sourceFiles(path.join(root, 'services/src'), /\.ts$/)),
      ...(await sourceFiles(path.join(root, 'kernel-helpers/src'), /\.ts$/)),
      ...(await sourceFiles(path.join(root, 'pipelines/src'), /\.ts$/)),
      ...(await sourceFiles(path.join(root, 'extension/rt_lakehouse_extension'), /\.py$/)),
    ];
    const lookups = [
      /\benv\[['"]([A-Z][A-Z0-9_]+)['"]\]/g,
      /process\.env\.([A-Z][A-Z0-9_]+)/g,
      /os\.environ\.get\(\s*['"]([A-Z][A-Z0-9_]+)['"]/g,
    ];
    const found = new Map<string, string>();
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      for (const pattern of lookups)
        for (const match of text.matchAll(pattern)) found.set(match[1]!, path.relative(root, file));
    }
    // The system's own, and what a parent process sets for its children: not settings a user gives.
    const internal = new Set(['PATH', 'HOME', 'PYTHONUNBUFFERED', 'NODE_OPTIONS']);
    const unknown = [...found].filter(([name]) => !internal.has(name) && !envVariable(name));
    expect(unknown).toEqual([]);
    expect(found.size).toBeGreaterThan(10);
  });

  it('generated .env.example, docs/configuration.md and the README table are up to date', async () => {
    for (const [file, wanted] of await configDocs(root)) {
      const current = await readFile(path.join(root, file), 'utf8');
      expect(current, `${file} is out of date: run npm run config:docs`).toBe(wanted);
    }
    const example = await readFile(path.join(root, '.env.example'), 'utf8');
    for (const v of envRegistry) expect(example).toContain(`# ${v.name}=`);
    expect(renderReadmeTable(envRegistry)).toContain('`ALERT_WEBHOOK_URL`');
  });
});
