// The command line as real child processes on a seeded temp lakehouse: `lakehouse ask --json`
// (with follow-ups), `lakehouse sql --json`, `lakehouse table …` (on a lakehouse of its own),
// their exit codes, and `lakehouse serve` started,
// queried and stopped with SIGTERM (its KPI stream ends with a shutdown event), and `lakehouse
// pipelines` started with the runner's Node flags and stopped with SIGTERM.
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { Lakehouse } from '@rt-lakehouse/kernel-helpers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Answer } from '../../../services/src/assistant/schemas.js';
import { waitFor } from '../../support/medallionChecks.js';
import { spawnTs, waitForExit } from '../../support/spawnTs.js';
import { makeTempDir, removeDir } from '../../support/tempDir.js';
import { type SeededLakehouse, seededLakehouse, sseReader } from './apiHarness.js';

const CLI = path.resolve(import.meta.dirname, '../../../services/src/cli/lakehouse.ts');

let lake: SeededLakehouse;

beforeAll(async () => {
  lake = await seededLakehouse();
});

afterAll(async () => {
  await lake?.close();
});

/** Runs `lakehouse --dir <lake> ...args` to its end. */
function lakehouse(...args: string[]) {
  return lakehouseIn(lake.dir, ...args);
}

/** Runs `lakehouse --dir <dir> ...args` to its end. */
function lakehouseIn(dir: string, ...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn' };
  for (const name of ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'QDRANT_URL', 'API_TOKEN']) delete env[name];
  return waitForExit(spawnTs(CLI, ['--dir', dir, ...args], { env }));
}

describe('lakehouse ask', () => {
  it('prints the answer as JSON with --json, every field of the Answer, and exits 0', async () => {
    const run = await lakehouse('ask', 'Which referrer brings the most revenue?', '--json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const answer = Answer.parse(JSON.parse(run.stdout));
    expect(answer.question).toBe('Which referrer brings the most revenue?');
    expect(answer.path).toBe('planner');
    expect(answer.sql).toMatch(/referrer/);
    const expected = await lake.engine.query(answer.sql);
    expect(answer.rows).toEqual(expected.rows);
    expect(answer.columns).toEqual(expected.columns);
  });

  it('asks follow-ups with --then and prints the last turn', async () => {
    const run = await lakehouse(
      'ask',
      'Show me revenue by country today',
      '--then',
      'only mobile',
      '--then',
      'now for tablets',
      '--json',
    );
    expect(run.code).toBe(0);
    const answer = Answer.parse(JSON.parse(run.stdout));
    expect(answer.question).toBe('now for tablets');
    expect(answer.sql).toMatch(/country/);
    expect(answer.sql).toMatch(/device_type = 'tablet'/);
  });

  it('prints the SQL, a table and the explanation without --json', async () => {
    const run = await lakehouse('ask', 'Top 5 countries by page views today');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^SELECT country/);
    expect(run.stdout).toMatch(/│ country │/);
    expect(run.stdout).toMatch(/\d+ rows · planner · \d+ ms/);
    expect(run.stdout).toMatch(/top 5\.\n$/);
  });

  it('exits 2 with the reason for a question it cannot answer', async () => {
    const run = await lakehouse('ask', 'What is the meaning of life?', '--json');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^lakehouse: cannot answer "What is the meaning of life\?": .+ \(UNANSWERABLE\)\ntry:\n/,
    );
    const { error } = JSON.parse(run.stdout) as { error: Record<string, unknown> };
    expect(error).toMatchObject({ code: 'UNANSWERABLE', question: 'What is the meaning of life?' });
    expect(error['message']).toBe(error['reason']);
    expect((error['suggestions'] as string[]).length).toBeGreaterThan(0);
  });
});

describe('lakehouse sql', () => {
  it('prints exactly {columns, rows} with --json', async () => {
    const run = await lakehouse(
      'sql',
      "SELECT event_type, count(*) AS events FROM silver_events WHERE event_type <> 'page_view' GROUP BY 1 ORDER BY 1",
      '--json',
    );
    expect(run.code).toBe(0);
    const printed = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(Object.keys(printed)).toEqual(['columns', 'rows']);
    const expected = await lake.engine.query(
      "SELECT event_type, count(*) AS events FROM silver_events WHERE event_type <> 'page_view' GROUP BY 1 ORDER BY 1",
    );
    expect(printed).toEqual({ columns: expected.columns, rows: expected.rows });
  });

  it('exits 2 with the guard’s reason for refused SQL', async () => {
    const run = await lakehouse('sql', 'DELETE FROM silver_events', '--json');
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^lakehouse: only SELECT queries are allowed/);
  });
});

describe('lakehouse table', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir();
    const own = await Lakehouse.open({ dir });
    try {
      const t = await own.table('orders');
      for (let i = 1; i <= 3; i++) await t.write({ sql: `SELECT ${i}::BIGINT AS id` }); // v0..v2, 3 files
    } finally {
      own.close();
    }
  });
  afterAll(async () => {
    await removeDir(dir);
  });

  it('shows and changes properties in one commit, refuses a bad one with exit 2, and shows the history', async () => {
    const none = await lakehouseIn(dir, 'table', 'properties', 'orders');
    expect(none).toMatchObject({ code: 0, stdout: 'orders has no properties (version 2)\n' });

    const set = await lakehouseIn(
      dir,
      ...['table', 'properties', 'orders', '--set', 'delta.logRetentionDuration=interval 2 days'],
      ...['--set', 'owner=ops', '--json'],
    );
    expect(set.code).toBe(0);
    expect(JSON.parse(set.stdout)).toEqual({
      version: 3,
      changed: true,
      properties: { 'delta.logRetentionDuration': 'interval 2 days', owner: 'ops' },
    });
    const unset = await lakehouseIn(dir, 'table', 'properties', 'orders', '--unset', 'owner');
    expect(unset.code).toBe(0);
    expect(unset.stdout).toMatch(/delta\.logRetentionDuration\s*│\s*'interval 2 days'/);
    expect(unset.stdout).not.toContain('owner');
    expect(unset.stdout).toContain('orders: properties changed at version 4');

    const bad = await lakehouseIn(dir, 'table', 'properties', 'orders', '--set', 'delta.appendOnly=yes');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      "lakehouse: Delta table orders at version 4: table property delta.appendOnly = 'yes': expected 'true' or 'false'\n",
    );
    const malformed = await lakehouseIn(dir, 'table', 'properties', 'orders', '--set', 'no-equals');
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toContain("expected key=value, got 'no-equals'");

    const history = await lakehouseIn(dir, 'table', 'history', 'orders', '--limit', '3', '--json');
    expect(history.code).toBe(0);
    expect(
      (JSON.parse(history.stdout) as { version: number; operation: string }[]).map((h) => [
        h.version,
        h.operation,
      ]),
    ).toEqual([
      [4, 'UNSET TBLPROPERTIES'],
      [3, 'SET TBLPROPERTIES'],
      [2, 'WRITE'],
    ]);
  });

  it('optimizes, and lists what VACUUM and the log cleanup would delete without deleting it', async () => {
    const optimize = await lakehouseIn(dir, 'table', 'optimize', 'orders', '--json');
    expect(optimize.code).toBe(0);
    expect(JSON.parse(optimize.stdout)).toMatchObject({ filesRemoved: 3, filesAdded: 1 });

    const dry = await lakehouseIn(dir, 'table', 'vacuum', 'orders', '--retention-hours', '0');
    expect(dry.code).toBe(2); // under the table's 168 hours: refused
    expect(dry.stderr).toContain("under the table's 168 hours");
    const forced = await lakehouseIn(dir, 'table', 'vacuum', 'orders', '--retention-hours', '0', '--force');
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('orders: 3 files would be deleted (dry run; --delete deletes them)');
    await lakehouseIn(
      dir,
      'table',
      'properties',
      'orders',
      '--set',
      'delta.deletedFileRetentionDuration=interval 0 hours',
    );
    const listed = await lakehouseIn(dir, 'table', 'vacuum', 'orders', '--retention-hours', '0');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('orders: 3 files would be deleted (dry run; --delete deletes them)');
    const deleted = await lakehouseIn(
      dir,
      'table',
      'vacuum',
      'orders',
      '--retention-hours',
      '0',
      '--delete',
      '--json',
    );
    expect(JSON.parse(deleted.stdout)).toMatchObject({ dryRun: false, files: expect.any(Array) });
    expect((JSON.parse(deleted.stdout) as { files: string[] }).files).toHaveLength(3);

    const log = await lakehouseIn(dir, 'table', 'cleanup-log', 'orders');
    expect(log).toMatchObject({ code: 0, stdout: 'orders: nothing has expired\n' });
    await lakehouseIn(dir, 'table', 'properties', 'orders', '--set', 'delta.enableExpiredLogCleanup=false');
    const kept = await lakehouseIn(
      dir,
      'table',
      'cleanup-log',
      'orders',
      '--retention-hours',
      '0',
      '--delete',
    );
    expect(kept).toMatchObject({
      code: 0,
      stdout: 'orders: the table keeps its log (delta.enableExpiredLogCleanup = false)\n',
    });
  });

  it('says which table is missing, with exit 2', async () => {
    const run = await lakehouseIn(dir, 'table', 'history', 'nope');
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'lakehouse: Delta table nope: no Delta log: _delta_log/ has no commit or checkpoint\n',
    );
  });
});

describe('lakehouse serve', () => {
  it('serves the API, and SIGTERM ends the streams and stops it cleanly', async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ASSISTANT_PORT: '0',
      LOG_LEVEL: 'info',
      KPI_POLL_MS: '100',
    };
    delete env['API_TOKEN'];
    const child = spawnTs(CLI, ['--dir', lake.dir, 'serve', '--host', '127.0.0.1'], { env });
    const exited = waitForExit(child);
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the service did not start:\n${out}`)), 60_000);
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /"msg":"assistant API listening","url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
    });
    try {
      const health = await fetch(`${url}/health`);
      expect(health.status).toBe(200);
      expect(((await health.json()) as { status: string }).status).toBe('degraded');
      const query = await fetch(`${url}/api/query`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ question: 'How many orders were placed in the last hour?' }),
      });
      expect(query.status).toBe(200);
      const stream = await fetch(`${url}/api/kpis/stream`);
      const events = sseReader(stream);
      await events.next();
      expect((await events.next()).event).toBe('kpis');

      child.kill('SIGTERM');
      let next = await events.next();
      while (next.event === 'comment') next = await events.next();
      expect(next.event).toBe('shutdown');
      const result = await exited;
      expect(result.code).toBe(0);
      const lines = result.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.map((l) => l['msg'])).toEqual(expect.arrayContaining(['stopping', 'stopped']));
      expect(lines.find((l) => l['route'] === '/api/query')).toMatchObject({ status: 200, method: 'POST' });
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});

describe('lakehouse pipelines', () => {
  type Running = { nodeFlags: string[]; lakehouse: string; pipelines: string[]; pid: number };

  /** Starts `lakehouse --dir <dir> pipelines` (Silver and Gold) and waits for the runner's start line. */
  async function startPipelines(dir: string) {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PIPELINES: 'silver,gold',
      PIPELINES_PORT: '0',
      COMPACT_EVERY_MS: '0',
      LOG_LEVEL: 'info',
    };
    for (const name of ['KAFKA_BROKERS', 'NODE_OPTIONS', 'LAKEHOUSE_DIR']) delete env[name];
    const child = spawnTs(CLI, ['--dir', dir, 'pipelines'], { env });
    const exited = waitForExit(child);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
    });
    await waitFor(
      async () => out.includes('"pipelines running"'),
      60_000,
      async () => out,
    );
    const running = JSON.parse(out.split('\n').find((l) => l.includes('"pipelines running"'))!) as Running;
    return { child, exited, running };
  }

  it("runs the runner with its Node flags on --dir's lakehouse and stops cleanly on SIGTERM", async () => {
    const dir = await makeTempDir();
    const { child, exited, running } = await startPipelines(dir);
    try {
      // The CLI started itself again with the flag (V8 reads heap sizes only at start-up).
      expect(running.nodeFlags).toEqual(['--max-semi-space-size=64']);
      expect(running.pid).not.toBe(child.pid);
      expect(running.lakehouse).toBe(await realpath(dir));
      expect(running.pipelines).toEqual(['silver', 'gold']);
      child.kill('SIGTERM');
      const result = await exited;
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/"msg":"stopped"/);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await removeDir(dir);
    }
  }, 90_000);

  it('stops the runner it started again when it is killed with SIGKILL', async () => {
    const dir = await makeTempDir();
    const { child, exited, running } = await startPipelines(dir);
    const alive = () => {
      try {
        process.kill(running.pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    try {
      expect(alive()).toBe(true);
      child.kill('SIGKILL');
      // The runner shares the output pipe, so this ends when the runner has ended too.
      const result = await exited;
      expect(result.signal).toBe('SIGKILL');
      expect(result.stdout).toMatch(/"msg":"stopping","signal":"parent gone"/);
      expect(result.stdout).toMatch(/"msg":"stopped"/);
      await waitFor(
        async () => !alive(),
        30_000,
        async () => `runner ${running.pid} still alive`,
      );
    } finally {
      if (alive()) process.kill(running.pid, 'SIGKILL');
      await removeDir(dir);
    }
  }, 90_000);
});
