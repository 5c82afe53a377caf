// The KafkaAdmin port over a kafkajs admin client.

import type { Kafka } from 'kafkajs';
import { KafkaError } from '../../errors.js';
import type { KafkaAdmin } from '../KafkaAdmin.js';
import { kafkaErrorFrom } from '../kafkaErrorFrom.js';

/** A KafkaAdmin that connects on first use; `disconnect` closes it (and it may reconnect later). */
export function createKafkaJsAdmin(kafka: Kafka): KafkaAdmin & { disconnect(): Promise<void> } {
  const admin = kafka.admin();
  let connected: Promise<void> | undefined;

  const call = async <T>(operation: string, action: () => Promise<T>): Promise<T> => {
    try {
      connected ??= admin.connect().catch((error: unknown) => {
        connected = undefined;
        throw error;
      });
      await connected;
      return await action();
    } catch (error) {
      throw kafkaErrorFrom(error, operation);
    }
  };

  const listTopics = async (): Promise<string[]> =>
    (await admin.listTopics()).filter((name) => !name.startsWith('__')).sort();

  return {
    ensureTopic: (topic, partitions, options = {}) =>
      call(`ensureTopic ${topic}`, async () => {
        const created = await admin.createTopics({
          topics: [
            {
              topic,
              numPartitions: partitions,
              replicationFactor: options.replicationFactor ?? 1,
              configEntries: Object.entries(options.configs ?? {}).map(([name, value]) => ({ name, value })),
            },
          ],
          waitForLeaders: true,
        });
        if (created) return { created: true, partitions };
        const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
        return { created: false, partitions: metadata.topics[0]?.partitions.length ?? 0 };
      }),

    listTopics: () => call('listTopics', listTopics),

    fetchTopicOffsets: (topic) =>
      call(`fetchTopicOffsets ${topic}`, async () =>
        (await admin.fetchTopicOffsets(topic))
          .map(({ partition, low, high }) => ({ partition, low: BigInt(low), high: BigInt(high) }))
          .sort((a, b) => a.partition - b.partition),
      ),

    deleteTopic: (topic) =>
      call(`deleteTopic ${topic}`, async () => {
        // kafkajs would retry an unknown topic (a retriable broker error) for seconds; say so at once.
        if (!(await listTopics()).includes(topic)) {
          throw new KafkaError(
            'KAFKA_UNKNOWN_TOPIC_OR_PARTITION',
            `kafka deleteTopic ${topic}: no such topic`,
          );
        }
        await admin.deleteTopics({ topics: [topic] });
      }),

    disconnect: async () => {
      if (connected === undefined) return;
      connected = undefined;
      await admin.disconnect();
    },
  };
}
