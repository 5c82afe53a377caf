// Silver's parse step for one raw Kafka value: JSON, validation, coercion and normalisation.

import { ecommerceEventSchema } from './ecommerceEvent.js';
import { parseEventFast } from './parseEventFast.js';
import type { RawEventParseResult } from './RawEventParseResult.js';
import { rejectionFromIssues } from './rejectionFromIssues.js';

/**
 * Parses, validates, coerces and normalises one raw record value into an EcommerceEvent, or
 * says why it is rejected (see RejectionCode; `reason` quotes the offending field). What is
 * valid is exactly what ecommerceEventSchema accepts; a hand-written fast path gives the same
 * answer for valid records at a fraction of zod's cost, and zod explains the rejected ones. The only
 * input besides `raw` is the clock, for the "more than a day in the future" rule. Never throws.
 */
export function parseRawEvent(raw: string | Buffer | null): RawEventParseResult {
  if (raw === null || raw.length === 0) {
    return { success: false, code: 'empty_value', reason: 'empty record: the value is null or zero-length' };
  }
  let input: unknown;
  try {
    input = JSON.parse(typeof raw === 'string' ? raw : raw.toString('utf8'));
  } catch (error) {
    return { success: false, code: 'malformed_json', reason: `malformed JSON: ${(error as Error).message}` };
  }
  const event = parseEventFast(input, Date.now());
  if (event !== undefined) return { success: true, event };
  const checked = ecommerceEventSchema.safeParse(input, { reportInput: true });
  // The schema is the authority: should the fast path ever refuse what it accepts, it wins.
  if (checked.success) return { success: true, event: checked.data };
  return { success: false, ...rejectionFromIssues(checked.error.issues, input) };
}
