// CORS with an allow-list: allowed origins (and the service's own origin) get the CORS headers
// and their preflights a 204; other origins are refused with 403 before any route runs.
import type { RequestHandler } from 'express';
import { ApiError } from './ApiError.js';

export interface CorsOptions {
  /** Exact origins (`scheme://host[:port]`), or `*` for any. */
  origins: readonly string[];
  /** How long browsers may cache a preflight (seconds). */
  maxAgeSeconds?: number;
}

const ALLOWED_HEADERS = 'Authorization, Content-Type, X-Request-Id, Last-Event-ID';
const EXPOSED_HEADERS = 'X-Request-Id, RateLimit, RateLimit-Policy, Retry-After, WWW-Authenticate';
const ALLOWED_METHODS = 'GET, HEAD, POST, OPTIONS';

/**
 * The CORS middleware. Requests without an Origin header (curl, servers, same-origin GETs)
 * pass untouched. @throws ApiError CORS_ORIGIN_DENIED (403) for an origin not on the list.
 */
export function corsAllowList(options: CorsOptions): RequestHandler {
  const any = options.origins.includes('*');
  const allowed = new Set(options.origins.map((o) => o.replace(/\/+$/, '').toLowerCase()));
  const maxAge = String(options.maxAgeSeconds ?? 600);
  return (req, res, next) => {
    const origin = req.get('origin');
    if (origin === undefined) return next();
    const own = `${req.protocol}://${req.get('host') ?? ''}`.toLowerCase();
    res.vary('Origin');
    if (!any && !allowed.has(origin.toLowerCase()) && origin.toLowerCase() !== own) {
      throw new ApiError('CORS_ORIGIN_DENIED', `origin ${origin} is not allowed (CORS_ORIGINS)`, {
        details: { origin },
      });
    }
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    if (req.method === 'OPTIONS' && req.get('access-control-request-method') !== undefined) {
      res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS);
      res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      res.setHeader('Access-Control-Max-Age', maxAge);
      res.status(204).end();
      return;
    }
    next();
  };
}
