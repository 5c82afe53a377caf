// The one place where errors become HTTP responses: `{ error: { code, message, requestId, ... } }`
// with the status httpErrorFrom picks; stack traces and unexpected messages go to the log only.
import type { Logger } from '@rt-lakehouse/kernel-helpers';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ApiError } from './ApiError.js';
import { httpErrorFrom } from './httpErrorFrom.js';
import { requestIdOf } from './requestId.js';

/** Unknown paths: a 404 in the same JSON shape as every other error. */
export const notFound: RequestHandler = (req) => {
  throw new ApiError('ROUTE_NOT_FOUND', `no route ${req.method} ${req.path}`);
};

/** The express error handler. Logs unexpected errors with their stack and cause; never throws. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, next) => {
    const http = httpErrorFrom(error);
    const requestId = requestIdOf(res);
    res.locals['errorCode'] = http.code;
    // Expected failures (a closed engine, an unreachable runner) show in the access log with
    // their message; anything else is a bug: logged here with its stack.
    if (http.expose && http.status >= 500) res.locals['errorMessage'] = http.message;
    if (!http.expose) {
      logger.error('request failed', {
        requestId,
        method: req.method,
        path: req.path,
        code: http.code,
        error: error instanceof Error ? error : String(error),
        stack: error instanceof Error ? error.stack : undefined,
      });
    }
    if (res.headersSent) {
      // A stream had started: the status is gone, so end it (express closes the socket).
      next(error);
      return;
    }
    for (const [name, value] of Object.entries(http.headers)) res.setHeader(name, value);
    res.status(http.status).json({
      error: { code: http.code, message: http.message, requestId, ...http.details },
    });
  };
}
