// Bearer-token authentication: when the service has a token, protected routes need
// `Authorization: Bearer <token>`; the comparison takes the same time whatever the guess.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { ApiError } from './ApiError.js';

const REALM = 'rt-lakehouse';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * The auth middleware; lets everything through when `token` is undefined.
 * @throws ApiError UNAUTHORIZED (no credentials) or INVALID_TOKEN (wrong ones), both 401 with
 * a WWW-Authenticate challenge.
 */
export function bearerAuth(token: string | undefined): RequestHandler {
  if (token === undefined) return (_req, _res, next) => next();
  const expected = digest(token);
  return (req, _res, next) => {
    const header = req.get('authorization');
    if (header === undefined || header.trim() === '') {
      throw new ApiError(
        'UNAUTHORIZED',
        'this route needs a bearer token: Authorization: Bearer <API_TOKEN>',
        {
          headers: { 'WWW-Authenticate': `Bearer realm="${REALM}"` },
        },
      );
    }
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
    if (!match || !timingSafeEqual(digest(match[1]!), expected)) {
      throw new ApiError('INVALID_TOKEN', 'the bearer token is not valid', {
        headers: {
          'WWW-Authenticate': `Bearer realm="${REALM}", error="invalid_token", error_description="the token is not valid"`,
        },
      });
    }
    next();
  };
}
