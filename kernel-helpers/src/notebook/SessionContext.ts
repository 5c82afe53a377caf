// What the parts of a notebook session share: settings, the lazily opened lakehouse and
// engine, the display, the record of the tables read, the embedded event stream and the Kafka
// client.
import type { DuckDbSqlEngine } from '../engine/DuckDbSqlEngine.js';
import type { Lakehouse } from '../engine/Lakehouse.js';
import type { KafkaClient } from '../kafka/KafkaClient.js';
import type { Logger } from '../logger.js';
import type { MemoryStreamSource } from '../stream/MemoryStreamSource.js';
import type { DisplayOptions } from './DisplayTarget.js';
import type { MimeBundle } from './MimeBundle.js';
import type { NotebookConfig } from './notebookConfigFromEnv.js';

export interface SessionContext {
  config(): NotebookConfig;
  /** Opens the lakehouse and the SQL engine on first use. */
  open(): Promise<{ lakehouse: Lakehouse; engine: DuckDbSqlEngine }>;
  display(bundle: MimeBundle, options?: DisplayOptions): void;
  /** Notes the table versions a helper read (for a scheduled run's record; see tableReadLog). */
  recordReads(versions: Readonly<Record<string, number>>): void;
  /** The embedded mode's in-process topic, shared by the producer and Bronze (one per session). */
  memorySource(): MemoryStreamSource;
  /** A Kafka client for KAFKA_BROKERS (created on first use). */
  kafka(): KafkaClient;
  fetch: typeof fetch;
  logger: Logger;
  now(): Date;
}
