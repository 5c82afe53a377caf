// The medallion pipelines against the real broker: exact results with injected faults, runner
// processes killed with SIGKILL and restarted, and two runners sharing the partitions.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type GeneratedRecord,
  type KafkaClient,
  Lakehouse,
  noopLogger,
  PipelineRunner,
} from '@rt-lakehouse/kernel-helpers';
import {
  bronzePipeline,
  goldPipeline,
  kafkaTopicPartitions,
  silverPipeline,
  TABLES,
} from '@rt-lakehouse/pipelines';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faultyGenerator } from '../../support/faultyStream.js';
import { produceRecords, testKafkaClient, uniqueTopic } from '../../support/kafkaTestEnv.js';
import {
  expectedOutcome,
  goldMismatches,
  query,
  scan,
  tableCounts,
  waitFor,
} from '../../support/medallionChecks.js';
import { spawnTs, waitForExit } from '../../support/spawnTs.js';
import { makeTempDir, removeDir } from '../../support/tempDir.js';

const runnerMain = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../services/src/pipelines/main.ts',
);
let client: KafkaClient;
let dir: string;

beforeAll(async () => {
  client = testKafkaClient();
  dir = await makeTempDir();
});
afterAll(async () => {
  await client.disconnect();
  await removeDir(dir);
});

function faultyRecords(seed: number, n: number): GeneratedRecord[] {
  // From "now" on purpose: the generator's rate follows the time of day, and at night 15,000
  // events span ~50 min of event time, more than Gold's lateness (15 min). Bronze reads this
  // backlog one partition ahead of the others, so this checks that Gold, told the topic's
  // partition count, waits for every partition before declaring anything late
  // (docs/streaming.md, "Event time").
  return faultyGenerator(seed, 30 * 60_000, 20).take(n);
}

/** Waits until every layer has processed everything Bronze should hold. */
async function waitDrained(
  lakehouse: Lakehouse,
  n: number,
  timeoutMs: number,
  describe: () => Promise<string> | string,
) {
  await waitFor(
    async () => {
      const counts = await tableCounts(lakehouse);
      if (counts[TABLES.bronze] !== n) return false;
      for (const t of [TABLES.silver, TABLES.gold])
        if (!(await (await lakehouse.table(t)).exists())) return false;
      const b = (await (await lakehouse.table(TABLES.bronze)).latest()).version;
      const s = await (await lakehouse.table(TABLES.silver)).latest();
      const g = await (await lakehouse.table(TABLES.gold)).latest();
      return (
        s.txn(`silver:${TABLES.bronze}`)?.version === b &&
        g.txn(`gold:${TABLES.silver}`)?.version === s.version
      );
    },
    timeoutMs,
    async () => `${JSON.stringify(await tableCounts(lakehouse))} ${await describe()}`,
  );
}

/** Everything exactness means for `records`, checked on `lakehouse`. */
async function expectExact(lakehouse: Lakehouse, records: readonly GeneratedRecord[]) {
  const { validIds, rejected, duplicates } = expectedOutcome(records);
  const [bronze] = await query(
    lakehouse,
    `SELECT count(*) AS n, count(DISTINCT (kafka_partition, kafka_offset)) AS positions FROM (${await scan(await lakehouse.table(TABLES.bronze))})`,
  );
  expect(bronze).toEqual({ n: records.length, positions: records.length });
  const silver = await query(
    lakehouse,
    `SELECT event_id FROM (${await scan(await lakehouse.table(TABLES.silver))})`,
  );
  expect(silver.length).toBe(validIds.size);
  expect(new Set(silver.map((r) => r['event_id']))).toEqual(validIds);
  const [quarantine] = await query(
    lakehouse,
    `SELECT count(*) AS n, count(*) FILTER (WHERE reason LIKE 'duplicate%') AS duplicates FROM (${await scan(await lakehouse.table(TABLES.quarantine))})`,
  );
  expect(quarantine).toEqual({ n: rejected + duplicates, duplicates });
  expect(await goldMismatches(lakehouse)).toEqual([]);
}

/** Silver (without ingestion times) and Gold rows of a lakehouse, sorted, for equality checks. */
async function tableContents(lakehouse: Lakehouse) {
  const silver = await query(
    lakehouse,
    `SELECT * EXCLUDE (ingested_at) FROM (${await scan(await lakehouse.table(TABLES.silver))}) ORDER BY event_id`,
  );
  const gold = await query(
    lakehouse,
    `SELECT * FROM (${await scan(await lakehouse.table(TABLES.gold))}) ORDER BY window_start`,
  );
  const quarantine = await query(
    lakehouse,
    `SELECT raw, reason, source_partition, source_offset FROM (${await scan(await lakehouse.table(TABLES.quarantine))}) ORDER BY source_partition, source_offset`,
  );
  return { silver, gold, quarantine };
}

describe('medallion pipelines on Kafka', () => {
  let records: GeneratedRecord[];
  let topic: string;
  let reference: Lakehouse;

  beforeAll(async () => {
    records = faultyRecords(11, 15_000);
    topic = uniqueTopic('medallion');
    await client.admin.ensureTopic(topic, 3);
    await produceRecords(client, topic, records);
  });

  it('produce → Kafka → Bronze → Silver → Gold is exact with injected faults', async () => {
    reference = await Lakehouse.open({ dir: path.join(dir, 'reference') });
    const env = { lakehouse: reference, kafka: client, logger: noopLogger };
    const runners = [
      new PipelineRunner(bronzePipeline({ topic, groupId: `${topic}-ref`, sessionTimeoutMs: 6_000 }), env),
      new PipelineRunner(silverPipeline(), env),
      new PipelineRunner(goldPipeline({ sourcePartitions: kafkaTopicPartitions(topic) }), env),
    ];
    for (const r of runners) await r.start();
    await waitDrained(reference, records.length, 120_000, () =>
      JSON.stringify(runners.map((r) => r.status())),
    );
    for (const r of runners) await r.stop();
    await expectExact(reference, records);
  }, 180_000);

  it('a runner killed with SIGKILL at 10 random moments ends with the same tables as without crashes', async () => {
    const lakehouse = await Lakehouse.open({ dir: path.join(dir, 'crashes') });
    const env = {
      ...process.env,
      LAKEHOUSE_DIR: lakehouse.dir,
      KAFKA_TOPIC: topic,
      PIPELINE_GROUP_ID: `${topic}-crash`,
      PIPELINE_SESSION_TIMEOUT_MS: '6000',
      PIPELINES_PORT: '0',
      COMPACT_EVERY_MS: '2000',
      // Small batches, so that the kills land in the middle of the stream.
      PIPELINE_MAX_BATCH_RECORDS: '50',
      LOG_LEVEL: 'warn',
    };
    const bronzeAtKill: number[] = [];
    for (let kill = 0; kill < 10; kill++) {
      const child = spawnTs(runnerMain, [], { env });
      const exited = waitForExit(child);
      // A killed member keeps its partitions until its 6 s session expires: wait until this
      // runner makes progress (or 15 s, once all is done), then die at a random moment of its
      // work — however fast the pipelines are, each kill lands in the middle of the stream.
      const progress = async () => {
        const counts = await tableCounts(lakehouse);
        return counts[TABLES.bronze]! + counts[TABLES.silver]! + counts[TABLES.quarantine]!;
      };
      const atStart = await progress();
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline && (await progress()) === atStart)
        await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, Math.random() * 1_500));
      child.kill('SIGKILL');
      expect((await exited).signal).toBe('SIGKILL');
      bronzeAtKill.push((await tableCounts(lakehouse))[TABLES.bronze]!);
    }
    // Most kills interrupted work in progress, not an idle runner.
    expect(
      bronzeAtKill.filter((n) => n > 0 && n < records.length).length,
      `bronze rows at each kill: ${bronzeAtKill}`,
    ).toBeGreaterThanOrEqual(3);
    const finalRun = spawnTs(runnerMain, [], { env });
    const finalExit = waitForExit(finalRun);
    await waitDrained(lakehouse, records.length, 180_000, () => 'final run');
    finalRun.kill('SIGTERM');
    expect((await finalExit).code).toBe(0);
    await expectExact(lakehouse, records);
    expect(await tableContents(lakehouse)).toEqual(await tableContents(reference));
    lakehouse.close();
  }, 420_000);

  it('two runners share the partitions; one killed mid-run, the result is still exact', async () => {
    const lakehouse = await Lakehouse.open({ dir: path.join(dir, 'two-runners') });
    const base = {
      ...process.env,
      LAKEHOUSE_DIR: lakehouse.dir,
      KAFKA_TOPIC: topic,
      PIPELINE_GROUP_ID: `${topic}-pair`,
      PIPELINE_SESSION_TIMEOUT_MS: '6000',
      PIPELINE_MAX_BATCH_RECORDS: '50',
      PIPELINES_PORT: '0',
      LOG_LEVEL: 'warn',
    };
    const a = spawnTs(runnerMain, [], { env: { ...base, PIPELINES: 'bronze' } });
    const b = spawnTs(runnerMain, [], { env: { ...base, PIPELINES: 'bronze,silver,gold' } });
    const aExit = waitForExit(a);
    const bExit = waitForExit(b);
    // Kill A once both hold partitions and Bronze is part-way through.
    await waitFor(
      async () => {
        const n = (await tableCounts(lakehouse))[TABLES.bronze]!;
        return n > 1_000;
      },
      60_000,
      async () => JSON.stringify(await tableCounts(lakehouse)),
    );
    a.kill('SIGKILL');
    await aExit;
    expect((await tableCounts(lakehouse))[TABLES.bronze]).toBeLessThan(records.length);
    await waitDrained(lakehouse, records.length, 240_000, () => 'runner b alone');
    b.kill('SIGTERM');
    expect((await bExit).code).toBe(0);
    await expectExact(lakehouse, records);
    lakehouse.close();
  }, 420_000);
});
