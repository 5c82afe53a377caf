// The compactor's work, loaded by compactorMain.ts once the process runs at the lowest CPU
// priority: reads its arguments, opens the lakehouse and runs startTableMaintenance's rounds
// (compaction, and now and then the cleanup of expired log files and VACUUM).
import { parseArgs } from 'node:util';
// The engine entry alone, not the package's: the AI, Kafka and notebook modules would more
// than double this process's start-up (~1.3 CPU-s against ~0.5), which shares the cores with
// the pipelines.
import { Lakehouse } from '@rt-lakehouse/kernel-helpers/engine';
import { z } from 'zod';
import { createJsonLogger } from '../jsonLogger.js';
import { startTableMaintenance } from './tableMaintenance.js';

const logger = createJsonLogger({ service: 'compactor' });
const { values } = parseArgs({
  options: {
    dir: { type: 'string' },
    tables: { type: 'string' },
    'every-ms': { type: 'string' },
    'cleanup-every-ms': { type: 'string' },
    'first-in-ms': { type: 'string' },
  },
});
const args = z
  .object({
    dir: z.string().min(1),
    tables: z
      .string()
      .min(1)
      .transform((s) => s.split(',')),
    'every-ms': z.coerce.number().int().positive(),
    'cleanup-every-ms': z.coerce.number().int().min(0).optional(),
    'first-in-ms': z.coerce.number().int().min(0).optional(),
  })
  .safeParse(values);
if (!args.success) {
  logger.error('bad arguments', {
    issues: args.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
  });
  process.exit(2);
}
const lakehouse = await Lakehouse.open({ dir: args.data.dir, logger });
const maintenance = startTableMaintenance({
  lakehouse,
  tables: args.data.tables,
  logger,
  everyMs: args.data['every-ms'],
  ...(args.data['cleanup-every-ms'] === undefined ? {} : { cleanupEveryMs: args.data['cleanup-every-ms'] }),
  ...(args.data['first-in-ms'] === undefined ? {} : { firstRoundInMs: args.data['first-in-ms'] }),
});
let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await maintenance.stop();
  lakehouse.close();
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
process.on('disconnect', () => void stop());
