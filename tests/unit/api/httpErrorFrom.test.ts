// The error table: library errors, zod errors, body-parser errors and unknown failures → the
// status, code and body the error handler sends.
import {
  ConfigError,
  DeltaError,
  KafkaError,
  LakehouseError,
  QueryError,
} from '@rt-lakehouse/kernel-helpers';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiError } from '../../../services/src/assistant/ApiError.js';
import { httpErrorFrom, statusOfCode } from '../../../services/src/assistant/httpErrorFrom.js';

describe('statusOfCode', () => {
  it.each([
    ['VALIDATION_FAILED', 400],
    ['SQL_NOT_SELECT', 400],
    ['SQL_BIND_ERROR', 400],
    ['UNAUTHORIZED', 401],
    ['CORS_ORIGIN_DENIED', 403],
    ['TABLE_NOT_FOUND', 404],
    ['ASSISTANT_TURN_NOT_FOUND', 404],
    ['METHOD_NOT_ALLOWED', 405],
    ['PAYLOAD_TOO_LARGE', 413],
    ['UNSUPPORTED_MEDIA_TYPE', 415],
    ['UNANSWERABLE', 422],
    ['QUERY_FAILED', 422],
    ['RATE_LIMITED', 429],
    ['LLM_UNAVAILABLE', 502],
    ['ENGINE_CLOSED', 503],
    ['PIPELINES_UNREACHABLE', 503],
    ['QUERY_TIMEOUT', 504],
    ['SOMETHING_ELSE', 500],
  ])('%s → %i', (code, status) => {
    expect(statusOfCode(code)).toBe(status);
  });

  it('puts a fallback status after exact codes and before the patterns', () => {
    expect(statusOfCode('SQL_BIND_ERROR', 422)).toBe(422);
    expect(statusOfCode('QUERY_TIMEOUT', 422)).toBe(504);
    expect(statusOfCode('ENGINE_CLOSED', 422)).toBe(503);
  });
});

describe('httpErrorFrom', () => {
  it('renders an ApiError with its details and headers', () => {
    const error = new ApiError('METHOD_NOT_ALLOWED', 'no', {
      headers: { Allow: 'GET' },
      details: { allow: ['GET'] },
    });
    expect(httpErrorFrom(error)).toEqual({
      status: 405,
      code: 'METHOD_NOT_ALLOWED',
      message: 'no',
      details: { allow: ['GET'] },
      headers: { Allow: 'GET' },
      expose: true,
    });
  });

  it('maps library errors by code; retriable ones without a code of their own to 503', () => {
    expect(httpErrorFrom(new QueryError('SQL_NOT_SELECT', 'only SELECT'))).toMatchObject({
      status: 400,
      code: 'SQL_NOT_SELECT',
    });
    expect(httpErrorFrom(new QueryError('QUERY_TIMEOUT', 'slow'))).toMatchObject({ status: 504 });
    expect(httpErrorFrom(new DeltaError('DELTA_TABLE_NOT_FOUND', 't', undefined, 'gone'))).toMatchObject({
      status: 404,
      message: 'Delta table t: gone',
    });
    expect(httpErrorFrom(new KafkaError('KAFKA_BROKER_DOWN', 'down', { retriable: true }))).toMatchObject({
      status: 503,
    });
    expect(httpErrorFrom(new ConfigError('bad'))).toMatchObject({
      status: 500,
      code: 'CONFIG_INVALID',
      expose: true,
    });
    expect(httpErrorFrom(new LakehouseError('LAKEHOUSE_INVALID_TABLE_NAME', 'bad name'))).toMatchObject({
      status: 400,
    });
  });

  it('lists the issues of a zod error', () => {
    const parsed = z.object({ a: z.string(), b: z.int() }).safeParse({ b: 'x' });
    expect(parsed.success).toBe(false);
    expect(httpErrorFrom(parsed.error)).toEqual({
      status: 400,
      code: 'VALIDATION_FAILED',
      message:
        'a: Invalid input: expected string, received undefined; b: Invalid input: expected number, received string',
      details: {
        issues: [
          { path: 'a', code: 'invalid_type', message: 'Invalid input: expected string, received undefined' },
          { path: 'b', code: 'invalid_type', message: 'Invalid input: expected number, received string' },
        ],
      },
      headers: {},
      expose: true,
    });
  });

  it.each([
    ['entity.too.large', 413, 'PAYLOAD_TOO_LARGE'],
    ['entity.parse.failed', 400, 'INVALID_JSON'],
    ['encoding.unsupported', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['charset.unsupported', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['request.aborted', 400, 'REQUEST_ABORTED'],
  ])('maps the body-parser error %s to %i %s', (type, status, code) => {
    const error = Object.assign(new Error('x'), { type, status, expose: true, limit: 10 });
    expect(httpErrorFrom(error)).toMatchObject({ status, code });
  });

  it('keeps the client status of http-errors style errors (a malformed URL)', () => {
    const error = Object.assign(new URIError("Failed to decode param '%E0%A4%A'"), {
      status: 400,
      expose: true,
    });
    expect(httpErrorFrom(error)).toMatchObject({ status: 400, code: 'BAD_REQUEST', expose: true });
  });

  it('hides the message of anything unexpected', () => {
    for (const thrown of [new Error('secret /srv/app.ts'), 'a string', undefined, { status: 502 }]) {
      expect(httpErrorFrom(thrown)).toEqual({
        status: 500,
        code: 'INTERNAL_ERROR',
        message: 'the service failed to handle the request; the log has the details under this request id',
        details: {},
        headers: {},
        expose: false,
      });
    }
  });
});
