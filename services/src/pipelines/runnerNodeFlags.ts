// Node.js flags for a process that runs the streaming pipelines.
//
// The pipelines allocate hundreds of MB per second of short-lived objects (records, parsed
// events, column arrays), nearly all dead by the next batch. With V8's default young generation
// (16 MB semi-spaces) that meant ~12 scavenges a second at 50,000 events/s, each pausing the
// one JavaScript thread that all three pipelines share; with 64 MB there are about a third as
// many for the same total GC time, and bench:ingest's p99 freshness at 50,000 events/s fell
// from ~3.8-4.5 s to ~1.5-1.7 s (without compaction in the window). V8 reads the size when the
// heap is created, so it must be on the command line (or NODE_OPTIONS), not set at run time.

/** Flags for `node` when it starts the pipeline runner (or the embedded stack). */
export const PIPELINE_RUNNER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];

/**
 * The runner flags this process was started without (looking at its own flags and NODE_OPTIONS;
 * a flag given with another value counts as given), for a command that runs the runner in
 * process and starts itself again with them when some are missing.
 */
export function missingRunnerNodeFlags(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string = process.env['NODE_OPTIONS'] ?? '',
): string[] {
  const given = [...execArgv, ...nodeOptions.split(/\s+/)].map((a) => a.split('=')[0]!.replaceAll('_', '-'));
  return PIPELINE_RUNNER_NODE_FLAGS.filter((flag) => !given.includes(flag.split('=')[0]!));
}
