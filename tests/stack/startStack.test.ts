// The README's one command on a clean clone, embedded mode (no broker): `./start.sh --embedded`
// installs what is missing and starts everything; the AI answers a question of the public set
// through the API, the KPIs advance, Ctrl-C stops it all with exit code 0 and no process left;
// a second start continues from the tables of the first, and `./start.sh stop` from another
// terminal stops it.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../support/tempDir.js';
import {
  baseEnv,
  eventually,
  freePorts,
  http,
  orphansOf,
  portEnv,
  prepareClone,
  publicQuestion,
  readState,
  type StackPorts,
  type StackProcess,
  saveExtensionBuild,
  startScript,
} from './stackHarness.js';

const TOKEN = 'stack-test-token-1234';
let clone: string;
let dataDir: string;
let ports: StackPorts;
let env: NodeJS.ProcessEnv;
let running: StackProcess | undefined;

beforeAll(async () => {
  clone = await prepareClone();
  dataDir = await makeTempDir('rtl-stack-embedded-');
  ports = await freePorts();
  env = baseEnv({ LAKEHOUSE_DIR: dataDir, ...portEnv(ports), API_TOKEN: TOKEN, PRODUCER_RATE: '200' });
});
afterAll(async () => {
  if (running && running.child.exitCode === null) {
    running.interrupt();
    await running.exited;
  }
  await removeDir(dataDir);
});

const kpis = async () => {
  const { status, body } = await http(`http://127.0.0.1:${ports.assistant}/api/kpis?minutes=1440`, {
    token: TOKEN,
  });
  expect(status).toBe(200);
  return body as { version: number | null; totals: { total_events: number } };
};

describe('./start.sh, embedded mode, on a clean clone', () => {
  it('sets up, starts every service, answers a question, KPIs advance, and Ctrl-C stops everything', async () => {
    running = startScript(clone, ['--embedded'], env);
    // The first run on a machine builds the test venv and the extension: minutes, not seconds.
    await running.waitFor(/^Stop: Ctrl-C/m, 1_500_000);
    const out = running.output;
    expect(out).toContain('==> npm packages');
    expect(out).toMatch(/==> Python venv/);
    expect(out).toMatch(/Mode: embedded/);
    for (const service of ['embedded', 'assistant'])
      expect(out).toMatch(new RegExp(`^  ${service} +ok `, 'm'));
    expect(out).toMatch(/^ {2}jupyter +(ok|wait) /m);
    expect(out).toMatch(
      new RegExp(`Open http://127\\.0\\.0\\.1:${ports.jupyter}/lab/tree/01_quick_start\\.ipynb\\?token=`),
    );

    const state = await readState(dataDir);
    expect(state?.mode).toBe('embedded');
    expect(state?.pid).toBe(running.child.pid);

    // The API answers a question of the public set with rows and SQL.
    const question = publicQuestion(0);
    const unauthorised = await http(`http://127.0.0.1:${ports.assistant}/api/query`, { body: { question } });
    expect(unauthorised.status).toBe(401);
    const answer = await eventually(
      async () => {
        const r = await http(`http://127.0.0.1:${ports.assistant}/api/query`, {
          body: { question },
          token: TOKEN,
        });
        return r.status === 200 && r.body.rowCount > 0 ? r.body : undefined;
      },
      120_000,
      () => 'no answer with rows',
    );
    expect(answer.sql).toMatch(/select/i);
    expect(answer.rows.length).toBeGreaterThan(0);

    // The KPIs advance: a newer gold_kpis version with more events.
    const first = await eventually(
      async () => {
        const k = await kpis();
        return k.version !== null && k.totals.total_events > 0 ? k : undefined;
      },
      120_000,
      () => 'no KPIs',
    );
    const second = await eventually(
      async () => {
        const k = await kpis();
        return k.version! > first.version! && k.totals.total_events > first.totals.total_events
          ? k
          : undefined;
      },
      120_000,
      () => `KPIs stayed at ${JSON.stringify(first.totals)}`,
    );
    expect(second.totals.total_events).toBeGreaterThan(first.totals.total_events);

    // JupyterLab: the tslab kernel and the extension are there.
    await eventually(
      async () => (await http(`http://127.0.0.1:${ports.jupyter}/api`)).status === 200,
      120_000,
      () => 'no JupyterLab',
    );
    const specs = await http(
      `http://127.0.0.1:${ports.jupyter}/api/kernelspecs?token=${state ? (running.output.match(/token=([0-9a-f]+)/)?.[1] ?? '') : ''}`,
    );
    expect(specs.status).toBe(200);
    expect(Object.keys(specs.body.kernelspecs)).toContain('tslab');

    // `status` from another terminal sees the stack and its health.
    const { lakehouseCli } = await import('./stackHarness.js');
    const status = await lakehouseCli(clone, ['status', '--json'], env);
    expect(status.code).toBe(0);
    const report = JSON.parse(status.stdout);
    expect(report.stack).toMatchObject({ running: true, mode: 'embedded' });
    expect(report.stack.services.find((s: { name: string }) => s.name === 'assistant')).toMatchObject({
      alive: true,
      health: 200,
    });
    expect(report.tables.silver_events.rows).toBeGreaterThan(0);
    expect(report.pipelines.map((p: { name: string }) => p.name)).toEqual(['bronze', 'silver', 'gold']);

    running.interrupt();
    const exit = await running.exited;
    expect(running.output).toContain('Stopped.');
    expect(exit).toEqual({ code: 0, signal: null });
    expect(await orphansOf(clone)).toEqual([]);
    expect(await orphansOf(dataDir)).toEqual([]);
    expect(await readState(dataDir)).toBeNull();
    await saveExtensionBuild(clone);
  });

  it('a second start continues from the tables of the first; `./start.sh stop` stops it from another terminal', async () => {
    const { lakehouseCli } = await import('./stackHarness.js');
    const before = JSON.parse((await lakehouseCli(clone, ['status', '--json'], env)).stdout) as {
      stack: { running: boolean };
      tables: Record<string, { version: number; rows: number }>;
    };
    expect(before.stack.running).toBe(false);
    const silverBefore = before.tables['silver_events']!;
    expect(silverBefore.rows).toBeGreaterThan(0);

    running = startScript(clone, ['--embedded'], env);
    await running.waitFor(/^Stop: Ctrl-C/m, 600_000);
    const grown = await eventually(
      async () => {
        const now = JSON.parse(
          (await lakehouseCli(clone, ['status', '--json'], env)).stdout,
        ) as typeof before;
        const silver = now.tables['silver_events']!;
        return silver.version > silverBefore.version && silver.rows > silverBefore.rows ? silver : undefined;
      },
      120_000,
      () => 'silver did not grow',
    );
    expect(grown.rows).toBeGreaterThan(silverBefore.rows);

    const stop = startScript(clone, ['stop'], env);
    const stopped = await stop.exited;
    expect(stopped.code).toBe(0);
    expect(await running.exited).toEqual({ code: 0, signal: null });
    expect(await orphansOf(clone)).toEqual([]);
    expect(await orphansOf(dataDir)).toEqual([]);
    // Nothing was lost at the stop: every Bronze record of both runs reached Silver or Quarantine.
    const after = JSON.parse((await lakehouseCli(clone, ['status', '--json'], env)).stdout) as typeof before;
    expect(after.tables['silver_events']!.rows + after.tables['quarantine_events']!.rows).toBe(
      after.tables['bronze_events']!.rows,
    );
    void path;
  });
});
