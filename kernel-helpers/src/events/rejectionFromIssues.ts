// Turns the zod issues of an invalid event into one rejection: a stable code and a sentence.

import type { z } from 'zod';
import { CURRENCIES, DEVICE_TYPES } from './ecommerceEvent.js';
import type { RejectionCode } from './RejectionCode.js';

type Issue = z.core.$ZodIssue;
type Rejection = { code: RejectionCode; reason: string };

/** What each non-text field should have been, for "expected ..., got ..." sentences. */
const EXPECTED: Readonly<Record<string, string>> = {
  price: 'a number',
  quantity: 'an integer',
  discount: 'a number',
  ts: 'an ISO 8601 timestamp or epoch milliseconds',
};

/** Sentences for values outside an enumeration, by field. */
const NOT_ALLOWED: Readonly<Record<string, (value: string) => Rejection>> = {
  event_type: (value) => ({ code: 'unknown_event_type', reason: `unknown event_type: ${value}` }),
  currency: (value) => ({
    code: 'invalid_value',
    reason: `field currency: unsupported currency ${JSON.stringify(value)} (expected one of ${CURRENCIES.join(', ')})`,
  }),
  device_type: (value) => ({
    code: 'invalid_value',
    reason: `field device_type: unknown device type ${JSON.stringify(value)} (expected one of ${DEVICE_TYPES.join(', ')})`,
  }),
};

/** Sentences for strings of the wrong shape, by field. */
const BAD_FORMAT: Readonly<Record<string, string>> = {
  event_id: 'not a UUID',
  country: 'not a two-letter country code',
};

const MAX_SHOWN = 40;

// A short rendering of a raw JSON value for a reason.
function showValue(value: unknown): string {
  if (typeof value === 'string') {
    return JSON.stringify(value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value);
  }
  if (value === undefined) return 'nothing';
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}

const isoOf = (value: unknown) => (value instanceof Date ? value.toISOString() : showValue(value));

function rejectionFromIssue(issue: Issue, input: unknown): Rejection {
  const field = issue.path[0];
  if (field === undefined) {
    return { code: 'invalid_type', reason: `expected a JSON object, got ${showValue(input)}` };
  }
  const name = String(field);
  const raw = (input as Record<string, unknown>)[name];
  switch (issue.code) {
    case 'invalid_type':
      if (raw === undefined || raw === null) {
        return { code: 'missing_field', reason: `missing required field: ${name}` };
      }
      if (issue.input instanceof Date) {
        return { code: 'invalid_value', reason: `field ${name}: unparseable timestamp ${showValue(raw)}` };
      }
      return {
        code: 'invalid_type',
        reason: `field ${name}: expected ${EXPECTED[name] ?? 'a string'}, got ${showValue(raw)}`,
      };
    case 'too_small':
      if (issue.origin === 'string') return { code: 'empty_value', reason: `field ${name}: empty string` };
      if (issue.origin === 'date') {
        // Epoch seconds read as milliseconds land in January 1970: say so.
        const hint =
          issue.input instanceof Date && issue.input.getUTCFullYear() === 1970
            ? ' (epoch seconds instead of milliseconds?)'
            : '';
        return {
          code: 'invalid_value',
          reason: `field ${name}: ${isoOf(issue.input)} is before 2000-01-01${hint}`,
        };
      }
      return {
        code: 'invalid_value',
        reason: `field ${name}: must be ≥ ${issue.minimum}, got ${showValue(raw)}`,
      };
    case 'too_big':
      return {
        code: 'invalid_value',
        reason: `field ${name}: must be ≤ ${issue.maximum}, got ${showValue(raw)}`,
      };
    case 'invalid_value': {
      const value = typeof issue.input === 'string' ? issue.input : showValue(raw);
      const sentence = NOT_ALLOWED[name];
      if (sentence !== undefined) return sentence(value);
      return { code: 'invalid_value', reason: `field ${name}: ${showValue(raw)} is not allowed` };
    }
    case 'invalid_format':
      return {
        code: 'invalid_value',
        reason: `field ${name}: ${BAD_FORMAT[name] ?? `invalid ${issue.format}`}: ${showValue(raw)}`,
      };
    case 'custom':
      if (issue.params?.['rule'] === 'future') {
        return {
          code: 'invalid_value',
          reason: `field ${name}: ${isoOf(issue.input)} is more than 1 day in the future`,
        };
      }
      return { code: 'invalid_value', reason: `field ${name}: ${issue.message}` };
    default:
      return { code: 'invalid_value', reason: `field ${name}: ${issue.message}` };
  }
}

const MAX_REASONS = 3;

/**
 * One rejection for all the issues of a record: the first issue's code (issues come in field
 * order) and the sentences of the first three, then how many more there were. `input` is the
 * parsed JSON value the issues are about (reasons quote its raw fields).
 */
export function rejectionFromIssues(issues: readonly Issue[], input: unknown): Rejection {
  const rejections = issues.map((issue) => rejectionFromIssue(issue, input));
  const first = rejections[0] ?? { code: 'invalid_value', reason: 'invalid event' };
  const shown = rejections.slice(0, MAX_REASONS).map((rejection) => rejection.reason);
  if (rejections.length > MAX_REASONS) shown.push(`and ${rejections.length - MAX_REASONS} more`);
  return { code: first.code, reason: shown.join('; ') };
}
