// Event time with daily and weekly seasonality. Work ("traffic-weighted milliseconds") accrues
// at the hour's traffic factor per millisecond of event time, so equal amounts of work cover
// less time in busy hours: spacing events evenly in work packs them into the evening peaks.

import { HOURLY_TRAFFIC } from './commerceCatalogue.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

// Factors scaled so that their mean over a whole week is 1: a rate of r events/s is then
// r on average over any week, higher in the evening, lower at night.
const weeklyMean =
  (5 * HOURLY_TRAFFIC.weekday.reduce((a, b) => a + b, 0) +
    2 * HOURLY_TRAFFIC.weekend.reduce((a, b) => a + b, 0)) /
  (7 * 24);
const WEEKDAY = HOURLY_TRAFFIC.weekday.map((factor) => factor / weeklyMean);
const WEEKEND = HOURLY_TRAFFIC.weekend.map((factor) => factor / weeklyMean);

/** The traffic factor of the UTC hour containing `ms` (weekly mean 1). */
function trafficFactorAt(ms: number): number {
  const day = Math.floor(ms / DAY_MS);
  const hour = Math.floor((ms - day * DAY_MS) / HOUR_MS);
  // 1970-01-01 was a Thursday: day 2 (mod 7) is a Saturday, day 3 a Sunday.
  const weekday = (((day + 4) % 7) + 7) % 7;
  return (weekday === 0 || weekday === 6 ? WEEKEND : WEEKDAY)[hour]!;
}

/** Maps work done since `start` to event time; see createSeasonalClock. */
export interface SeasonalClock {
  /** Event time (epoch ms, fractional) at which `work` has accrued; calls must not decrease `work`. */
  timeAt(work: number): number;
  /** Work that accrues from `start` to `end`. */
  workUntil(end: number): number;
}

/**
 * A clock starting at `start` (epoch ms). With `seasonal` false every hour has factor 1 and
 * work is plain milliseconds.
 */
export function createSeasonalClock(start: number, seasonal: boolean): SeasonalClock {
  const factorAt = seasonal ? trafficFactorAt : () => 1;
  // The hour bucket the last answer fell in: [bucketStart, bucketEnd) with work bucketWork at its start.
  let bucketStart = start;
  let bucketEnd = (Math.floor(start / HOUR_MS) + 1) * HOUR_MS;
  let bucketWork = 0;
  let factor = factorAt(start);
  return {
    timeAt(work) {
      for (;;) {
        const workAtEnd = bucketWork + (bucketEnd - bucketStart) * factor;
        if (work < workAtEnd) return bucketStart + (work - bucketWork) / factor;
        bucketWork = workAtEnd;
        bucketStart = bucketEnd;
        bucketEnd += HOUR_MS;
        factor = factorAt(bucketStart);
      }
    },
    workUntil(end) {
      let work = 0;
      let from = start;
      while (from < end) {
        const to = Math.min(end, (Math.floor(from / HOUR_MS) + 1) * HOUR_MS);
        work += (to - from) * factorAt(from);
        from = to;
      }
      return work;
    },
  };
}
