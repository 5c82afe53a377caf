// Bronze: Kafka records appended as they are (raw JSON value plus Kafka coordinates). Each
// commit carries one txn per Kafka partition, `bronze:<topic>:<partition>` → last offset.
import {
  definePipeline,
  type KafkaRecord,
  KafkaStreamSource,
  type PipelineDefinition,
  partitionKey,
  type StreamSource,
  type Trigger,
} from '@rt-lakehouse/kernel-helpers';
import { BRONZE_EVENTS_SCHEMA, MEDALLION_RETENTION_PROPERTIES, TABLES } from './tableSchemas.js';

export interface BronzePipelineOptions {
  /** The Kafka topic (ignored when `source` is given). */
  topic?: string;
  /** Consumer group shared by every runner, which splits the partitions between them. */
  groupId?: string;
  /** Another source of Kafka-shaped records (the embedded mode's in-process source, seeding). */
  source?: () => StreamSource<KafkaRecord>;
  table?: string;
  trigger?: Trigger;
  name?: string;
  /** Consumer-group session timeout: how soon a dead runner's partitions move (broker minimum 6 s). */
  sessionTimeoutMs?: number;
}

export const DEFAULT_TOPIC = 'ecommerce_events';

export function bronzePipeline(options: BronzePipelineOptions = {}): PipelineDefinition<KafkaRecord> {
  const table = options.table ?? TABLES.bronze;
  const topic = options.topic ?? DEFAULT_TOPIC;
  return definePipeline<KafkaRecord>({
    name: options.name ?? 'bronze',
    description: `Raw records of ${options.source ? 'the in-process source' : `Kafka topic ${topic}`} into ${table}`,
    source: (env) => {
      if (options.source) return options.source();
      if (!env.kafka)
        throw new Error('the bronze pipeline needs a Kafka client (KAFKA_BROKERS) or an in-process source');
      return new KafkaStreamSource(env.kafka, {
        topic,
        groupId: options.groupId ?? 'rt-lakehouse-bronze',
        logger: env.logger,
      });
    },
    positionOf: (r) => ({ key: partitionKey(r.topic, r.partition), position: Number(r.offset) }),
    sinks: [{ table, schema: BRONZE_EVENTS_SCHEMA, properties: MEDALLION_RETENTION_PROPERTIES }],
    trigger: options.trigger ?? { kind: 'continuous', maxBatchRecords: 100_000, maxWaitMs: 100 },
    async transform(batch) {
      const n = batch.records.length;
      const key = new Array<string | null>(n);
      const value = new Array<Buffer | null>(n);
      const topicColumn = new Array<string>(n);
      const partition = new Array<number>(n);
      const offset = new Array<bigint>(n);
      const kafkaTs = new Array<number>(n);
      let min = Number.POSITIVE_INFINITY;
      let max = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < n; i++) {
        const r = batch.records[i]!;
        if (r.timestamp < min) min = r.timestamp;
        if (r.timestamp > max) max = r.timestamp;
        key[i] = r.key === null ? null : r.key.toString('utf8');
        // The bytes as they came: staged without becoming a string (Silver decodes them).
        value[i] = r.value;
        topicColumn[i] = r.topic;
        partition[i] = r.partition;
        offset[i] = r.offset;
        kafkaTs[i] = r.timestamp;
      }
      const columns = {
        key,
        value,
        topic: topicColumn,
        kafka_partition: partition,
        kafka_offset: offset,
        kafka_ts: kafkaTs,
        ingested_at: new Array<number>(n).fill(Date.now()),
      };
      return {
        writes: [{ table, source: { columns, rowCount: n } }],
        rowsIn: n,
        ...(n > 0 ? { eventTime: { min, max } } : {}),
      };
    },
  });
}
