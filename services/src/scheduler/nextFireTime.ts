// When a timed trigger fires next: cron expressions through croner (time zones and daylight
// saving included), intervals on a fixed grid from their anchor. Pure: the caller gives "now".
import { Cron } from 'croner';
import type { Trigger } from './scheduleDefinition.js';

/**
 * The first fire time strictly after `after`, or null when there is none (a commit trigger, or a
 * cron expression with no future match). Intervals fire at `anchor + k * everySeconds` (k ≥ 1),
 * so a restart keeps the grid instead of drifting, and fires missed while the scheduler was down
 * are not replayed: the next one is the first grid point after `after`.
 */
export function nextFireTime(trigger: Trigger, after: Date, anchor: Date = after): Date | null {
  if ('cron' in trigger) {
    return new Cron(trigger.cron, { timezone: trigger.timezone, paused: true }).nextRun(after);
  }
  if ('everySeconds' in trigger) {
    const step = trigger.everySeconds * 1000;
    const elapsed = after.getTime() - anchor.getTime();
    const k = elapsed < 0 ? 1 : Math.floor(elapsed / step) + 1;
    return new Date(anchor.getTime() + k * step);
  }
  return null;
}
