// A small HTTP endpoint for a service's health, status JSON and Prometheus metrics.
import http from 'node:http';
import type { Registry } from 'prom-client';

export interface StatusServer {
  port: number;
  close(): Promise<void>;
}

/** One dependency check of /health: `ok`, or `down` with a reason. */
export interface HealthCheck {
  status: 'ok' | 'down';
  [detail: string]: unknown;
}

/**
 * Serves GET /health, /status (JSON from `status()`) and /metrics on 127.0.0.1 or `host`.
 * /health answers 503 when `healthy()` is false or a check of `checks()` is down, and lists the
 * checks when there are any.
 */
export async function startStatusServer(options: {
  port: number;
  host?: string;
  registry: Registry;
  status: () => unknown;
  healthy?: () => boolean;
  checks?: () => Promise<Record<string, HealthCheck>>;
}): Promise<StatusServer> {
  const server = http.createServer(async (req, res) => {
    const send = (code: number, type: string, body: string) => {
      res.writeHead(code, { 'content-type': type });
      res.end(body);
    };
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (req.method !== 'GET')
        return send(405, 'application/json', JSON.stringify({ error: 'method not allowed' }));
      if (url.pathname === '/health') {
        const checks = options.checks ? await options.checks() : undefined;
        const ok =
          (options.healthy?.() ?? true) && Object.values(checks ?? {}).every((c) => c.status === 'ok');
        return send(
          ok ? 200 : 503,
          'application/json',
          JSON.stringify({ status: ok ? 'ok' : 'degraded', ...(checks ? { checks } : {}) }),
        );
      }
      if (url.pathname === '/status') return send(200, 'application/json', JSON.stringify(options.status()));
      if (url.pathname === '/metrics')
        return send(200, options.registry.contentType, await options.registry.metrics());
      return send(404, 'application/json', JSON.stringify({ error: `no route ${url.pathname}` }));
    } catch (error) {
      return send(500, 'application/json', JSON.stringify({ error: (error as Error).message }));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : options.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
