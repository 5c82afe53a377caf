// The compactor: small-file compaction of the lakehouse's tables (startTableMaintenance) in a
// process of its own, which the pipeline runner starts at the lowest CPU priority so that
// compaction takes only the cores the pipelines leave idle: rewriting a minute of Bronze must
// not stall the stream (freshness) on a small machine. Started by startCompactorProcess:
//   compactorMain.ts --dir <lakehouse> --tables a,b,c --every-ms 60000 [--first-in-ms 30000]
// It stops after its round in progress on SIGTERM/SIGINT or when its parent goes away.
// This entry only lowers the priority, then loads the compactor (compactorRun.ts): loading its
// part of the library (and, from source, transpiling it) takes ~0.5 CPU-s that must not compete
// with the pipelines either.
import { readdirSync } from 'node:fs';
import os from 'node:os';

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
await import('./compactorRun.js');
