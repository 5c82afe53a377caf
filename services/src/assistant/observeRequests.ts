// Access logs and request metrics: one structured JSON line per finished (or abandoned)
// request, and Prometheus counters and latency histograms labelled by route pattern and status.
import type { Logger } from '@rt-lakehouse/kernel-helpers';
import type { RequestHandler } from 'express';
import { Counter, Histogram, type Registry } from 'prom-client';
import { requestIdOf } from './requestId.js';

/** Latency buckets (seconds): planner answers take milliseconds, LLM answers seconds. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** The metrics of the HTTP layer, registered once per registry. */
export interface HttpMetrics {
  requests: Counter<'method' | 'route' | 'status'>;
  duration: Histogram<'method' | 'route' | 'status'>;
}

export function createHttpMetrics(registry: Registry): HttpMetrics {
  return {
    requests: new Counter({
      name: 'assistant_http_requests_total',
      help: 'HTTP requests by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'assistant_http_request_duration_seconds',
      help: 'HTTP request latency (until the response ended) by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      buckets: BUCKETS,
      registers: [registry],
    }),
  };
}

/**
 * Logs and measures each request when its response closes. The route label is the matched
 * pattern (`res.locals.route`), `unmatched` otherwise, so label values stay few.
 */
export function observeRequests(logger: Logger, metrics: HttpMetrics): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    res.once('close', () => {
      const seconds = (performance.now() - started) / 1000;
      const route = typeof res.locals['route'] === 'string' ? (res.locals['route'] as string) : 'unmatched';
      const labels = { method: req.method, route, status: String(res.statusCode) };
      metrics.requests.inc(labels);
      metrics.duration.observe(labels, seconds);
      const fields: Record<string, unknown> = {
        requestId: requestIdOf(res),
        method: req.method,
        route,
        path: req.path,
        status: res.statusCode,
        durationMs: Math.round(seconds * 1e6) / 1e3,
        ip: req.ip,
        bytes: Number(res.getHeader('content-length') ?? 0) || undefined,
        userAgent: req.get('user-agent'),
        ...(res.writableFinished ? {} : { aborted: true }),
        ...(res.locals['errorCode'] ? { errorCode: res.locals['errorCode'] } : {}),
        ...(res.locals['errorMessage'] ? { errorMessage: res.locals['errorMessage'] } : {}),
      };
      if (res.statusCode >= 500) logger.warn('request', fields);
      else logger.info('request', fields);
    });
    next();
  };
}
