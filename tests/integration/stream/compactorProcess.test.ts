// Small-file compaction runs in a child process at the lowest CPU priority (so that it takes
// only the cores the pipelines leave idle): it compacts, it can be stopped, and it goes away
// when the runner that started it dies.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { field, Lakehouse } from '@rt-lakehouse/kernel-helpers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCompactorProcess } from '../../../services/src/pipelines/compactorProcess.js';
import { waitFor } from '../../support/medallionChecks.js';
import { spawnTs, waitForExit } from '../../support/spawnTs.js';
import { makeTempDir, removeDir } from '../../support/tempDir.js';

const here = path.dirname(fileURLToPath(import.meta.url));
let dir: string;
let lakehouse: Lakehouse;
const logs: string[] = [];
const logger = {
  debug: () => {},
  info: () => {},
  warn: (msg: string) => logs.push(msg),
  error: (msg: string) => logs.push(msg),
};

beforeAll(async () => {
  dir = await makeTempDir();
  lakehouse = await Lakehouse.open({ dir });
  const table = await lakehouse.table('small_files');
  await table.create({ schema: { type: 'struct', fields: [field('n', 'long')] } });
  for (let i = 0; i < 25; i++) await table.write({ columns: { n: [i, i + 100] }, rowCount: 2 });
});
afterAll(async () => {
  lakehouse.close();
  await removeDir(dir);
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('the compactor process', () => {
  it('compacts small files at the lowest CPU priority and stops when asked', async () => {
    const table = await lakehouse.table('small_files');
    expect((await table.latest()).numFiles).toBe(25);
    const compactor = startCompactorProcess({
      lakehouseDir: dir,
      tables: ['small_files'],
      everyMs: 300,
      logger,
    });
    const pid = compactor.pid!;
    await waitFor(
      async () => (await table.latest()).numFiles === 1,
      60_000,
      async () => `files: ${(await table.latest()).numFiles}; logs: ${logs.join(' | ')}`,
    );
    const snapshot = await table.latest();
    const c = await lakehouse.duck.connect();
    const rows = (
      await c.runAndReadAll(`SELECT sum(n)::BIGINT FROM (${await table.scanSql(snapshot)})`)
    ).getRows();
    c.closeSync();
    expect(Number(rows[0]![0])).toBe(2 * 300 + 2500);
    // Every thread at the lowest priority, not just the main one: DuckDB's queries run on
    // libuv's pool and DuckDB's own workers, and Linux keeps a nice value per thread.
    const threads = readdirSync(`/proc/${pid}/task`);
    expect(threads.length).toBeGreaterThan(4);
    const niceOf = (thread: string) => {
      const stat = readFileSync(`/proc/${pid}/task/${thread}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
    };
    expect(threads.map(niceOf)).toEqual(threads.map(() => 19));
    expect(os.getPriority(pid)).toBe(19);
    await compactor.stop();
    expect(alive(pid)).toBe(false);
    expect(compactor.pid).toBeUndefined();
    expect(logs).toEqual([]);
  }, 90_000);

  it('starts later when asked, keeping the first round where it was, and not at all once stopped', async () => {
    const table = await lakehouse.table('later_files');
    await table.create({ schema: { type: 'struct', fields: [field('n', 'long')] } });
    for (let i = 0; i < 25; i++) await table.write({ columns: { n: [i] }, rowCount: 1 });
    const calledAt = Date.now();
    const compactor = startCompactorProcess({
      lakehouseDir: dir,
      tables: ['later_files'],
      everyMs: 3_000,
      cleanupEveryMs: 7_000,
      startAfterMs: 1_000,
      logger,
    });
    expect(compactor.pid).toBeUndefined();
    await waitFor(
      async () => compactor.pid !== undefined,
      30_000,
      async () => 'never started',
    );
    expect(Date.now() - calledAt).toBeGreaterThanOrEqual(1_000);
    // Its first round is due 3 s after the call, so 2 s after its own start; cleanups as asked.
    const args = readFileSync(`/proc/${compactor.pid}/cmdline`, 'utf8').split('\0');
    expect(args.slice(args.indexOf('--every-ms'))).toEqual([
      '--every-ms',
      '3000',
      '--cleanup-every-ms',
      '7000',
      '--first-in-ms',
      '2000',
      '',
    ]);
    await waitFor(
      async () => (await table.latest()).numFiles === 1,
      60_000,
      async () => `files: ${(await table.latest()).numFiles}; logs: ${logs.join(' | ')}`,
    );
    const compactedAt = (await table.history(1))[0]!.timestamp;
    expect(compactedAt.getTime() - calledAt).toBeGreaterThanOrEqual(3_000);
    await compactor.stop();

    const stoppedEarly = startCompactorProcess({
      lakehouseDir: dir,
      tables: ['later_files'],
      everyMs: 1_000,
      startAfterMs: 500,
      logger,
    });
    await stoppedEarly.stop();
    await new Promise((r) => setTimeout(r, 1_000));
    expect(stoppedEarly.pid).toBeUndefined();
    expect(logs).toEqual([]);
  }, 90_000);

  it('ends when the process that started it is killed with SIGKILL', async () => {
    const parent = spawnTs(path.join(here, 'compactorParent.ts'), [dir]);
    const exited = waitForExit(parent);
    let out = '';
    parent.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
    });
    await waitFor(
      async () => /compactor (\d+)/.test(out),
      30_000,
      async () => out,
    );
    const pid = Number(/compactor (\d+)/.exec(out)![1]);
    expect(alive(pid)).toBe(true);
    parent.kill('SIGKILL');
    await exited;
    await waitFor(
      async () => !alive(pid),
      30_000,
      async () => execFileSync('ps', ['-o', 'pid,stat,args', '-p', String(pid)]).toString(),
    );
  }, 60_000);
});
