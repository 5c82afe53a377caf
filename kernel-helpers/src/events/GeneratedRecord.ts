// One record of the event generator, ready to produce to Kafka.

import type { FaultKind } from './FaultKind.js';

/**
 * A generated record: `key` is the user_id (also for bad records), `value` the JSON text of the
 * event or the corrupted text, `ts` the event time in epoch ms (for a duplicate, the time of
 * the event it repeats; for a late event, its backdated time). `fault` is set on injected bad
 * data only, so tests know exactly which records are bad and why.
 */
export interface GeneratedRecord {
  key: string;
  value: string;
  ts: number;
  fault?: FaultKind;
}
