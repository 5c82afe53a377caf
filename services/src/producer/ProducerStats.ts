// What the producer service reports about itself.

import type { FaultKind } from '@rt-lakehouse/kernel-helpers';

/**
 * The producer's lifecycle. Legal transitions:
 * idle → starting → running → stopping → stopped; starting → failed (the topic could not be
 * made ready); idle → stopped (stopped before it started). Send failures do not end a run:
 * they are counted and the producer retries after a pause.
 */
export type ProducerState = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped' | 'failed';

/** A snapshot of the producer's counters. */
export interface ProducerStats {
  state: ProducerState;
  topic: string;
  seed: number;
  /** Events per second asked for, or 'max'. */
  targetRate: number | 'max';
  /** When the first batch could go out (ISO 8601), once running. */
  startedAt?: string;
  /** Seconds since startedAt (until it stopped). */
  elapsedS: number;
  /** Records handed to the Kafka client. */
  generated: number;
  /** Records the broker acknowledged: what a consumer of the topic will find. */
  sent: number;
  /** Records of sends that failed (after the client's own retries). */
  failed: number;
  /** Records in sends not settled yet. */
  inFlight: number;
  /** Bytes of acknowledged values. */
  bytes: number;
  /** sent / elapsedS. */
  ratePerS: number;
  /** CPU seconds this process used since startedAt (user + system, all threads). */
  cpuS: number;
  /** Acknowledged records by injected fault kind. */
  faults: Record<FaultKind, number>;
  /** Failed sends. */
  errors: number;
  lastError?: string;
}
