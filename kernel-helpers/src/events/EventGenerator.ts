// The event generator's interface (see createEventGenerator).

import type { Currency } from './ecommerceEvent.js';
import type { GeneratedRecord } from './GeneratedRecord.js';

/**
 * A deterministic stream of commerce records. Iterating it calls `next()` until the plan ends
 * (forever when it has neither `count` nor `end`).
 */
export interface EventGenerator extends Iterable<GeneratedRecord> {
  /**
   * The next record, or undefined once `count` records were made or the next event time would
   * pass `end`. With `eventTime` (epoch ms) the record is stamped with it instead of the
   * generator's own event-time clock, as a live producer does with the wall clock; everything
   * else about the record stays as the seed decides.
   */
  next(eventTime?: number): GeneratedRecord | undefined;
  /** Up to `n` records (fewer when the plan ends first). */
  take(n: number): GeneratedRecord[];
  /** Records made so far. */
  readonly generated: number;
  /** The home countries in use, after the currency filter. */
  readonly countries: readonly string[];
  readonly currencies: readonly Currency[];
}
