// Request ids: the caller's `x-request-id` when it is a sane token (a proxy's, the Lab's), else
// a fresh UUID; echoed in the response header, the access log and every error body.
import { randomUUID } from 'node:crypto';
import type { RequestHandler, Response } from 'express';

const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Sets `res.locals.requestId` and the `x-request-id` response header. */
export function requestId(): RequestHandler {
  return (req, res, next) => {
    const given = req.get('x-request-id');
    const id = given !== undefined && SANE_ID.test(given) ? given : randomUUID();
    res.locals['requestId'] = id;
    res.setHeader('x-request-id', id);
    next();
  };
}

/** The id `requestId()` gave this response ('' before it ran). */
export function requestIdOf(res: Response): string {
  const id = res.locals['requestId'];
  return typeof id === 'string' ? id : '';
}
