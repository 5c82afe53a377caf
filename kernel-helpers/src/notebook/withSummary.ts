// What a helper's return value prints as when it is a cell's last expression: tslab echoes that
// value with util.inspect, and the rich output is already on screen, so one short line is enough.
import { inspect } from 'node:util';

/** Gives `value` a one-line printed form (a non-enumerable inspect hook); returns `value`. */
export function withSummary<T extends object>(value: T, summary: string): T {
  Object.defineProperty(value, inspect.custom, {
    value: () => summary,
    enumerable: false,
    configurable: true,
  });
  return value;
}
