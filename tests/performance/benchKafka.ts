// Throughput of the project's Kafka client (kernel-helpers/src/kafka) against the broker of
// scripts/kafka-local.sh, side by side with Kafka's own Java perf tools as the reference:
// org.apache.kafka.tools.ProducerPerformance / ConsumerPerformance from the same jars.
//
//   scripts/kafka-local.sh start && npm run bench:kafka
//
// Environment: KAFKA_BROKERS (127.0.0.1:9092), BENCH_KAFKA_MESSAGES (500000),
// BENCH_KAFKA_BATCH (messages per send, 1000), BENCH_KAFKA_IN_FLIGHT (concurrent sends, 4).

import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  createKafkaClient,
  type KafkaMessage,
  type KafkaProducerOptions,
  kafkaConfigFromEnv,
} from '@rt-lakehouse/kernel-helpers/kafka';

const run = promisify(execFile);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const script = path.join(repoRoot, 'scripts/kafka-local.sh');

const count = Number(process.env['BENCH_KAFKA_MESSAGES'] ?? 500_000);
const batchSize = Number(process.env['BENCH_KAFKA_BATCH'] ?? 1_000);
const inFlight = Number(process.env['BENCH_KAFKA_IN_FLIGHT'] ?? 4);
const partitions = 3;
const config = kafkaConfigFromEnv();
const bootstrap = config.brokers.join(',');
const runId = `${Date.now().toString(36)}-${randomUUID().slice(0, 6)}`;

// A deterministic pool of events shaped like DESIGN.md's (about 300 bytes of JSON each).
function eventPool(size: number): { key: string; value: string }[] {
  let seed = 42;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
  return Array.from({ length: size }, (_, i) => {
    const user = `u${String(Math.floor(random() * 50_000)).padStart(6, '0')}`;
    const event = {
      event_id: `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`,
      user_id: user,
      session_id: `s${hex(10)}`,
      product_id: `p${String(Math.floor(random() * 5_000)).padStart(5, '0')}`,
      category_id: `c${String(Math.floor(random() * 50)).padStart(3, '0')}`,
      event_type: pick(['page_view', 'page_view', 'page_view', 'add_to_cart', 'purchase']),
      price: Math.round(random() * 50_000) / 100,
      quantity: 1 + Math.floor(random() * 4),
      discount: 0,
      currency: pick(['USD', 'GBP', 'CAD', 'EUR']),
      ts: new Date(Date.UTC(2025, 0, 1) + i * 37).toISOString(),
      ua: pick(['Mozilla/5.0 (X11; Linux x86_64)', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0)']),
      country: pick(['US', 'UK', 'CA', 'DE', 'FR']),
      device_type: pick(['desktop', 'mobile', 'tablet']),
      referrer: pick(['google', 'direct', 'facebook', 'email']),
    };
    return { key: user, value: JSON.stringify(event) };
  });
}

async function produceWithProjectClient(
  topic: string,
  pool: { key: string; value: string }[],
  options: KafkaProducerOptions,
) {
  const client = createKafkaClient(config);
  await client.admin.ensureTopic(topic, partitions);
  const producer = client.producer(options);
  await producer.send(topic, [{ key: 'warm-up', value: '{}' }]); // connect outside the timing
  const started = performance.now();
  const pending = new Set<Promise<void>>();
  for (let sent = 0; sent < count; sent += batchSize) {
    const messages: KafkaMessage[] = [];
    for (let i = sent; i < Math.min(sent + batchSize, count); i++) messages.push(pool[i % pool.length]!);
    const send = producer.send(topic, messages);
    pending.add(send);
    void send.then(() => pending.delete(send));
    if (pending.size >= inFlight) await Promise.race(pending);
  }
  await producer.flush();
  const seconds = (performance.now() - started) / 1000;
  await client.disconnect();
  return seconds;
}

async function consumeWithProjectClient(topic: string, expected: number) {
  const client = createKafkaClient(config);
  const consumer = client.consumer({ groupId: `bench-node-${runId}` });
  let received = 0;
  let bytes = 0;
  let firstAt = 0;
  let done!: () => void;
  const finished = new Promise<void>((resolve) => {
    done = resolve;
  });
  const started = performance.now();
  await consumer.subscribe([topic]);
  await consumer.run({
    eachBatch: async (batch) => {
      if (firstAt === 0) firstAt = performance.now();
      for (const record of batch.records) bytes += record.value?.length ?? 0;
      received += batch.records.length;
      if (received >= expected) done();
    },
  });
  await finished;
  const ended = performance.now();
  await client.disconnect();
  return { seconds: (ended - started) / 1000, fetchSeconds: (ended - firstAt) / 1000, received, bytes };
}

async function java(main: string, args: string[], classpath: string): Promise<string> {
  const log4j = path.join(path.dirname(path.dirname(classpath)), 'log4j2.properties');
  const { stdout } = await run(
    'java',
    ['-Xmx512m', `-Dlog4j2.configurationFile=${log4j}`, '-cp', classpath, main, ...args],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  return stdout;
}

const perSecond = (n: number, seconds: number) => Math.round(n / seconds);
const format = (n: number) => n.toLocaleString('en-US');

async function main() {
  const { stdout } = await run('bash', [script, 'classpath']);
  const classpath = stdout.trim();
  const kafkaVersion = /kafka-([^/]+)\/libs/.exec(classpath)?.[1] ?? 'unknown';
  const pool = eventPool(20_000);
  const avgBytes = Math.round(pool.reduce((sum, e) => sum + Buffer.byteLength(e.value), 0) / pool.length);
  const workDir = await mkdtemp(path.join(tmpdir(), 'bench-kafka-'));
  const payloadFile = path.join(workDir, 'events.jsonl');
  await writeFile(payloadFile, pool.map((e) => e.value).join('\n'));
  const topics = { node: `bench-node-${runId}`, gzip: `bench-gzip-${runId}`, java: `bench-java-${runId}` };
  const admin = createKafkaClient(config);
  try {
    console.log(
      `Kafka ${kafkaVersion} at ${bootstrap}; ${format(count)} events of ${avgBytes} bytes (JSON) on ${partitions} partitions`,
    );
    console.log(`project client: ${batchSize} messages per send, ${inFlight} sends in flight, acks=all\n`);

    const nodeProduce = await produceWithProjectClient(topics.node, pool, {});
    console.log(`project client produce: ${format(perSecond(count, nodeProduce))} msgs/s`);
    const gzipProduce = await produceWithProjectClient(topics.gzip, pool, { compression: 'gzip' });
    console.log(`project client produce (gzip): ${format(perSecond(count, gzipProduce))} msgs/s`);

    await admin.admin.ensureTopic(topics.java, partitions);
    const javaProduceOut = await java(
      'org.apache.kafka.tools.ProducerPerformance',
      [
        '--topic',
        topics.java,
        '--num-records',
        String(count),
        '--payload-file',
        payloadFile,
        '--throughput',
        '-1',
        '--producer-props',
        `bootstrap.servers=${bootstrap}`,
        'acks=all',
      ],
      classpath,
    );
    const javaProduceLine = javaProduceOut.trim().split('\n').at(-1) ?? '';
    const javaProduce = Number(/([\d.]+) records\/sec/.exec(javaProduceLine)?.[1] ?? Number.NaN);
    console.log(`ProducerPerformance: ${format(Math.round(javaProduce))} msgs/s  (${javaProduceLine})`);

    const nodeConsume = await consumeWithProjectClient(topics.node, count);
    console.log(
      `project client consume: ${format(perSecond(nodeConsume.received, nodeConsume.seconds))} msgs/s ` +
        `(${format(perSecond(nodeConsume.received, nodeConsume.fetchSeconds))} msgs/s after the group join)`,
    );
    const gzipConsume = await consumeWithProjectClient(topics.gzip, count);
    console.log(
      `project client consume (gzip): ${format(perSecond(gzipConsume.received, gzipConsume.seconds))} msgs/s`,
    );

    const javaConsumeOut = await java(
      'org.apache.kafka.tools.ConsumerPerformance',
      [
        '--bootstrap-server',
        bootstrap,
        '--topic',
        topics.node,
        '--messages',
        String(count),
        '--group',
        `bench-java-${runId}`,
        '--timeout',
        '30000',
      ],
      classpath,
    );
    // Header: start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec,
    // rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
    const row = javaConsumeOut
      .trim()
      .split('\n')
      .at(-1)!
      .split(',')
      .map((cell) => cell.trim());
    const javaConsume = Number(row[5]);
    const javaConsumeFetch = Number(row[9]);
    console.log(
      `ConsumerPerformance: ${format(Math.round(javaConsume))} msgs/s ` +
        `(${format(Math.round(javaConsumeFetch))} msgs/s after the group join)`,
    );

    const results = {
      kafkaVersion,
      messages: count,
      avgValueBytes: avgBytes,
      partitions,
      produce: {
        project: perSecond(count, nodeProduce),
        projectGzip: perSecond(count, gzipProduce),
        java: Math.round(javaProduce),
      },
      consume: {
        project: perSecond(nodeConsume.received, nodeConsume.seconds),
        projectAfterJoin: perSecond(nodeConsume.received, nodeConsume.fetchSeconds),
        projectGzip: perSecond(gzipConsume.received, gzipConsume.seconds),
        java: Math.round(javaConsume),
        javaAfterJoin: Math.round(javaConsumeFetch),
      },
    };
    const ratio = (a: number, b: number) => (a / b).toFixed(2);
    console.log('\n| msgs/s | project client (kafkajs) | Kafka perf tool (Java) | ratio |');
    console.log('| --- | ---: | ---: | ---: |');
    console.log(
      `| produce | ${format(results.produce.project)} | ${format(results.produce.java)} | ${ratio(results.produce.project, results.produce.java)} |`,
    );
    console.log(
      `| consume | ${format(results.consume.project)} | ${format(results.consume.java)} | ${ratio(results.consume.project, results.consume.java)} |`,
    );
    console.log(
      `| consume after join | ${format(results.consume.projectAfterJoin)} | ${format(results.consume.javaAfterJoin)} | ${ratio(results.consume.projectAfterJoin, results.consume.javaAfterJoin)} |`,
    );
    console.log(`\n${JSON.stringify(results)}`);
  } finally {
    for (const topic of Object.values(topics)) await admin.admin.deleteTopic(topic).catch(() => {});
    await admin.disconnect();
    await rm(workDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
