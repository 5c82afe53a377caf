// The hand-written fast path of event validation: the checks of ecommerceEventSchema written
// out field by field, with no allocation beyond the event. It only says yes (the event) or no;
// parseRawEvent asks the zod schema why on a no. Tests hold the two to the same answers.

import {
  type EcommerceEvent,
  EVENT_TS_MAX_AHEAD_MS,
  EVENT_TS_MIN,
  type EventType,
  QUANTITY_MAX,
  REFERRERS,
} from './ecommerceEvent.js';
import { normalise } from './eventFieldNormalisers.js';

const COUNTRY = /^[A-Z]{2}$/;

/**
 * The event id lower-cased when `value` is an 8-4-4-4-12 hex UUID (after trimming), else
 * undefined. Character codes rather than a regex: this runs once per record.
 */
function eventIdOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.length === 36 ? value : value.trim();
  if (text.length !== 36) return undefined;
  let upper = false;
  for (let i = 0; i < 36; i++) {
    const c = text.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45) return undefined;
    } else if (c >= 65 && c <= 70) {
      upper = true;
    } else if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) {
      return undefined;
    }
  }
  return upper ? text.toLowerCase() : text;
}

type DeviceType = EcommerceEvent['device_type'];
type Currency = EcommerceEvent['currency'];

// True when `text` neither starts nor ends with a character trim() removes (the usual case:
// then it is its own trimmed form, without the call). Non-ASCII ends take the slow road.
const isTrimmed = (text: string): boolean => {
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(text.length - 1);
  return first > 32 && first < 127 && last > 32 && last < 127;
};

const nonEmptyText = (value: unknown): string | undefined => {
  if (typeof value === 'string' && value.length > 0 && isTrimmed(value)) return value;
  const text = normalise.text(value);
  return typeof text === 'string' && text.length > 0 ? text : undefined;
};

const REFERRERS_AS_SENT = new Set<unknown>(REFERRERS);

function eventTypeOf(value: unknown): EventType | undefined {
  // The canonical spellings first: they are what almost every record carries.
  if (value === 'page_view' || value === 'add_to_cart' || value === 'purchase') return value;
  const text = normalise.lower(value);
  return text === 'page_view' || text === 'add_to_cart' || text === 'purchase' ? text : undefined;
}

function deviceTypeOf(value: unknown): DeviceType | undefined {
  if (value === 'desktop' || value === 'mobile' || value === 'tablet') return value;
  const text = normalise.lower(value);
  return text === 'desktop' || text === 'mobile' || text === 'tablet' ? text : undefined;
}

function currencyOf(value: unknown): Currency | undefined {
  if (value === 'USD' || value === 'GBP' || value === 'CAD' || value === 'EUR') return value;
  const text = normalise.upper(value);
  return text === 'USD' || text === 'GBP' || text === 'CAD' || text === 'EUR' ? text : undefined;
}

function countryOf(value: unknown): string | undefined {
  if (value === 'US' || value === 'UK' || value === 'CA' || value === 'DE' || value === 'FR') return value;
  const code = normalise.country(value);
  return typeof code === 'string' && COUNTRY.test(code) ? code : undefined;
}

function nonNegativeNumber(value: unknown): number | undefined {
  const number = typeof value === 'number' ? value : normalise.number(value);
  return typeof number === 'number' && Number.isFinite(number) && number >= 0 ? number : undefined;
}

/**
 * The normalised event when `input` (a parsed JSON value) is a valid event per
 * ecommerceEventSchema at clock `now` (epoch ms), otherwise undefined. Never throws.
 */
export function parseEventFast(input: unknown, now: number): EcommerceEvent | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return undefined;
  const o = input as Record<string, unknown>;

  const event_id = eventIdOf(o['event_id']);
  if (event_id === undefined) return undefined;
  const user_id = nonEmptyText(o['user_id']);
  if (user_id === undefined) return undefined;
  const session_id = nonEmptyText(o['session_id']);
  if (session_id === undefined) return undefined;
  const product_id = nonEmptyText(o['product_id']);
  if (product_id === undefined) return undefined;
  const category_id = nonEmptyText(o['category_id']);
  if (category_id === undefined) return undefined;
  const event_type = eventTypeOf(o['event_type']);
  if (event_type === undefined) return undefined;
  const price = nonNegativeNumber(o['price']);
  if (price === undefined) return undefined;

  const quantityValue = o['quantity'];
  const quantity = typeof quantityValue === 'number' ? quantityValue : normalise.number(quantityValue);
  if (
    typeof quantity !== 'number' ||
    !Number.isSafeInteger(quantity) ||
    quantity < 1 ||
    quantity > QUANTITY_MAX
  ) {
    return undefined;
  }

  const discountValue = o['discount'];
  const discount =
    discountValue === undefined || discountValue === null ? 0 : nonNegativeNumber(discountValue);
  if (discount === undefined) return undefined;
  const currency = currencyOf(o['currency']);
  if (currency === undefined) return undefined;

  const ts = normalise.timestamp(o['ts']);
  if (!(ts instanceof Date)) return undefined;
  const millis = ts.getTime();
  // NaN (an unparseable timestamp) fails both comparisons.
  if (!(millis >= EVENT_TS_MIN && millis <= now + EVENT_TS_MAX_AHEAD_MS)) return undefined;

  const uaValue = o['ua'];
  const ua =
    typeof uaValue === 'string' && (uaValue.length === 0 || isTrimmed(uaValue))
      ? uaValue
      : normalise.text(uaValue);
  if (typeof ua !== 'string') return undefined;
  const country = countryOf(o['country']);
  if (country === undefined) return undefined;
  const device_type = deviceTypeOf(o['device_type']);
  if (device_type === undefined) return undefined;
  const referrerValue = o['referrer'];
  const referrer = REFERRERS_AS_SENT.has(referrerValue) ? referrerValue : normalise.lower(referrerValue);
  if (typeof referrer !== 'string' || referrer.length === 0) return undefined;

  return {
    event_id,
    user_id,
    session_id,
    product_id,
    category_id,
    event_type,
    price,
    quantity,
    discount,
    currency,
    ts,
    ua,
    country,
    device_type,
    referrer,
  };
}
