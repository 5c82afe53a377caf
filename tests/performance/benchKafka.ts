// Throughput of the project's Kafka client (kernel-helpers/src/kafka) against the broker of
// scripts/kafka-local.sh, side by side with Kafka's own Java perf tools as the reference:
// org.apache.kafka.tools.ProducerPerformance / ConsumerPerformance from the same jars, and the
// same sends through kafkajs (the project's former producer) for the producer's second line.
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
import kafkajs from 'kafkajs';

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

/**
 * Sends the pool's first `count` events (cycling) in batches of `batchSize`, at most `inFlight`
 * batches at once, and waits for all: the time and the CPU of this process it took.
 */
async function timeSends(
  pool: readonly KafkaMessage[],
  send: (messages: KafkaMessage[]) => Promise<unknown>,
): Promise<{ seconds: number; cpuSeconds: number }> {
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const pending = new Set<Promise<unknown>>();
  for (let sent = 0; sent < count; sent += batchSize) {
    const messages: KafkaMessage[] = [];
    for (let i = sent; i < Math.min(sent + batchSize, count); i++) messages.push(pool[i % pool.length]!);
    const sending = send(messages);
    pending.add(sending);
    void sending.then(() => pending.delete(sending));
    if (pending.size >= inFlight) await Promise.race(pending);
  }
  await Promise.all(pending);
  return { seconds: (performance.now() - started) / 1000, cpuSeconds: cpuSecondsSince(cpuBefore) };
}

async function produceWithProjectClient(topic: string, pool: KafkaMessage[], options: KafkaProducerOptions) {
  const client = createKafkaClient(config);
  await client.admin.ensureTopic(topic, partitions);
  const producer = client.producer(options);
  await producer.send(topic, [{ key: 'warm-up', value: '{}' }]); // connect outside the timing
  const timing = await timeSends(pool, (messages) => producer.send(topic, messages));
  await client.disconnect();
  return timing;
}

// The same sends through a kafkajs 2.2.4 producer, as the project's KafkaProducer used to make them.
async function produceWithKafkaJs(topic: string, pool: KafkaMessage[]) {
  const admin = createKafkaClient(config);
  await admin.admin.ensureTopic(topic, partitions);
  await admin.disconnect();
  const kafka = new kafkajs.Kafka({
    clientId: 'bench-kafkajs',
    brokers: config.brokers,
    logLevel: kafkajs.logLevel.NOTHING,
  });
  const producer = kafka.producer({ createPartitioner: kafkajs.Partitioners.DefaultPartitioner });
  await producer.connect();
  await producer.send({ topic, messages: [{ key: 'warm-up', value: '{}' }], acks: -1 });
  const timing = await timeSends(pool, (messages) =>
    producer.send({ topic, messages: messages as { key: string; value: string }[], acks: -1 }),
  );
  await producer.disconnect();
  return timing;
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
  const cpuBefore = process.cpuUsage();
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
  const cpuSeconds = cpuSecondsSince(cpuBefore);
  await client.disconnect();
  return {
    seconds: (ended - started) / 1000,
    fetchSeconds: (ended - firstAt) / 1000,
    cpuSeconds,
    received,
    bytes,
  };
}

const cpuSecondsSince = (before: NodeJS.CpuUsage) => {
  const { user, system } = process.cpuUsage(before);
  return (user + system) / 1e6;
};

// Runs a Kafka tool; bash's `times` reports the JVM's CPU time (user + system, JIT included).
async function java(main: string, args: string[], classpath: string) {
  const log4j = path.join(path.dirname(path.dirname(classpath)), 'log4j2.properties');
  const { stdout, stderr } = await run(
    'bash',
    [
      '-c',
      'java "$@"; status=$?; times >&2; exit $status',
      'java',
      '-Xmx512m',
      `-Dlog4j2.configurationFile=${log4j}`,
      '-cp',
      classpath,
      main,
      ...args,
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  const children = stderr.trim().split('\n').at(-1) ?? '';
  const cpuSeconds = [...children.matchAll(/(\d+)m([\d.]+)s/g)].reduce(
    (sum, [, minutes, seconds]) => sum + Number(minutes) * 60 + Number(seconds),
    0,
  );
  return { stdout, cpuSeconds };
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
  const topics = {
    node: `bench-node-${runId}`,
    gzip: `bench-gzip-${runId}`,
    java: `bench-java-${runId}`,
    kafkajs: `bench-kafkajs-${runId}`,
  };
  const admin = createKafkaClient(config);
  try {
    console.log(
      `Kafka ${kafkaVersion} at ${bootstrap}; ${format(count)} events of ${avgBytes} bytes (JSON) on ${partitions} partitions`,
    );
    console.log(`project client: ${batchSize} messages per send, ${inFlight} sends in flight, acks=all\n`);

    const nodeProduce = await produceWithProjectClient(topics.node, pool, {});
    const gzipProduce = await produceWithProjectClient(topics.gzip, pool, { compression: 'gzip' });
    const kafkajsProduce = await produceWithKafkaJs(topics.kafkajs, pool);

    await admin.admin.ensureTopic(topics.java, partitions);
    const javaProduce = await java(
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
    const javaProduceLine = javaProduce.stdout.trim().split('\n').at(-1) ?? '';
    const javaProduceRate = Number(/([\d.]+) records\/sec/.exec(javaProduceLine)?.[1] ?? Number.NaN);

    const nodeConsume = await consumeWithProjectClient(topics.node, count);
    const gzipConsume = await consumeWithProjectClient(topics.gzip, count);
    const javaConsume = await java(
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
    // Columns: start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg,
    // nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
    const row = (javaConsume.stdout.trim().split('\n').at(-1) ?? '').split(',').map((cell) => cell.trim());

    const results = {
      kafkaVersion,
      messages: count,
      avgValueBytes: avgBytes,
      partitions,
      produce: {
        project: perSecond(count, nodeProduce.seconds),
        projectPerCpuSecond: perSecond(count, nodeProduce.cpuSeconds),
        projectGzip: perSecond(count, gzipProduce.seconds),
        java: Math.round(javaProduceRate),
        javaPerCpuSecond: perSecond(count, javaProduce.cpuSeconds),
        kafkajs: perSecond(count, kafkajsProduce.seconds),
        kafkajsPerCpuSecond: perSecond(count, kafkajsProduce.cpuSeconds),
      },
      consume: {
        project: perSecond(nodeConsume.received, nodeConsume.seconds),
        projectAfterJoin: perSecond(nodeConsume.received, nodeConsume.fetchSeconds),
        projectPerCpuSecond: perSecond(nodeConsume.received, nodeConsume.cpuSeconds),
        projectGzip: perSecond(gzipConsume.received, gzipConsume.seconds),
        java: Math.round(Number(row[5])),
        javaAfterJoin: Math.round(Number(row[9])),
        javaPerCpuSecond: perSecond(count, javaConsume.cpuSeconds),
      },
    };
    console.log(`ProducerPerformance: ${javaProduceLine}`);
    const ratio = (a: number, b: number) => (a / b).toFixed(2);
    const line = (label: string, project: number, reference: number) =>
      console.log(`| ${label} | ${format(project)} | ${format(reference)} | ${ratio(project, reference)} |`);
    console.log(
      '\n| msgs/s | project client (producer: @platformatic/kafka, consumer: kafkajs) | Kafka perf tool (Java) | ratio |',
    );
    console.log('| --- | ---: | ---: | ---: |');
    line('produce', results.produce.project, results.produce.java);
    line(
      'produce per CPU second of the client',
      results.produce.projectPerCpuSecond,
      results.produce.javaPerCpuSecond,
    );
    line('consume (group join included)', results.consume.project, results.consume.java);
    line('consume after the group join', results.consume.projectAfterJoin, results.consume.javaAfterJoin);
    line(
      'consume per CPU second of the client',
      results.consume.projectPerCpuSecond,
      results.consume.javaPerCpuSecond,
    );
    console.log('\n| producer msgs/s | project client (@platformatic/kafka) | kafkajs 2.2.4 | ratio |');
    console.log('| --- | ---: | ---: | ---: |');
    line('produce', results.produce.project, results.produce.kafkajs);
    line('produce per CPU second', results.produce.projectPerCpuSecond, results.produce.kafkajsPerCpuSecond);
    console.log(
      `\nproject client with gzip: produce ${format(results.produce.projectGzip)} msgs/s, ` +
        `consume ${format(results.consume.projectGzip)} msgs/s`,
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
