// The KafkaProducer port over a kafkajs producer.

import type { Kafka, Message } from 'kafkajs';
import kafkajs from 'kafkajs';
import type { KafkaMessage } from '../KafkaMessage.js';
import type { KafkaProducer } from '../KafkaProducer.js';
import type { KafkaProducerOptions } from '../KafkaProducerOptions.js';
import { kafkaErrorFrom } from '../kafkaErrorFrom.js';

const { CompressionTypes, Partitioners } = kafkajs;

const toMessage = ({ key, value, timestamp, headers }: KafkaMessage): Message => ({
  key,
  value,
  ...(timestamp === undefined
    ? {}
    : { timestamp: String(typeof timestamp === 'number' ? timestamp : timestamp.getTime()) }),
  ...(headers === undefined ? {} : { headers }),
});

/** A KafkaProducer that connects on first send. */
export function createKafkaJsProducer(kafka: Kafka, options: KafkaProducerOptions = {}): KafkaProducer {
  const producer = kafka.producer({
    allowAutoTopicCreation: options.allowAutoTopicCreation ?? false,
    // The Java client's murmur2 partitioner, so a key lands where every other client puts it.
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  const compression = options.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None;
  const acks = options.acks ?? -1;
  const timeout = options.ackTimeoutMs ?? 30_000;
  let connected: Promise<void> | undefined;
  let closed = false;
  const inFlight = new Set<Promise<void>>();
  let failures: Error[] = [];

  const connect = (): Promise<void> => {
    connected ??= producer.connect().catch((error: unknown) => {
      connected = undefined;
      throw error;
    });
    return connected;
  };

  const flush = async (): Promise<void> => {
    await Promise.allSettled([...inFlight]);
    const [first] = failures;
    failures = [];
    if (first !== undefined) throw first;
  };

  return {
    send(topic, messages) {
      const sent = (async () => {
        if (closed) throw new Error('the producer is disconnected');
        if (messages.length === 0) return;
        await connect();
        await producer.send({ topic, messages: messages.map(toMessage), acks, timeout, compression });
      })().catch((error: unknown) => {
        const failure = kafkaErrorFrom(error, `send to ${topic}`);
        failures.push(failure);
        throw failure;
      });
      inFlight.add(sent);
      sent.then(
        () => inFlight.delete(sent),
        () => inFlight.delete(sent),
      );
      return sent;
    },

    flush,

    async disconnect() {
      if (closed) return;
      closed = true;
      try {
        await flush();
      } finally {
        if (connected !== undefined) await producer.disconnect();
      }
    },
  };
}
