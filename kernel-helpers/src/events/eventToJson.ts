// The wire format of an event, producer → Kafka: JSON in DESIGN.md's field order, `ts` as ISO 8601.

import type { EcommerceEvent } from './ecommerceEvent.js';
import { eventToWire } from './eventToWire.js';

/**
 * The JSON text of `event` as the producer sends it: every field in DESIGN.md's order, `ts` as
 * an ISO 8601 UTC string with milliseconds. parseRawEvent(eventToJson(e)) gives back `e`.
 */
export function eventToJson(event: EcommerceEvent): string {
  return JSON.stringify(eventToWire(event));
}
