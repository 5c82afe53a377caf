// When to inject each kind of bad data: randomly placed, yet exact in count.

import type { Random } from './createRandom.js';
import type { FaultRates } from './EventGeneratorOptions.js';
import type { FaultKind } from './FaultKind.js';

const RATE_OF: readonly [FaultKind, keyof FaultRates][] = [
  ['malformed_json', 'malformedJson'],
  ['missing_field', 'missingField'],
  ['wrong_type', 'wrongType'],
  ['unknown_event_type', 'unknownEventType'],
  ['duplicate', 'duplicate'],
  ['late', 'late'],
];

/** Picks the fault of each record; see createFaultSchedule. */
export interface FaultSchedule {
  /** The fault due for the next record, if any; call exactly once per record. */
  due(): FaultKind | undefined;
  /** Confirms that the fault `due` returned was injected (a declined one stays due). */
  injected(kind: FaultKind): void;
}

/**
 * A schedule where each kind earns `rate` credit per record and fires when its credit passes a
 * random threshold in (0, 1], paying 1. Credit stays within (-1, 1], so after n records a kind
 * has fired n·rate rounded down or up, while where it fires is random. When two kinds are due
 * on one record the first in FAULT_KINDS order goes; the other stays due for the next record.
 */
export function createFaultSchedule(rates: FaultRates, random: Random): FaultSchedule {
  const kinds = RATE_OF.filter(([, key]) => (rates[key] ?? 0) > 0).map(([kind, key]) => ({
    kind,
    rate: rates[key] ?? 0,
    credit: 0,
    threshold: 1 - random.float(),
  }));
  const byKind = new Map(kinds.map((entry) => [entry.kind, entry]));
  return {
    due() {
      let chosen: FaultKind | undefined;
      for (const entry of kinds) {
        entry.credit += entry.rate;
        if (chosen === undefined && entry.credit >= entry.threshold) chosen = entry.kind;
      }
      return chosen;
    },
    injected(kind) {
      const entry = byKind.get(kind);
      if (entry === undefined) return;
      entry.credit -= 1;
      entry.threshold = 1 - random.float();
    },
  };
}
