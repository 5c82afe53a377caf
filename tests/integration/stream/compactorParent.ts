// A stand-in for the pipeline runner in compactorProcess.test.ts: starts the compactor on the
// lakehouse folder given as argument, prints its pid, and waits to be killed.
import { startCompactorProcess } from '../../../services/src/pipelines/compactorProcess.js';

const compactor = startCompactorProcess({
  lakehouseDir: process.argv[2]!,
  tables: ['small_files'],
  everyMs: 60_000,
  logger: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
});
console.log(`compactor ${compactor.pid}`);
setInterval(() => {}, 1_000);
