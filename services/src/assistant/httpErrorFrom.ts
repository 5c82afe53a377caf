// Every failure of a request becomes one HTTP error here, through data tables: codes to statuses,
// body-parser error types to codes. The single error handler renders what this returns.
import { LakehouseError } from '@rt-lakehouse/kernel-helpers';
import { ZodError } from 'zod';
import { ApiError } from './ApiError.js';

/** What the error handler sends: the status, headers and the `error` object of the body. */
export interface HttpError {
  status: number;
  code: string;
  message: string;
  details: Record<string, unknown>;
  headers: Record<string, string>;
  /** False for bugs and unknown failures: their message and cause stay in the logs only. */
  expose: boolean;
}

/** Exact codes → HTTP status. */
export const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  INVALID_JSON: 400,
  REQUEST_ABORTED: 400,
  QUERY_INVALID_OPTIONS: 400,
  LAKEHOUSE_INVALID_TABLE_NAME: 400,
  DELTA_INVALID_TIMESTAMP: 400,
  ASSISTANT_INVALID_EXAMPLE: 400,
  UNAUTHORIZED: 401,
  INVALID_TOKEN: 401,
  CORS_ORIGIN_DENIED: 403,
  ROUTE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNANSWERABLE: 422,
  DELTA_TIMESTAMP_TOO_EARLY: 422,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  QUERY_TIME_TRAVEL_UNSUPPORTED: 501,
  PIPELINES_UNREACHABLE: 503,
  STREAMS_EXHAUSTED: 503,
  SHUTTING_DOWN: 503,
  ENGINE_CLOSED: 503,
  ASSISTANT_CLOSED: 503,
  QUERY_INTERRUPTED: 503,
  QUERY_OUT_OF_MEMORY: 503,
  QUERY_TIMEOUT: 504,
};

/**
 * Code patterns → HTTP status, first match wins; consulted after the exact table and an
 * ApiError's own fallback status.
 */
export const STATUS_BY_CODE_PATTERN: readonly (readonly [RegExp, number])[] = [
  [/^SQL_/, 400],
  [/_NOT_FOUND$/, 404],
  [/^QUERY_/, 422],
  [/^LLM_/, 502],
];

/** body-parser / raw-body error `type` → code. */
export const CODE_BY_BODY_PARSER_TYPE: Readonly<Record<string, string>> = {
  'entity.too.large': 'PAYLOAD_TOO_LARGE',
  'entity.parse.failed': 'INVALID_JSON',
  'entity.verify.failed': 'BAD_REQUEST',
  'encoding.unsupported': 'UNSUPPORTED_MEDIA_TYPE',
  'charset.unsupported': 'UNSUPPORTED_MEDIA_TYPE',
  'request.aborted': 'REQUEST_ABORTED',
  'request.size.invalid': 'BAD_REQUEST',
  'parameters.too.many': 'PAYLOAD_TOO_LARGE',
};

/** Client-error statuses of http-errors style errors (express, body-parser) → code. */
const CODE_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'BAD_REQUEST',
  404: 'ROUTE_NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
};

/** The status of `code`: exact table, then the fallback, then the patterns, else 500. */
export function statusOfCode(code: string, fallbackStatus?: number): number {
  const exact = STATUS_BY_CODE[code];
  if (exact !== undefined) return exact;
  if (fallbackStatus !== undefined) return fallbackStatus;
  for (const [pattern, status] of STATUS_BY_CODE_PATTERN) if (pattern.test(code)) return status;
  return 500;
}

/** Issues of a zod error as the body lists them: `path` joined with dots, zod's code and message. */
export function issuesOf(
  error: ZodError,
  prefix: readonly (string | number)[] = [],
): { path: string; code: string; message: string }[] {
  return error.issues.map((issue) => ({
    path: [...prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))].join('.'),
    code: issue.code,
    message: issue.message,
  }));
}

/** One line naming every issue: `body.question: Invalid input: expected string, received undefined`. */
export function validationMessage(issues: readonly { path: string; message: string }[]): string {
  return issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
}

/** Turns anything a route or middleware threw into the HTTP error to send. Never throws. */
export function httpErrorFrom(error: unknown): HttpError {
  if (error instanceof ApiError) {
    return {
      status: statusOfCode(error.code, error.fallbackStatus),
      code: error.code,
      message: error.message,
      details: error.details,
      headers: error.headers,
      expose: true,
    };
  }
  if (error instanceof ZodError) {
    const issues = issuesOf(error);
    return {
      status: 400,
      code: 'VALIDATION_FAILED',
      message: validationMessage(issues),
      details: { issues },
      headers: {},
      expose: true,
    };
  }
  if (error instanceof LakehouseError) {
    const status = statusOfCode(error.code, error.retriable ? 503 : undefined);
    return { status, code: error.code, message: error.message, details: {}, headers: {}, expose: true };
  }
  const e = error as { type?: unknown; status?: unknown; statusCode?: unknown; expose?: unknown };
  const bodyCode = typeof e?.type === 'string' ? CODE_BY_BODY_PARSER_TYPE[e.type] : undefined;
  if (bodyCode !== undefined) {
    return {
      status: statusOfCode(bodyCode),
      code: bodyCode,
      message: bodyParserMessage(bodyCode, error),
      details: {},
      headers: {},
      expose: true,
    };
  }
  const status = typeof e?.status === 'number' ? e.status : e?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const code = CODE_BY_STATUS[status] ?? 'BAD_REQUEST';
    return {
      status: statusOfCode(code),
      code,
      message: e.expose === true && error instanceof Error ? error.message : 'the request is not valid',
      details: {},
      headers: {},
      expose: true,
    };
  }
  return {
    status: 500,
    code: 'INTERNAL_ERROR',
    message: 'the service failed to handle the request; the log has the details under this request id',
    details: {},
    headers: {},
    expose: false,
  };
}

function bodyParserMessage(code: string, error: unknown): string {
  const e = error as { limit?: unknown; length?: unknown; message?: unknown };
  switch (code) {
    case 'PAYLOAD_TOO_LARGE':
      return typeof e.limit === 'number'
        ? `the request body is larger than the limit of ${e.limit} bytes`
        : 'the request body is too large';
    case 'INVALID_JSON':
      return `the request body is not valid JSON: ${String(e.message)}`;
    case 'UNSUPPORTED_MEDIA_TYPE':
      return `the request body's encoding is not supported: ${String(e.message)}`;
    default:
      return String(e.message ?? 'the request body could not be read');
  }
}
