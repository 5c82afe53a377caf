// The broker the integration tests use (KAFKA_BROKERS, started by `npm test`), with helpers to
// make a fresh topic and produce generated records into it.
import {
  createKafkaClient,
  type GeneratedRecord,
  type KafkaClient,
  kafkaConfigFromEnv,
} from '@rt-lakehouse/kernel-helpers';

/** A client of the test broker; fails with a clear message when none is configured. */
export function testKafkaClient(): KafkaClient {
  const brokers = process.env['KAFKA_BROKERS'];
  if (!brokers)
    throw new Error('KAFKA_BROKERS is not set: run the suite with `npm test`, which starts a local broker');
  return createKafkaClient(kafkaConfigFromEnv({ ...process.env, KAFKA_LOG_LEVEL: 'error' }));
}

/** A topic name no other test run uses. */
export function uniqueTopic(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Produces `records` (key = user id, value = JSON or corrupted text) in order, in chunks. */
export async function produceRecords(
  client: KafkaClient,
  topic: string,
  records: readonly GeneratedRecord[],
): Promise<void> {
  const producer = client.producer();
  try {
    for (let i = 0; i < records.length; i += 2_000) {
      await producer.send(
        topic,
        records.slice(i, i + 2_000).map((r) => ({ key: r.key, value: r.value, timestamp: r.ts })),
      );
    }
    await producer.flush();
  } finally {
    await producer.disconnect();
  }
}
