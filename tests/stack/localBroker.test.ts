// Kafka mode with the broker `lakehouse up` starts itself (no KAFKA_BROKERS, Java 17+ present):
// the broker's data lives under LAKEHOUSE_DIR; when `up` is killed outright, `lakehouse down`
// stops what it left (services and broker); a second `up` continues from the tables and the
// topic, and Ctrl-C stops everything, broker included.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../support/tempDir.js';
import { caughtUp } from './stackChecks.js';
import {
  baseEnv,
  eventually,
  freePort,
  freePorts,
  lakehouseCli,
  lakehouseUp,
  orphansOf,
  portEnv,
  REPO_ROOT,
  readState,
  type StackProcess,
} from './stackHarness.js';

let dataDir: string;
let env: NodeJS.ProcessEnv;
let stack: StackProcess | undefined;

beforeAll(async () => {
  dataDir = await makeTempDir('rtl-stack-local-broker-');
  env = baseEnv({
    LAKEHOUSE_DIR: dataDir,
    ...portEnv(await freePorts()),
    KAFKA_PORT: String(await freePort()),
    KAFKA_CONTROLLER_PORT: String(await freePort()),
    LAKEHOUSE_JUPYTER: '0',
    LAKEHOUSE_SCHEDULER: '0',
    PRODUCER_RATE: '200',
  });
});
afterAll(async () => {
  if (stack && stack.child.exitCode === null) {
    stack.interrupt();
    await stack.exited;
  }
  await lakehouseCli(REPO_ROOT, ['down'], env);
  await removeDir(dataDir);
});

const rows = async () => (await caughtUp(dataDir)).bronzeRows;

describe('lakehouse up with its own local broker', () => {
  it('survives its own SIGKILL (down cleans up), resumes on the next up, and Ctrl-C stops the broker too', async () => {
    stack = lakehouseUp([], env);
    await stack.waitFor(/^Stop: Ctrl-C/m, 300_000);
    expect(stack.output).toMatch(/Mode: kafka — Java 17\+ found: a local Kafka broker/);
    expect(stack.output).toMatch(/^ {2}kafka +ok +127\.0\.0\.1:\d+ topic ecommerce_events \(local broker\)/m);
    const state = (await readState(dataDir)) as unknown as { kafka: { local: { dataDir: string } } };
    expect(state.kafka.local.dataDir).toBe(`${dataDir}/kafka`);
    const first = await eventually(
      async () => {
        const n = await rows();
        return n > 200 ? n : undefined;
      },
      120_000,
      async () => `bronze rows ${await rows()}`,
    );

    // `up` dies without stopping anything: its services and the broker are left running.
    stack.child.kill('SIGKILL');
    await stack.exited;
    expect((await orphansOf(dataDir, 1_000)).length).toBeGreaterThan(0);
    const down = await lakehouseCli(REPO_ROOT, ['down'], env);
    expect(down.code).toBe(0);
    expect(down.stdout).toMatch(/stopping pipelines \(pid \d+\) left behind/);
    expect(down.stdout).toMatch(/kafka: stopped/);
    expect(await orphansOf(dataDir)).toEqual([]);
    expect(await readState(dataDir)).toBeNull();

    // The next start finds the tables and the broker's data (topic, offsets) and goes on.
    stack = lakehouseUp([], env);
    await stack.waitFor(/^Stop: Ctrl-C/m, 300_000);
    await eventually(
      async () => (await rows()) > first + 200,
      120_000,
      async () => `bronze rows ${await rows()} (first run: ${first})`,
    );
    stack.interrupt();
    expect(await stack.exited).toEqual({ code: 0, signal: null });
    expect(stack.output).toMatch(/^ {2}kafka +stopped/m);
    expect(await orphansOf(dataDir)).toEqual([]);
  });
});
