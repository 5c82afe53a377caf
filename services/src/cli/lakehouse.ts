#!/usr/bin/env node
// `lakehouse`: the command-line tool. Works on the local lakehouse folder (LAKEHOUSE_DIR,
// default ./data) without any service running.

import { spawn } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createAssistant, DuckDbSqlEngine, Lakehouse, LakehouseError } from '@rt-lakehouse/kernel-helpers';
import { replayQuarantine, seedLakehouse, TABLES } from '@rt-lakehouse/pipelines';
import { Command, InvalidArgumentError, Option } from 'commander';
import { answerJson } from '../assistant/answerJson.js';
import { createJsonLogger } from '../jsonLogger.js';
import { missingRunnerNodeFlags } from '../pipelines/runnerNodeFlags.js';
import { runStack } from '../stack/runStack.js';
import { STACK_MODES, stackConfigFromEnv } from '../stack/stackConfig.js';
import { stackStatus } from '../stack/stackStatus.js';
import { stopStack } from '../stack/stopStack.js';
import { addTableCommands } from './tableCommands.js';

const integer = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a non-negative integer`);
  return n;
};
const positive = (name: string) => (value: string) => {
  const n = Number(value);
  if (!(n > 0)) throw new InvalidArgumentError(`${name} must be a positive number`);
  return n;
};

const program = new Command('lakehouse')
  .description('RT-Lakehouse: a real-time lakehouse on Kafka, Delta Lake and DuckDB')
  .option('--dir <path>', 'lakehouse folder (default: $LAKEHOUSE_DIR or ./data)')
  .showHelpAfterError();

async function openLakehouse(): Promise<Lakehouse> {
  const dir = program.opts<{ dir?: string }>().dir;
  return Lakehouse.open(dir ? { dir } : {});
}

program
  .command('seed')
  .description('write synthetic history through the Bronze → Silver → Gold pipelines (no broker needed)')
  .option('--events <n>', 'number of events', integer('--events'), 100_000)
  .option('--days <d>', 'days of history ending now', positive('--days'), 7)
  .option('--seed <s>', 'random seed (same seed, same events)', integer('--seed'), 42)
  .option('--json', 'print the result as JSON')
  .action(async (opts: { events: number; days: number; seed: number; json?: boolean }) => {
    const lakehouse = await openLakehouse();
    let last = 0;
    const result = await seedLakehouse({
      lakehouse,
      events: opts.events,
      days: opts.days,
      seed: opts.seed,
      onProgress: ({ generated, total, silver }) => {
        if (opts.json || Date.now() - last < 1_000) return;
        last = Date.now();
        process.stderr.write(`seed: generated ${generated}/${total}, silver processed ${silver}\n`);
      },
    });
    lakehouse.close();
    if (opts.json) console.log(JSON.stringify(result));
    else
      console.log(
        `seeded ${result.events} events into ${lakehouse.dir}: bronze ${result.bronzeRows}, silver ${result.silverRows}, quarantine ${result.quarantinedRows}, gold windows ${result.goldWindows} (${(result.elapsedMs / 1000).toFixed(1)} s)`,
      );
  });

program
  .command('sql')
  .description('run a read-only SQL query over the lakehouse tables')
  .argument('<query>', 'a single SELECT statement')
  .option('--json', 'print {columns, rows} as JSON')
  .option('--max-rows <n>', 'row cap', integer('--max-rows'), 1_000)
  .action(async (query: string, opts: { json?: boolean; maxRows: number }) => {
    const lakehouse = await openLakehouse();
    const engine = await DuckDbSqlEngine.create({ lakehouse, maxRows: opts.maxRows });
    try {
      const result = await engine.query(query);
      if (opts.json) console.log(JSON.stringify({ columns: result.columns, rows: result.rows }));
      else {
        console.table(result.rows);
        console.log(
          `${result.rowCount} rows${result.truncated ? ` (capped at ${opts.maxRows})` : ''} in ${result.elapsedMs} ms`,
        );
      }
    } finally {
      await engine.close();
      lakehouse.close();
    }
  });

program
  .command('ask')
  .description('ask the lakehouse a question in English (the assistant, in process: no service needed)')
  .argument('<question>', 'the question')
  .option(
    '--then <follow-up>',
    'ask a follow-up in the same conversation (repeatable; the last answer is printed)',
    (value: string, previous: string[]) => [...previous, value],
    [] as string[],
  )
  .option('--json', "print the last turn's answer as JSON (every field of the Answer)")
  .addOption(new Option('--path <path>', 'force the planner or the LLM path').choices(['planner', 'llm']))
  .option('--max-rows <n>', 'row cap of the answer', integer('--max-rows'))
  .action(
    async (
      question: string,
      opts: { then: string[]; json?: boolean; path?: 'planner' | 'llm'; maxRows?: number },
    ) => {
      const lakehouse = await openLakehouse();
      const engine = await DuckDbSqlEngine.create({ lakehouse });
      // Logs go to standard error, so that --json output stays parseable.
      const logger = createJsonLogger({
        service: 'lakehouse',
        level: process.env['LOG_LEVEL'] ?? 'warn',
        write: (line) => process.stderr.write(`${line}\n`),
      });
      const assistant = await createAssistant({ lakehouse, engine, logger }).catch(async (e: unknown) => {
        await engine.close();
        lakehouse.close();
        throw e;
      });
      try {
        let conversationId: string | undefined;
        let last: ReturnType<typeof answerJson> | undefined;
        for (const turn of [question, ...opts.then]) {
          const result = await assistant.ask(turn, {
            ...(conversationId !== undefined ? { conversationId } : {}),
            ...(opts.path !== undefined ? { path: opts.path } : {}),
            ...(opts.maxRows !== undefined ? { maxRows: opts.maxRows } : {}),
          });
          if (!result.success) {
            const { error } = result;
            if (opts.json) console.log(JSON.stringify({ error: { ...error, message: error.reason } }));
            process.stderr.write(`lakehouse: cannot answer "${turn}": ${error.reason} (${error.code})\n`);
            if (error.suggestions.length > 0)
              process.stderr.write(`try:\n${error.suggestions.map((q) => `  ${q}`).join('\n')}\n`);
            process.exitCode = 2;
            return;
          }
          conversationId = result.answer.conversationId;
          last = answerJson(result.answer);
        }
        if (!last) return;
        if (opts.json) {
          console.log(JSON.stringify(last));
          return;
        }
        console.log(last.sql);
        console.log();
        console.table(last.rows.slice(0, 50));
        console.log(
          `${last.rowCount} rows${last.truncated ? ' (capped)' : ''}${last.rowCount > 50 ? ', first 50 shown' : ''} · ${last.path} · ${Math.round(last.timings.totalMs)} ms`,
        );
        console.log(last.explanation);
      } finally {
        await assistant.close();
        await engine.close();
        lakehouse.close();
      }
    },
  );

program
  .command('serve')
  .alias('assistant')
  .description(
    'run the assistant API in the foreground (settings: ASSISTANT_PORT, API_TOKEN, CORS_ORIGINS ...)',
  )
  .option('--port <port>', 'port (default: $ASSISTANT_PORT or 8000)', integer('--port'))
  .option('--host <host>', 'interface (default: $ASSISTANT_HOST or 127.0.0.1)')
  .action(async (opts: { port?: number; host?: string }) => {
    const dir = program.opts<{ dir?: string }>().dir;
    if (dir !== undefined) process.env['LAKEHOUSE_DIR'] = dir;
    if (opts.port !== undefined) process.env['ASSISTANT_PORT'] = String(opts.port);
    if (opts.host !== undefined) process.env['ASSISTANT_HOST'] = opts.host;
    await import('../assistant/main.js');
  });

program
  .command('tables')
  .description('list the lakehouse tables with versions, files and rows')
  .option('--json', 'print as JSON')
  .action(async (opts: { json?: boolean }) => {
    const lakehouse = await openLakehouse();
    const engine = await DuckDbSqlEngine.create({ lakehouse });
    try {
      const tables = await engine.tables();
      if (opts.json) console.log(JSON.stringify(tables));
      else
        console.table(
          tables.map((t) => ({
            table: t.name,
            version: t.version,
            files: t.numFiles,
            rows: t.rowCount,
            error: t.error ?? '',
          })),
        );
    } finally {
      engine.close();
      lakehouse.close();
    }
  });

addTableCommands(program, openLakehouse);

/** The stack's settings, with the global --dir applied. */
function stackConfig() {
  const dir = program.opts<{ dir?: string }>().dir;
  return stackConfigFromEnv(dir === undefined ? process.env : { ...process.env, LAKEHOUSE_DIR: dir });
}

program
  .command('up')
  .description(
    'start the whole stack in the foreground: pipelines, producer, assistant API, scheduler, JupyterLab (Ctrl-C stops it)',
  )
  .addOption(
    new Option('--mode <mode>', 'docker, kafka, embedded or auto (default: $LAKEHOUSE_MODE or auto)').choices(
      [...STACK_MODES],
    ),
  )
  .option('--embedded', 'the embedded mode: no broker, the producer feeds the pipelines in process')
  .option('--no-local-kafka', 'never start the local Kafka broker (embedded unless KAFKA_BROKERS is set)')
  .option('--no-jupyter', 'leave JupyterLab out')
  .option('--no-browser', 'do not open a browser')
  .action(
    async (opts: {
      mode?: string;
      embedded?: boolean;
      localKafka: boolean;
      jupyter: boolean;
      browser: boolean;
    }) => {
      const dir = program.opts<{ dir?: string }>().dir;
      const env: Record<string, string | undefined> = { ...process.env };
      if (dir !== undefined) env['LAKEHOUSE_DIR'] = dir;
      if (opts.mode !== undefined) env['LAKEHOUSE_MODE'] = opts.mode;
      if (opts.embedded) env['LAKEHOUSE_MODE'] = 'embedded';
      if (!opts.localKafka) env['LAKEHOUSE_LOCAL_KAFKA'] = '0';
      if (!opts.jupyter) env['LAKEHOUSE_JUPYTER'] = '0';
      if (!opts.browser) env['LAKEHOUSE_NO_BROWSER'] = '1';
      const config = stackConfigFromEnv(env);
      process.exitCode = await runStack({ config, interactive: process.stdout.isTTY === true });
    },
  );

program
  .command('down')
  .description('stop the stack that `lakehouse up` runs (from any terminal)')
  .action(async () => {
    process.exitCode = await stopStack({ config: stackConfig() });
  });

program
  .command('status')
  .description('the stack (mode, services, health), the pipelines (state, lag, freshness) and table versions')
  .option(
    '--pipelines-url <url>',
    "the pipeline runner status endpoint (default: the running stack's, else $PIPELINES_URL or http://127.0.0.1:8010)",
  )
  .option('--json', 'print as JSON')
  .action(async (opts: { pipelinesUrl?: string; json?: boolean }) => {
    const stack = await stackStatus(stackConfig());
    const stackPipelines = stack.services.find((s) => s.name === 'pipelines' || s.name === 'embedded')?.url;
    const pipelinesUrl =
      opts.pipelinesUrl ??
      (stackPipelines ? new URL(stackPipelines).origin : undefined) ??
      process.env['PIPELINES_URL'] ??
      'http://127.0.0.1:8010';
    const lakehouse = await openLakehouse();
    const tables: Record<string, { version: number; files: number; rows: number | undefined }> = {};
    for (const name of await lakehouse.tableNames()) {
      try {
        const s = await (await lakehouse.table(name)).latest();
        tables[name] = { version: s.version, files: s.numFiles, rows: s.numRecords() };
      } catch (error) {
        tables[name] = { version: -1, files: 0, rows: undefined };
        process.stderr.write(`${name}: ${(error as Error).message}\n`);
      }
    }
    lakehouse.close();
    let pipelines: unknown = 'not reachable';
    try {
      const response = await fetch(new URL('/status', pipelinesUrl), {
        signal: AbortSignal.timeout(2_000),
      });
      pipelines = ((await response.json()) as { pipelines: unknown }).pipelines;
    } catch {
      // The runner may not be up: table versions are still worth showing.
    }
    if (opts.json) console.log(JSON.stringify({ lakehouse: lakehouse.dir, stack, tables, pipelines }));
    else {
      console.log(`lakehouse ${lakehouse.dir}`);
      if (stack.running) {
        console.log(
          `stack: ${stack.mode} (${stack.modeReason}), lakehouse up pid ${stack.pid}, since ${stack.startedAt}${stack.kafka ? `, kafka ${stack.kafka.brokers}${stack.kafka.local ? ' (local broker)' : ''}` : ''}`,
        );
        console.table(
          stack.services.map((s) => ({
            service: s.name,
            state: s.state,
            pid: s.pid ?? '',
            health: s.health,
            restarts: s.restarts,
            url: s.url ?? '',
          })),
        );
      } else if (stack.stale)
        console.log(
          'stack: not running, but a previous `lakehouse up` did not stop cleanly: `lakehouse down` stops what it left',
        );
      else console.log('stack: not running (`./start.sh` or `lakehouse up` starts it)');
      console.table(tables);
      if (Array.isArray(pipelines)) {
        console.table(
          (
            pipelines as {
              name: string;
              state: string;
              lag?: number;
              totals: { batches: number; rowsIn: number };
              lastBatch?: { freshnessMs?: number };
            }[]
          ).map((p) => ({
            pipeline: p.name,
            state: p.state,
            lag: p.lag ?? '',
            batches: p.totals.batches,
            rowsIn: p.totals.rowsIn,
            freshnessMs: p.lastBatch?.freshnessMs ?? '',
          })),
        );
      } else console.log(`pipelines: ${String(pipelines)} (${pipelinesUrl})`);
    }
  });

const quarantine = program.command('quarantine').description('inspect and replay quarantined records');
quarantine
  .command('summary')
  .description('quarantined records per reason')
  .action(async () => {
    const lakehouse = await openLakehouse();
    const engine = await DuckDbSqlEngine.create({ lakehouse });
    try {
      const result = await engine.query(
        `SELECT split_part(reason, ':', 1) AS code, count(*) AS records, min(quarantined_at) AS first, max(quarantined_at) AS last FROM ${TABLES.quarantine} GROUP BY ALL ORDER BY records DESC`,
      );
      console.table(result.rows);
    } finally {
      engine.close();
      lakehouse.close();
    }
  });
quarantine
  .command('replay')
  .description('replay quarantined records through Silver after a fix, exactly once')
  .requiredOption('--id <replayId>', 'names the replay; running it again resumes instead of repeating')
  .option(
    '--where <sql>',
    'which rows (SQL over raw, reason, source_partition, source_offset, quarantined_at)',
    "reason NOT LIKE 'duplicate%'",
  )
  .option(
    '--fix <module>',
    'a JavaScript module whose default export (raw: string) => string | null repairs a record',
  )
  .option('--json', 'print the result as JSON')
  .action(async (opts: { id: string; where: string; fix?: string; json?: boolean }) => {
    const lakehouse = await openLakehouse();
    try {
      let fix: ((raw: string) => string | null) | undefined;
      if (opts.fix) {
        const mod = (await import(pathToFileURL(path.resolve(opts.fix)).href)) as { default?: unknown };
        if (typeof mod.default !== 'function')
          throw new LakehouseError('CLI_BAD_FIX', `${opts.fix} has no default-exported function`);
        fix = mod.default as (raw: string) => string | null;
      }
      const result = await replayQuarantine({
        lakehouse,
        replayId: opts.id,
        where: opts.where,
        ...(fix ? { fix } : {}),
      });
      if (opts.json) console.log(JSON.stringify(result));
      else
        console.log(
          `replay ${result.replayId}${result.resumed ? ' (resumed)' : ''}: ${result.selected} selected, ${result.written} written to silver, ${result.alreadyInSilver} already there, ${result.stillInvalid} still invalid, ${result.removed} removed from quarantine`,
        );
    } finally {
      lakehouse.close();
    }
  });

program
  .command('pipelines')
  .description('run the pipeline runner service in the foreground (needs KAFKA_BROKERS for bronze)')
  .action(async () => {
    const dir = program.opts<{ dir?: string }>().dir;
    if (dir !== undefined) process.env['LAKEHOUSE_DIR'] = dir;
    const missing = missingRunnerNodeFlags();
    if (missing.length === 0) {
      await import('../pipelines/main.js');
      return;
    }
    // V8 sizes its heap when it starts: run again with the runner's flags (runnerNodeFlags.ts).
    // The IPC channel lets the runner stop when this process dies, even by SIGKILL.
    const child = spawn(process.execPath, [...missing, ...process.execArgv, ...process.argv.slice(1)], {
      stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    });
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.on('exit', (c, s) => resolve([c, s])),
    );
    process.exitCode = code ?? (signal ? 1 : 0);
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  const e = error as Error & { code?: string };
  process.stderr.write(`lakehouse: ${e.message}\n`);
  process.exitCode = e instanceof LakehouseError ? 2 : 1;
}
