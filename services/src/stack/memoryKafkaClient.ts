// The embedded mode's stand-in for a Kafka client: the producer service's sends go into an
// in-process MemoryStreamSource that the Bronze pipeline reads, with Kafka's partitioning by key.
// Only what the producer uses (config, admin.ensureTopic, producer) is there.
import type {
  KafkaClient,
  KafkaConfig,
  KafkaMessage,
  MemoryStreamSource,
} from '@rt-lakehouse/kernel-helpers';

export type ProducerKafka = Pick<KafkaClient, 'config' | 'admin' | 'producer'>;

const text = (v: string | Buffer | null): string | null =>
  v === null ? null : typeof v === 'string' ? v : v.toString('utf8');
const epochMs = (t: number | Date | undefined): number | undefined => (t instanceof Date ? t.getTime() : t);

export function memoryKafkaClient(source: MemoryStreamSource): ProducerKafka {
  const config: KafkaConfig = {
    brokers: ['embedded:0'],
    clientId: 'rt-lakehouse-embedded',
    topic: source.topic,
    partitions: source.partitions,
    connectionTimeoutMs: 1,
    requestTimeoutMs: 1,
    retries: 0,
    logLevel: 'error',
  };
  const unsupported = (what: string) => () =>
    Promise.reject(new Error(`${what} is not available in embedded mode`));
  return {
    config,
    admin: {
      ensureTopic: async () => ({ created: false, partitions: source.partitions }),
      listTopics: async () => [source.topic],
      fetchTopicOffsets: unsupported('fetchTopicOffsets'),
      deleteTopic: unsupported('deleteTopic'),
    } as unknown as KafkaClient['admin'],
    producer: () => {
      let closed = false;
      return {
        async send(topic: string, messages: readonly KafkaMessage[]) {
          if (closed) throw new Error('the embedded producer is disconnected');
          if (topic !== source.topic)
            throw new Error(`embedded mode has one stream (${source.topic}), not ${topic}`);
          source.push(
            messages.map((m) => {
              const timestamp = epochMs(m.timestamp);
              return {
                key: text(m.key),
                value: text(m.value),
                ...(timestamp === undefined ? {} : { timestamp }),
              };
            }),
          );
        },
        async flush() {},
        async disconnect() {
          closed = true;
        },
      };
    },
  };
}
