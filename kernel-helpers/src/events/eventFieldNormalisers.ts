// The coercions and normalisations Silver applies to raw event fields before validating them.
// Shared by the zod schema (as `z.preprocess` steps) and the hand-written fast path, so both
// see the same normalised values; the checks that follow are written twice and tested equal.

/** Country spellings accepted and the code stored for them (ISO alpha-2 `GB` is stored as `UK`). */
const COUNTRY_ALIASES: Readonly<Record<string, string>> = {
  GB: 'UK',
  GBR: 'UK',
  USA: 'US',
  CAN: 'CA',
  DEU: 'DE',
  FRA: 'FR',
};

// Plain decimal notation only: no hex, no "Infinity", no thousands separators, no empty string.
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER_TEXT = /^-?\d+$/;
// ISO 8601 date-time: `T`, `t` or a space between date and time; seconds, fraction and offset
// optional; no offset means UTC (every timestamp of the lakehouse is UTC).
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

// Date.UTC reads years 0-99 as 1900-1999; 400 Gregorian years later the calendar repeats.
const FOUR_CENTURIES_MS = 146_097 * 86_400_000;
const utc = (
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  ms: number,
) =>
  year < 100
    ? Date.UTC(year + 400, month - 1, day, hour, minute, second, ms) - FOUR_CENTURIES_MS
    : Date.UTC(year, month - 1, day, hour, minute, second, ms);

const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

const digitAt = (text: string, i: number): number => {
  const d = text.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : Number.NaN;
};

/**
 * Epoch milliseconds of the canonical form `YYYY-MM-DDTHH:MM:SS[.sss]Z` (what eventToJson
 * writes), read from the character codes; NaN when `text` is not in that form or names no real
 * instant. The general parser below gives the same answer, more slowly.
 */
function epochMillisFromCanonicalIso(text: string): number {
  const length = text.length;
  if (length !== 24 && length !== 20) return Number.NaN;
  if (
    text.charCodeAt(4) !== 45 ||
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(10) !== 84 ||
    text.charCodeAt(13) !== 58 ||
    text.charCodeAt(16) !== 58 ||
    text.charCodeAt(length - 1) !== 90 ||
    (length === 24 && text.charCodeAt(19) !== 46)
  ) {
    return Number.NaN;
  }
  const year = digitAt(text, 0) * 1000 + digitAt(text, 1) * 100 + digitAt(text, 2) * 10 + digitAt(text, 3);
  const month = digitAt(text, 5) * 10 + digitAt(text, 6);
  const day = digitAt(text, 8) * 10 + digitAt(text, 9);
  const hour = digitAt(text, 11) * 10 + digitAt(text, 12);
  const minute = digitAt(text, 14) * 10 + digitAt(text, 15);
  const second = digitAt(text, 17) * 10 + digitAt(text, 18);
  const millis = length === 24 ? digitAt(text, 20) * 100 + digitAt(text, 21) * 10 + digitAt(text, 22) : 0;
  // A non-digit makes its number NaN, which fails every comparison below.
  if (!(month >= 1 && month <= 12 && day >= 1 && hour <= 23 && minute <= 59 && second <= 59))
    return Number.NaN;
  if (day > DAYS_IN_MONTH[month - 1]! || (month === 2 && day === 29 && !isLeapYear(year))) return Number.NaN;
  return utc(year, month, day, hour, minute, second, millis);
}

/** Epoch milliseconds of a strict ISO 8601 date-time, or NaN when it is not one or names no real instant. */
function epochMillisFromIso(text: string): number {
  const m = ISO_DATE_TIME.exec(text);
  if (m === null) return Number.NaN;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return Number.NaN;
  if (day > DAYS_IN_MONTH[month - 1]! || (month === 2 && day === 29 && !isLeapYear(year))) return Number.NaN;
  const fraction = m[7];
  const millis =
    fraction === undefined
      ? 0
      : Number(fraction.length >= 3 ? fraction.slice(0, 3) : fraction.padEnd(3, '0'));
  let offsetMinutes = 0;
  if (m[9] !== undefined) {
    const offsetHours = Number(m[10]);
    const offsetMins = m[11] === undefined ? 0 : Number(m[11]);
    if (offsetHours > 23 || offsetMins > 59) return Number.NaN;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  return utc(year, month, day, hour, minute, second, millis) - offsetMinutes * 60_000;
}

/**
 * The normalisation step of each kind of field. Each returns `undefined` for a missing or null
 * value (so it reads as missing), the normalised value when it can, and the input unchanged
 * when it cannot, for the check that follows to reject with the right reason.
 */
export const normalise = {
  /** Identifiers and free text: trimmed. */
  text(value: unknown): unknown {
    if (typeof value === 'string') return value.trim();
    return value === null ? undefined : value;
  },

  /** Enumerations spelled in lower case (event_type, device_type, referrer, event_id): trimmed, lower-cased. */
  lower(value: unknown): unknown {
    if (typeof value === 'string') return value.trim().toLowerCase();
    return value === null ? undefined : value;
  },

  /** Currency codes: trimmed, upper-cased. */
  upper(value: unknown): unknown {
    if (typeof value === 'string') return value.trim().toUpperCase();
    return value === null ? undefined : value;
  },

  /** Country codes: trimmed, upper-cased, aliases mapped (`GB` → `UK`). */
  country(value: unknown): unknown {
    if (typeof value === 'string') {
      const code = value.trim().toUpperCase();
      return COUNTRY_ALIASES[code] ?? code;
    }
    return value === null ? undefined : value;
  },

  /** Numbers: a string in plain decimal notation becomes its number ("12.50" → 12.5). */
  number(value: unknown): unknown {
    if (typeof value === 'string') {
      const text = value.trim();
      return DECIMAL.test(text) ? Number(text) : value;
    }
    return value === null ? undefined : value;
  },

  /** The discount: a number as above, 0 when missing or null. */
  discount(value: unknown): unknown {
    return value === undefined || value === null ? 0 : normalise.number(value);
  },

  /**
   * Timestamps: an ISO 8601 string (UTC when it has no offset) or epoch milliseconds (a number
   * or a string of digits) become a Date; a string that is neither becomes an invalid Date.
   */
  timestamp(value: unknown): unknown {
    if (typeof value === 'string') {
      const canonical = epochMillisFromCanonicalIso(value);
      if (!Number.isNaN(canonical)) return new Date(canonical);
      const text = value.trim();
      return new Date(INTEGER_TEXT.test(text) ? Number(text) : epochMillisFromIso(text));
    }
    if (typeof value === 'number') return new Date(value);
    return value === null ? undefined : value;
  },
};
