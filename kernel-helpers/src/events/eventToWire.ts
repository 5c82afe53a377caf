// The JSON object of an event on the wire (before stringification).

import type { EcommerceEvent } from './ecommerceEvent.js';

/** An event as its JSON object: `ts` an ISO 8601 string, fields in DESIGN.md's order. */
export type EcommerceEventWire = Omit<EcommerceEvent, 'ts'> & { ts: string };

/** The wire object of `event`, fields in DESIGN.md's order. */
export function eventToWire(event: EcommerceEvent): EcommerceEventWire {
  return {
    event_id: event.event_id,
    user_id: event.user_id,
    session_id: event.session_id,
    product_id: event.product_id,
    category_id: event.category_id,
    event_type: event.event_type,
    price: event.price,
    quantity: event.quantity,
    discount: event.discount,
    currency: event.currency,
    ts: event.ts.toISOString(),
    ua: event.ua,
    country: event.country,
    device_type: event.device_type,
    referrer: event.referrer,
  };
}
