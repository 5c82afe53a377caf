// `lakehouse table …`: one Delta table from the terminal — its history and properties, and its
// maintenance (OPTIMIZE, VACUUM, expired-log cleanup), as the notebook's table(name) helper has
// them. What deletes files is a dry run unless --delete is given, as in the notebook.
import type { DeltaTable, Lakehouse } from '@rt-lakehouse/kernel-helpers';
import { type Command, InvalidArgumentError } from 'commander';

/** `key=value` options gathered into one object (a repeated key keeps its last value). */
function keyValue(value: string, previous: Record<string, string>): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`expected key=value, got '${value}'`);
  return { ...previous, [value.slice(0, eq).trim()]: value.slice(eq + 1) };
}

const repeated = (value: string, previous: string[]) => [...previous, value];

const hours = (value: string) => {
  const n = Number(value);
  if (!(n >= 0)) throw new InvalidArgumentError('--retention-hours must be a number of hours, 0 or more');
  return n;
};

const whole = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError('--limit must be a whole number of at least 1');
  return n;
};

/** Adds `table history|properties|optimize|vacuum|cleanup-log <name>` to `program`. */
export function addTableCommands(program: Command, openLakehouse: () => Promise<Lakehouse>): void {
  const table = program
    .command('table')
    .description('one Delta table: history, properties, OPTIMIZE, VACUUM, expired-log cleanup');

  /** Runs `work` on table `name`, which must exist, and closes the lakehouse after. */
  async function onTable(name: string, work: (table: DeltaTable) => Promise<void>): Promise<void> {
    const lakehouse = await openLakehouse();
    try {
      const delta = await lakehouse.table(name);
      await delta.latest(); // a missing table is an error here, not an empty answer
      await work(delta);
    } finally {
      lakehouse.close();
    }
  }

  table
    .command('history')
    .description('commits, newest first')
    .argument('<name>', 'table name')
    .option('--limit <n>', 'how many commits', whole, 20)
    .option('--json', 'print as JSON')
    .action((name: string, opts: { limit: number; json?: boolean }) =>
      onTable(name, async (delta) => {
        const entries = await delta.history(opts.limit);
        if (opts.json) return console.log(JSON.stringify(entries));
        console.table(
          entries.map((e) => ({
            version: e.version,
            timestamp: e.timestamp.toISOString(),
            operation: e.operation ?? '',
            parameters: JSON.stringify(e.operationParameters ?? {}),
          })),
        );
      }),
    );

  table
    .command('properties')
    .description('show the table properties, or change them in one commit (SET / UNSET TBLPROPERTIES)')
    .argument('<name>', 'table name')
    .option('--set <key=value>', 'set a property (repeatable)', keyValue, {} as Record<string, string>)
    .option('--unset <key>', 'remove a property (repeatable)', repeated, [] as string[])
    .option('--json', 'print as JSON')
    .action((name: string, opts: { set: Record<string, string>; unset: string[]; json?: boolean }) =>
      onTable(name, async (delta) => {
        const change = Object.keys(opts.set).length > 0 || opts.unset.length > 0;
        const result = change
          ? await delta.setProperties(opts.set, { unset: opts.unset })
          : await delta
              .latest()
              .then((s) => ({ version: s.version, changed: false, properties: s.properties }));
        if (opts.json) return console.log(JSON.stringify(result));
        const keys = Object.keys(result.properties).sort();
        if (keys.length === 0) console.log(`${name} has no properties (version ${result.version})`);
        else console.table(Object.fromEntries(keys.map((k) => [k, { value: result.properties[k] }])));
        if (change)
          console.log(
            result.changed
              ? `${name}: properties changed at version ${result.version}`
              : `${name}: unchanged (the table already had these properties)`,
          );
      }),
    );

  table
    .command('optimize')
    .description('compact small files (a commit with dataChange=false)')
    .argument('<name>', 'table name')
    .option('--json', 'print as JSON')
    .action((name: string, opts: { json?: boolean }) =>
      onTable(name, async (delta) => {
        const result = await delta.optimize();
        if (opts.json) return console.log(JSON.stringify(result));
        console.log(
          result.version === undefined
            ? `${name}: nothing to compact`
            : `${name}: ${result.filesRemoved} files → ${result.filesAdded} at version ${result.version}`,
        );
      }),
    );

  /** Options of the commands that delete: a retention, and a dry run unless --delete. */
  interface DeleteOptions {
    retentionHours?: number;
    delete?: boolean;
    force?: boolean;
    json?: boolean;
  }
  const deleting = (command: string, description: string, retentionProperty: string) =>
    table
      .command(command)
      .description(`${description} (a dry run unless --delete)`)
      .argument('<name>', 'table name')
      .option('--retention-hours <h>', `retention (default: the table's ${retentionProperty})`, hours)
      .option('--delete', 'delete them (default: only say what would go)')
      .option('--json', 'print as JSON');
  const retention = (opts: DeleteOptions) => ({
    dryRun: opts.delete !== true,
    ...(opts.retentionHours === undefined ? {} : { retentionHours: opts.retentionHours }),
  });
  const dryRunNote = ' would be deleted (dry run; --delete deletes them)';

  deleting('vacuum', 'files no version inside the retention needs', 'delta.deletedFileRetentionDuration')
    .option('--force', "allow a retention under the table's (readers of older versions may lose files)")
    .action((name: string, opts: DeleteOptions) =>
      onTable(name, async (delta) => {
        const result = await delta.vacuum({
          ...retention(opts),
          ...(opts.force ? { enforceRetentionDuration: false } : {}),
        });
        if (opts.json) return console.log(JSON.stringify(result));
        for (const file of result.files) console.log(file);
        console.log(`${name}: ${result.files.length} files${result.dryRun ? dryRunNote : ' deleted'}`);
      }),
    );

  deleting(
    'cleanup-log',
    'expired log files: the log cut at a checkpoint older than the log retention',
    'delta.logRetentionDuration',
  ).action((name: string, opts: DeleteOptions) =>
    onTable(name, async (delta) => {
      const result = await delta.cleanupLog(retention(opts));
      if (opts.json) return console.log(JSON.stringify(result));
      console.log(
        result.disabled
          ? `${name}: the table keeps its log (delta.enableExpiredLogCleanup = false)`
          : result.cutAt === undefined
            ? `${name}: nothing has expired`
            : `${name}: ${result.filesDeleted} log files${result.dryRun ? dryRunNote : ' deleted'}; time travel reaches back to version ${result.cutAt}`,
      );
    }),
  );
}
