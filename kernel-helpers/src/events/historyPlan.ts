// The generator settings for `lakehouse seed`: N events over the last D days, ending now.

import type { EventGeneratorOptions } from './EventGeneratorOptions.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** What history to make; the other generator options pass through. */
export interface HistoryPlanOptions extends Omit<EventGeneratorOptions, 'start' | 'end' | 'count'> {
  /** Number of records. */
  events: number;
  /** Days of history before `end`. */
  days: number;
  /** The end of the history (epoch ms or Date). Default: now. */
  end?: number | Date;
}

/**
 * Generator options for exactly `events` records spread over the `days` days before `end`,
 * in event-time order, following the daily and weekly traffic curve:
 * `createEventGenerator(historyPlan({ events: 1_000_000, days: 7, seed: 1 }))`. Unless given,
 * the user population grows with the history (one user per 10 events, from 1,000 to
 * 1,000,000), so conversion stays realistic at any size. Late events, if asked for, are the
 * only records out of event-time order.
 */
export function historyPlan(options: HistoryPlanOptions): EventGeneratorOptions {
  const { events, days, end: endOption, ...rest } = options;
  const end =
    endOption === undefined ? Date.now() : typeof endOption === 'number' ? endOption : endOption.getTime();
  return {
    users: Math.min(1_000_000, Math.max(1_000, Math.round(events / 10))),
    ...rest,
    start: end - days * DAY_MS,
    end,
    count: events,
  };
}
