// The scheduler service: `node --import tsx services/src/scheduler/main.ts` or `lakehouse
// scheduler`. Opens the lakehouse and the scheduler folder, resumes every schedule, serves the
// API on SCHEDULER_PORT, and on SIGINT/SIGTERM stops runs in progress (they are retried after
// the next start when attempts are left) before exiting.
import type { Server } from 'node:http';
import { Lakehouse } from '@rt-lakehouse/kernel-helpers';
import { createJsonLogger } from '../jsonLogger.js';
import { AlertNotifier } from './AlertNotifier.js';
import { createSchedulerApp } from './createSchedulerApp.js';
import { JupyterNotebookExecutor } from './JupyterNotebookExecutor.js';
import { Scheduler } from './Scheduler.js';
import { SchedulerStore } from './SchedulerStore.js';
import { schedulerServiceConfigFromEnv } from './schedulerServiceConfig.js';

const logger = createJsonLogger({ service: 'scheduler' });
const config = schedulerServiceConfigFromEnv();
const lakehouse = await Lakehouse.open({ dir: config.LAKEHOUSE_DIR, logger });
const store = await SchedulerStore.open(config.SCHEDULER_DIR);
const scheduler = await Scheduler.start({
  store,
  notebooksDir: config.NOTEBOOKS_DIR,
  lakehouse,
  logger,
  executor: new JupyterNotebookExecutor({
    logger,
    kernelName: config.SCHEDULER_KERNEL,
    ...(config.SCHEDULER_PYTHON ? { python: config.SCHEDULER_PYTHON } : {}),
  }),
  notifier: new AlertNotifier({ logger, webhookUrl: config.SCHEDULER_ALERT_WEBHOOK }),
  maxConcurrentRuns: config.SCHEDULER_MAX_CONCURRENT_RUNS,
  maxQueuedPerSchedule: config.SCHEDULER_MAX_QUEUED_PER_SCHEDULE,
  keepRunsPerSchedule: config.SCHEDULER_KEEP_RUNS,
  commitPollMs: config.SCHEDULER_COMMIT_POLL_MS,
  runEnv: { LAKEHOUSE_DIR: config.LAKEHOUSE_DIR },
});

let server: Server | undefined;
let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info('stopping', { signal });
  server?.close();
  await scheduler.stop();
  lakehouse.close();
  logger.info('stopped');
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

const app = createSchedulerApp({ scheduler, logger, apiToken: config.API_TOKEN });
server = app.listen(config.SCHEDULER_PORT, config.SCHEDULER_HOST, () => {
  const address = server?.address();
  logger.info('scheduler listening', {
    port: typeof address === 'object' && address ? address.port : config.SCHEDULER_PORT,
    host: config.SCHEDULER_HOST,
    notebooks: config.NOTEBOOKS_DIR,
    dir: config.SCHEDULER_DIR,
    lakehouse: config.LAKEHOUSE_DIR,
  });
});
