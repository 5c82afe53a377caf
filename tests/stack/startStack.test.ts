// The README's one command on a clean clone. Embedded mode (no broker): `./start.sh --embedded`
// installs what is missing and starts everything; the AI answers a question of the public set
// through the API, the KPIs advance, Ctrl-C stops it all with exit code 0 and no process left;
// a second start continues from the tables of the first, and `./start.sh stop` from another
// terminal stops it. Kafka mode: the same over a real broker (KAFKA_BROKERS when set, as in CI,
// else a broker of the test's own from scripts/kafka-local.sh), and the tables are exact.

import { createKafkaClient, kafkaConfigFromEnv } from '@rt-lakehouse/kernel-helpers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../support/tempDir.js';
import { caughtUp, exactness, partitionsExact } from './stackChecks.js';
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
  type TestBroker,
  testBroker,
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
  });
});

describe('./start.sh, Kafka mode, on a clean clone', () => {
  it('runs over a real broker: the AI answers, KPIs advance, Ctrl-C stops cleanly, and the tables are exact', async () => {
    const kafkaData = await makeTempDir('rtl-stack-kafka-');
    const lakehouseDir = await makeTempDir('rtl-stack-kafka-lake-');
    let own: TestBroker | undefined;
    const kafkaPorts = await freePorts();
    try {
      if (!process.env['KAFKA_BROKERS']) {
        own = await testBroker(kafkaData);
        await own.start();
      }
      const brokers = process.env['KAFKA_BROKERS'] ?? own!.brokers;
      const topic = `stack-${Date.now().toString(36)}`;
      const producer = {
        PRODUCER_SEED: '77',
        PRODUCER_RATE: '200',
        PRODUCER_MAX_EVENTS: '8000',
        PRODUCER_FAULT_MALFORMED: '0.01',
        PRODUCER_FAULT_DUPLICATE: '0.02',
      };
      const kafkaEnv = baseEnv({
        LAKEHOUSE_DIR: lakehouseDir,
        ...portEnv(kafkaPorts),
        KAFKA_BROKERS: brokers,
        KAFKA_TOPIC: topic,
        PIPELINE_GROUP_ID: `${topic}-bronze`,
        API_TOKEN: TOKEN,
        ...producer,
      });
      running = startScript(clone, [], kafkaEnv);
      await running.waitFor(/^Stop: Ctrl-C/m, 600_000);
      expect(running.output).toContain(`Mode: kafka — KAFKA_BROKERS=${brokers}`);
      expect(running.output).toMatch(/^ {2}pipelines +ok /m);
      expect(running.output).toMatch(/^ {2}producer +ok /m);

      const api = (route: string) => `http://127.0.0.1:${kafkaPorts.assistant}${route}`;
      const answer = await eventually(
        async () => {
          const r = await http(api('/api/query'), { body: { question: publicQuestion(1) }, token: TOKEN });
          return r.status === 200 && r.body.rowCount > 0 ? r.body : undefined;
        },
        120_000,
        () => 'no answer with rows',
      );
      expect(answer.sql).toMatch(/select/i);
      const kafkaKpis = async () =>
        (await http(api('/api/kpis?minutes=1440'), { token: TOKEN })).body as {
          version: number | null;
          totals: { total_events: number };
        };
      const first = await eventually(
        async () => {
          const k = await kafkaKpis();
          return k.version !== null && k.totals.total_events > 0 ? k : undefined;
        },
        120_000,
        () => 'no KPIs',
      );
      await eventually(
        async () => (await kafkaKpis()).totals.total_events > first.totals.total_events,
        120_000,
        () => 'KPIs did not advance',
      );

      // The producer ends after PRODUCER_MAX_EVENTS; then everything in the topic reaches the tables.
      const client = createKafkaClient(
        kafkaConfigFromEnv({ KAFKA_BROKERS: brokers, KAFKA_LOG_LEVEL: 'error' }),
      );
      try {
        await eventually(
          async () =>
            (await readState(lakehouseDir))?.services.find((s) => s.name === 'producer')?.state ===
            'finished',
          300_000,
          async () => JSON.stringify(await readState(lakehouseDir)),
        );
        const topicRecords = async () =>
          (await client.admin.fetchTopicOffsets(topic)).reduce((n, o) => n + Number(o.high - o.low), 0);
        await eventually(
          async () => {
            const now = await caughtUp(lakehouseDir);
            return now.done && now.bronzeRows === (await topicRecords());
          },
          300_000,
          async () => `topic ${await topicRecords()}, ${JSON.stringify(await caughtUp(lakehouseDir))}`,
        );
        running.interrupt();
        expect(await running.exited).toEqual({ code: 0, signal: null });
        expect(await orphansOf(clone)).toEqual([]);
        expect(await orphansOf(lakehouseDir)).toEqual([]);

        const report = await exactness(lakehouseDir, client, topic, producer);
        expect(report.topicRecords).toBe(8_000);
        expect(report.bronzeRows).toBe(8_000);
        expect(partitionsExact(report), JSON.stringify(report.partitions)).toBe(true);
        expect(report.silverMatchesBronze, JSON.stringify(report)).toBe(true);
        expect(report.quarantineRows).toBe(report.expectedQuarantine);
        expect(report.goldMismatches).toBe(0);
        expect(report.unknownEvents).toBe(0);
      } finally {
        await client.disconnect();
      }
    } finally {
      await own?.stop();
      await removeDir(kafkaData);
      await removeDir(lakehouseDir);
    }
  });
});
