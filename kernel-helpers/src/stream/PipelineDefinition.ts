// A streaming pipeline as a definition object: where records come from, what becomes of them,
// which Delta tables receive them, when batches run, and the checks their rows must pass.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { WriteSource } from '../delta/DeltaTable.js';
import type { Predicate } from '../delta/predicate.js';
import type { StructType } from '../delta/schema.js';
import type { Lakehouse } from '../engine/Lakehouse.js';
import { ConfigError } from '../errors.js';
import type { KafkaClient } from '../kafka/KafkaClient.js';
import type { Logger } from '../logger.js';
import type { StreamBatch } from './StreamBatch.js';
import type { StreamSource } from './StreamSource.js';

/**
 * When batches run: `continuous` as soon as records arrive (a batch holds at most
 * `maxBatchRecords`), `interval` every `everyMs`, `availableNow` until the source has nothing
 * more, then the pipeline stops (backfills).
 */
export type Trigger =
  | { kind: 'continuous'; maxBatchRecords?: number; maxWaitMs?: number }
  | { kind: 'interval'; everyMs: number; maxBatchRecords?: number }
  | { kind: 'availableNow'; maxBatchRecords?: number };

/** A Delta table a pipeline writes; created with `schema` when it does not exist. */
export interface SinkSpec {
  table: string;
  schema: StructType;
  partitionBy?: string[];
  /**
   * Table properties the sink keeps: given to a new table, and set on an existing one at each
   * start where it holds other values (properties the sink does not name are left alone).
   */
  properties?: Record<string, string>;
}

/** One write a batch makes to one sink. */
export interface SinkWrite {
  table: string;
  source: WriteSource;
  mode?: 'append' | 'overwrite';
  replaceWhere?: Predicate;
}

/** A data-quality rule on the rows written to a sink (a DuckDB SQL boolean over its columns). */
export interface Expectation {
  name: string;
  table: string;
  /** True for good rows, e.g. `price >= 0`. */
  sql: string;
  /** warn: count and keep; drop: count and leave the row out; fail: stop the pipeline. */
  onViolation: 'warn' | 'drop' | 'fail';
}

/** What a transform produced for one batch. */
export interface TransformResult {
  writes: SinkWrite[];
  /** Rows read from the source after the already-written ones were left out. */
  rowsIn: number;
  /** Event-time range of the batch's records (ms), for freshness and watermark metrics. */
  eventTime?: { min: number; max: number };
  /** Counters the transform wants reported, e.g. quarantined, duplicates, lateBeyondWatermark. */
  counters?: Record<string, number>;
  /** The pipeline's event-time watermark after this batch (ms), when it keeps one. */
  watermark?: number;
}

/** What every part of a pipeline can reach. */
export interface PipelineEnv {
  lakehouse: Lakehouse;
  kafka?: KafkaClient;
  logger: Logger;
}

/** Per-batch context handed to a transform. */
export interface BatchContext {
  env: PipelineEnv;
  pipeline: string;
  /** A DuckDB connection of the lakehouse's Delta instance, for staging and SQL writes. */
  connection: DuckDBConnection;
  /** The last position of source key `key` already written to sink `table` (undefined: none). */
  sinkPosition(table: string, key: string): number | undefined;
  /** Whether the record at `position` of `key` is already in sink `table`. */
  isWritten(table: string, key: string, position: number): boolean;
}

export interface PipelineDefinition<R> {
  name: string;
  description?: string;
  /** The source, created when the pipeline starts. */
  source: (env: PipelineEnv) => StreamSource<R> | Promise<StreamSource<R>>;
  /** Source key and position of a record, so that already-written records can be left out. */
  positionOf: (record: R) => { key: string; position: number };
  sinks: SinkSpec[];
  /** Turns a batch into writes. Must be deterministic: a batch replayed after a crash gives the same rows. */
  transform: (batch: StreamBatch<R>, ctx: BatchContext) => Promise<TransformResult>;
  /** (Re)builds the transform's state from the sinks: at start and after a commit conflict. */
  init?: (ctx: BatchContext) => Promise<void>;
  trigger?: Trigger;
  /** Event-time lateness the pipeline tolerates; reported in its status. */
  watermark?: { column: string; delayMs: number };
  expectations?: Expectation[];
}

/** Lets a definition written in TypeScript keep its record type. */
export function definePipeline<R>(definition: PipelineDefinition<R>): PipelineDefinition<R> {
  // The name starts the app id of the txns it commits (pipelineTxnAppId), up to a ':'.
  if (definition.name === '' || definition.name.includes(':'))
    throw new ConfigError(
      `pipeline name '${definition.name}': a name is not empty and holds no ':' (it prefixes the txn app ids the pipeline commits)`,
    );
  return definition;
}
