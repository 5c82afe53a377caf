// How the event generator is set up: seed, population, event time, rate and bad data.

import type { Currency } from './ecommerceEvent.js';

/**
 * Rates of bad data, each a probability per record in [0, 1] (their sum at most 1). Counts
 * are exact to within one record: over n records, kind k appears ⌊n·rate⌋ or ⌈n·rate⌉ times.
 */
export interface FaultRates {
  malformedJson?: number;
  missingField?: number;
  wrongType?: number;
  unknownEventType?: number;
  duplicate?: number;
  late?: number;
  /** Lateness of late events, uniform between these (ms). Defaults 2 minutes and 2 hours. */
  lateMinMs?: number;
  lateMaxMs?: number;
}

/** Settings of createEventGenerator; every field is optional. */
export interface EventGeneratorOptions {
  /** Any safe integer; the same seed (and options) gives byte-identical records. Default 42. */
  seed?: number;
  /** Home countries of the users, a subset of HOME_CURRENCY's keys. Default DEFAULT_COUNTRIES. */
  countries?: readonly string[];
  /**
   * Currencies in use (default all). A country whose home currency is left out is not used;
   * at least one country must remain.
   */
  currencies?: readonly Currency[];
  /** Event time of the first record (epoch ms or Date). Default: the clock at creation. */
  start?: number | Date;
  /** No record's event time goes past this; `next` returns undefined after it. Default: none. */
  end?: number | Date;
  /**
   * Exactly this many records, spread over [start, end] (both required) following the traffic
   * curve, in event-time order. Without it, records arrive at `eventsPerSecond` of event time.
   */
  count?: number;
  /** Mean records per second of event time (over a week, with seasonality). Default 10. */
  eventsPerSecond?: number;
  /** Daily and weekly traffic curve on event-time spacing. Default true. */
  seasonality?: boolean;
  /** Size of the user population. Default 10,000. */
  users?: number;
  /** Size of the product catalogue (spread over 20 categories). Default 500. */
  products?: number;
  /** Bad data to inject. Default none. */
  faults?: FaultRates;
}
