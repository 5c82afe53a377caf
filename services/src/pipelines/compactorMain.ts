// The compactor: small-file compaction of the lakehouse's tables (startTableMaintenance) in a
// process of its own, which the pipeline runner starts at the lowest CPU priority so that
// compaction takes only the cores the pipelines leave idle: rewriting a minute of Bronze must
// not stall the stream (freshness) on a small machine. Started by startCompactorProcess:
//   compactorMain.ts --dir <lakehouse> --tables a,b,c --every-ms 60000 [--first-in-ms 30000]
// It stops after its round in progress on SIGTERM/SIGINT or when its parent goes away.
import { readdirSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { Lakehouse } from '@rt-lakehouse/kernel-helpers';
import { z } from 'zod';
import { createJsonLogger } from '../jsonLogger.js';
import { startTableMaintenance } from './tableMaintenance.js';

// The lowest CPU priority for the whole process, before DuckDB starts its threads. Linux keeps
// a nice value per thread and os.setPriority() sets the calling thread's only, so each thread
// that exists now (the main one, V8's helpers, libuv's pool, where DuckDB's queries run) is
// lowered; a thread inherits its creator's value, so every thread started later is low too.
function lowestPriorityForAllThreads(): void {
  let threads: number[];
  try {
    threads = readdirSync('/proc/self/task').map(Number);
  } catch {
    threads = [0]; // no /proc (macOS): the calling thread
  }
  for (const thread of threads) {
    try {
      os.setPriority(thread, 19);
    } catch {
      // Gone meanwhile, or not allowed: compaction still runs, at normal priority.
    }
  }
}
lowestPriorityForAllThreads();

const logger = createJsonLogger({ service: 'compactor' });
const { values } = parseArgs({
  options: {
    dir: { type: 'string' },
    tables: { type: 'string' },
    'every-ms': { type: 'string' },
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
