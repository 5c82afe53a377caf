// Faults while the stack runs in Kafka mode (lakehouse up from this checkout, scheduler and
// JupyterLab left out): the LLM endpoint hangs (answers still come, from the planner), the
// assistant is killed (it is restarted and answers again), the Kafka broker stops and comes back
// (ingestion resumes) — and afterwards the tables are exact: Bronze holds every record of the
// topic once, Silver and Quarantine are what those records make, Gold equals Silver's KPIs.
import { createKafkaClient, type KafkaClient, kafkaConfigFromEnv } from '@rt-lakehouse/kernel-helpers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAiServer, startFakeOpenAiServer } from '../support/fakeOpenAiServer.js';
import { makeTempDir, removeDir } from '../support/tempDir.js';
import { caughtUp, exactness, partitionsExact } from './stackChecks.js';
import {
  baseEnv,
  eventually,
  freePorts,
  http,
  lakehouseCli,
  lakehouseUp,
  orphansOf,
  portEnv,
  publicQuestion,
  REPO_ROOT,
  readState,
  type StackPorts,
  type StackProcess,
  type TestBroker,
  testBroker,
} from './stackHarness.js';

const TOPIC = `stack-faults-${Date.now().toString(36)}`;
const PRODUCER = {
  PRODUCER_SEED: '2024',
  PRODUCER_RATE: '250',
  PRODUCER_MAX_EVENTS: '15000',
  PRODUCER_FAULT_MALFORMED: '0.01',
  PRODUCER_FAULT_MISSING: '0.01',
  PRODUCER_FAULT_DUPLICATE: '0.02',
};
let dataDir: string;
let brokerDir: string;
let broker: TestBroker;
let llm: FakeOpenAiServer;
let ports: StackPorts;
let env: NodeJS.ProcessEnv;
let stack: StackProcess | undefined;
let kafka: KafkaClient;

beforeAll(async () => {
  dataDir = await makeTempDir('rtl-stack-faults-');
  brokerDir = await makeTempDir('rtl-stack-faults-kafka-');
  broker = await testBroker(brokerDir);
  await broker.start();
  llm = await startFakeOpenAiServer();
  llm.setDefault({ hang: true });
  ports = await freePorts();
  env = baseEnv({
    LAKEHOUSE_DIR: dataDir,
    ...portEnv(ports),
    KAFKA_BROKERS: broker.brokers,
    KAFKA_TOPIC: TOPIC,
    PIPELINE_GROUP_ID: `${TOPIC}-bronze`,
    LAKEHOUSE_JUPYTER: '0',
    LAKEHOUSE_SCHEDULER: '0',
    LAKEHOUSE_STOP_TIMEOUT_S: '60',
    OPENAI_BASE_URL: llm.url,
    OPENAI_API_KEY: 'not-needed',
    LLM_TIMEOUT_MS: '1500',
    LLM_MAX_RETRIES: '0',
    LLM_DEADLINE_MS: '4000',
    ...PRODUCER,
  });
  kafka = createKafkaClient(kafkaConfigFromEnv({ KAFKA_BROKERS: broker.brokers, KAFKA_LOG_LEVEL: 'error' }));
});

afterAll(async () => {
  if (stack && stack.child.exitCode === null) {
    stack.interrupt();
    await stack.exited;
  }
  await kafka?.disconnect().catch(() => {});
  await broker?.stop().catch(() => {});
  await llm?.close();
  await removeDir(dataDir);
  await removeDir(brokerDir);
});

const assistant = (route: string) => `http://127.0.0.1:${ports.assistant}${route}`;
const status = async () => JSON.parse((await lakehouseCli(REPO_ROOT, ['status', '--json'], env)).stdout);

describe('the stack under faults (Kafka mode)', () => {
  it('recovers from a hanging LLM, a killed assistant and a broker restart, and the tables stay exact', async () => {
    stack = lakehouseUp([], env);
    await stack.waitFor(/^Stop: Ctrl-C/m, 300_000);
    expect(stack.output).toMatch(new RegExp(`Mode: kafka — KAFKA_BROKERS=${broker.brokers}`));

    // 1. The LLM endpoint hangs: the question is still answered (the planner), in bounded time.
    const question = publicQuestion(0);
    const answered = await http(assistant('/api/query'), { body: { question }, timeoutMs: 60_000 });
    expect(answered.status).toBe(200);
    expect(answered.body.path).toBe('planner');
    expect(llm.chatRequests().length).toBeGreaterThan(0);
    expect((await http(assistant('/health'))).status).toBe(200);

    // 2. The assistant is killed: the supervisor starts it again and it answers again.
    const before = await readState(dataDir);
    const killed = before!.services.find((s) => s.name === 'assistant')!.pid!;
    process.kill(killed, 'SIGKILL');
    const restarted = await eventually(
      async () => {
        const s = (await readState(dataDir))!.services.find((x) => x.name === 'assistant')!;
        return s.restarts >= 1 && s.pid !== killed && (await http(assistant('/health'))).status === 200
          ? s
          : undefined;
      },
      120_000,
      async () => JSON.stringify(await readState(dataDir)),
    );
    expect(restarted.pid).not.toBe(killed);
    const again = await http(assistant('/api/query'), { body: { question, path: 'planner' } });
    expect(again.status).toBe(200);
    // Rows once purchases have reached Silver (early in a run there may be none yet).
    await eventually(
      async () => {
        const r = await http(assistant('/api/query'), { body: { question, path: 'planner' } });
        return r.status === 200 && r.body.rowCount > 0;
      },
      120_000,
      async () => JSON.stringify(await status()),
    );

    // 3. The broker stops for a while and comes back; ingestion continues.
    const atOutage = await eventually(
      async () => {
        const rows = (await status()).tables?.bronze_events?.rows as number | undefined;
        return rows !== undefined && rows > 500 ? rows : undefined;
      },
      120_000,
      async () => JSON.stringify(await status()),
    );
    await broker.stop();
    await new Promise((r) => setTimeout(r, 10_000));
    const during = await status();
    expect(during.stack.running).toBe(true);
    await broker.start();
    // The producer ends after PRODUCER_MAX_EVENTS; then Bronze takes all of the topic and Silver and Gold catch up.
    await eventually(
      async () =>
        (await readState(dataDir))!.services.find((s) => s.name === 'producer')!.state === 'finished',
      300_000,
      async () => JSON.stringify(await readState(dataDir)),
    );
    const topicRecords = async () =>
      (await kafka.admin.fetchTopicOffsets(TOPIC)).reduce((n, o) => n + Number(o.high - o.low), 0);
    await eventually(
      async () => {
        const now = await caughtUp(dataDir);
        return now.done && now.bronzeRows === (await topicRecords());
      },
      300_000,
      async () => JSON.stringify({ topic: await topicRecords(), status: await status() }),
    );

    stack.interrupt();
    expect(await stack.exited).toEqual({ code: 0, signal: null });
    expect(await orphansOf(dataDir)).toEqual([]);

    const report = await exactness(dataDir, kafka, TOPIC, PRODUCER);
    // Ingestion went on after the outage: the topic (and Bronze) grew well past what it held then.
    expect(report.topicRecords).toBeGreaterThan(atOutage + 1_000);
    expect(report.bronzeRows).toBe(report.topicRecords);
    expect(partitionsExact(report), JSON.stringify(report.partitions)).toBe(true);
    expect(report.silverMatchesBronze, JSON.stringify(report)).toBe(true);
    expect(report.quarantineRows).toBe(report.expectedQuarantine);
    expect(report.goldMismatches).toBe(0);
    expect(report.unknownEvents).toBe(0);
  });
});
