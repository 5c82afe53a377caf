// The assistant API service: `lakehouse serve` or `tsx --conditions=source
// services/src/assistant/main.ts`. Settings from the environment (assistantServiceConfigFromEnv
// for HTTP, assistantConfigFromEnv for the assistant); stops cleanly on SIGINT/SIGTERM: stop
// accepting connections, end the KPI streams, let requests in flight finish (up to
// SHUTDOWN_GRACE_MS), then close the assistant, the engine and the lakehouse.
import type { AddressInfo } from 'node:net';
import { createAssistant, DuckDbSqlEngine, Lakehouse } from '@rt-lakehouse/kernel-helpers';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { createJsonLogger } from '../jsonLogger.js';
import { AlertService } from './AlertService.js';
import { alertServiceConfigFromEnv } from './alertServiceConfig.js';
import { createSignalGatherer, healthProbe } from './alertSignals.js';
import { assistantServiceConfigFromEnv } from './assistantServiceConfig.js';
import { createApp } from './createApp.js';
import { pipelinesStatusClient } from './pipelinesStatusClient.js';

const logger = createJsonLogger({ service: 'assistant' });
const config = assistantServiceConfigFromEnv();
const alertConfig = alertServiceConfigFromEnv();
const lakehouse = await Lakehouse.open({ dir: config.LAKEHOUSE_DIR, logger });
const engine = await DuckDbSqlEngine.create({ lakehouse, logger, timeoutMs: config.QUERY_TIMEOUT_MS });
const assistant = await createAssistant({ lakehouse, engine, logger });
const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'assistant_' });
const pipelinesStatus = pipelinesStatusClient(config.PIPELINES_URL, config.PIPELINES_TIMEOUT_MS);
const alerts =
  alertConfig.ALERT_EVAL_INTERVAL_S > 0
    ? new AlertService({
        thresholds: alertConfig,
        everySeconds: alertConfig.ALERT_EVAL_INTERVAL_S,
        webhookUrl: alertConfig.ALERT_WEBHOOK_URL,
        logger,
        registry,
        gather: createSignalGatherer({
          engine,
          lakehouse,
          pipelinesStatus,
          registry,
          windowMinutes: alertConfig.ALERT_WINDOW_MINUTES,
          probes: Object.fromEntries(
            alertConfig.ALERT_WATCH_SERVICES.map((name) => [
              name,
              healthProbe(name === 'pipelines' ? config.PIPELINES_URL : alertConfig.SCHEDULER_URL),
            ]),
          ),
        }).gather,
      })
    : undefined;
const app = createApp({ assistant, engine, lakehouse, pipelinesStatus, config, logger, registry, alerts });

const server = app.listen(config.ASSISTANT_PORT, config.ASSISTANT_HOST);
await new Promise<void>((resolve, reject) => {
  server.once('listening', resolve);
  server.once('error', reject);
});
const { port } = server.address() as AddressInfo;
alerts?.start();
logger.info('assistant API listening', {
  url: `http://${config.ASSISTANT_HOST}:${port}`,
  host: config.ASSISTANT_HOST,
  port,
  lakehouse: lakehouse.dir,
  auth: config.API_TOKEN !== undefined,
  corsOrigins: config.CORS_ORIGINS,
  rateLimitPerMin: config.RATE_LIMIT_PER_MIN,
  alerts: alerts
    ? { everySeconds: alertConfig.ALERT_EVAL_INTERVAL_S, webhook: !!alertConfig.ALERT_WEBHOOK_URL }
    : 'off',
});

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info('stopping', { signal });
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  app.endStreams();
  server.closeIdleConnections();
  const grace = setTimeout(() => {
    logger.warn('requests still running at the end of the grace period: closing their connections', {
      graceMs: config.SHUTDOWN_GRACE_MS,
    });
    server.closeAllConnections();
  }, config.SHUTDOWN_GRACE_MS);
  await closed;
  clearTimeout(grace);
  await alerts?.stop();
  await assistant.close();
  await engine.close();
  lakehouse.close();
  logger.info('stopped', { signal });
  process.exit(0);
}

process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
