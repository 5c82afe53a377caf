// Turns a valid event into the bad record of a fault kind, the way real pipelines receive them.

import type { Random } from './createRandom.js';
import type { EcommerceEventWire } from './eventToWire.js';

type BadKind = 'malformed_json' | 'missing_field' | 'wrong_type' | 'unknown_event_type';

const REQUIRED_FIELDS = [
  'event_id',
  'user_id',
  'session_id',
  'product_id',
  'category_id',
  'event_type',
  'price',
  'quantity',
  'currency',
  'ts',
  'ua',
  'country',
  'device_type',
  'referrer',
] as const;

/** Values of the wrong JSON type, by field: none of them coerces to a valid value. */
const WRONG_TYPES: readonly [keyof EcommerceEventWire, unknown][] = [
  ['price', 'abc'],
  ['price', 'twelve fifty'],
  ['price', true],
  ['quantity', 'two'],
  ['quantity', 1.5],
  ['quantity', [1]],
  ['discount', 'none'],
  ['event_id', 1234567890],
  ['user_id', 40213],
  ['session_id', { id: 7 }],
  ['product_id', 1024],
  ['category_id', false],
  ['event_type', 1],
  ['currency', 840],
  ['ts', true],
  ['ts', { seconds: 1 }],
  ['ua', 42],
  ['country', 826],
  ['device_type', 2],
  ['referrer', 0],
];

const UNKNOWN_EVENT_TYPES = [
  'refund',
  'wishlist_add',
  'search',
  'remove_from_cart',
  'checkout_started',
  'login',
];

/**
 * The text of a bad record made from `wire` (whose JSON text is `json`):
 * - `malformed_json`: truncated part-way, single-quoted, or with a stray closing brace;
 * - `missing_field`: one required field left out, or null;
 * - `wrong_type`: one field replaced by a value of the wrong JSON type;
 * - `unknown_event_type`: event_type outside EVENT_TYPES.
 */
export function corruptEvent(kind: BadKind, wire: EcommerceEventWire, json: string, random: Random): string {
  switch (kind) {
    case 'malformed_json': {
      const variant = random.int(3);
      // Any proper prefix of a JSON object is invalid: its closing brace is missing.
      if (variant === 0) return json.slice(0, 1 + random.int(json.length - 2));
      if (variant === 1) return json.replaceAll('"', "'");
      return `${json}}`;
    }
    case 'missing_field': {
      const field = REQUIRED_FIELDS[random.int(REQUIRED_FIELDS.length)]!;
      const copy: Record<string, unknown> = { ...wire };
      if (random.chance(0.25)) copy[field] = null;
      else delete copy[field];
      return JSON.stringify(copy);
    }
    case 'wrong_type': {
      const [field, value] = WRONG_TYPES[random.int(WRONG_TYPES.length)]!;
      return JSON.stringify({ ...wire, [field]: value });
    }
    case 'unknown_event_type':
      return JSON.stringify({
        ...wire,
        event_type: UNKNOWN_EVENT_TYPES[random.int(UNKNOWN_EVENT_TYPES.length)],
      });
  }
}
