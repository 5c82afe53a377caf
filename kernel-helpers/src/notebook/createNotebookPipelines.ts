// `pipelines`: the medallion (Bronze → Silver → Gold) and the notebook's own pipeline
// definitions, run by PipelineRunners inside the kernel process; or, when the pipeline runner
// service answers at PIPELINES_URL, that service's status. In the embedded mode Bronze reads
// the session's in-process topic (what `producer` writes); with KAFKA_BROKERS, the Kafka topic.
import type { Lakehouse } from '../engine/Lakehouse.js';
import type { KafkaRecord } from '../kafka/KafkaRecord.js';
import type { PipelineDefinition, PipelineEnv } from '../stream/PipelineDefinition.js';
import { PipelineRunner, type PipelineStatus } from '../stream/PipelineRunner.js';
import type { StreamSource } from '../stream/StreamSource.js';
import { guarded } from './guarded.js';
import { NotebookError } from './NotebookError.js';
import type { SessionContext } from './SessionContext.js';
import { tableBundle } from './tableBundle.js';
import { withSummary } from './withSummary.js';

// biome-ignore lint/suspicious/noExplicitAny: definitions of any record type run side by side
type AnyDefinition = PipelineDefinition<any>;

/** Builds the medallion definitions (the @rt-lakehouse/pipelines package's `medallionPipelines`). */
export type MedallionFactory = (options: {
  topic?: string;
  source?: () => StreamSource<KafkaRecord>;
}) => AnyDefinition[] | Promise<AnyDefinition[]>;

/** One pipeline's status, from this kernel or from the runner service. */
export type NotebookPipelineStatus = PipelineStatus & { runsIn: 'kernel' | 'service' };

export interface NotebookPipelines {
  /**
   * Starts the medallion (or `definitions`) in this kernel; pipelines already running here are
   * left as they are. Refuses the medallion when the runner service is running it.
   */
  start(options?: { definitions?: AnyDefinition | AnyDefinition[] }): Promise<NotebookPipelineStatus[]>;
  /** Stops the named pipelines of this kernel (all when no name is given). */
  stop(...names: string[]): Promise<NotebookPipelineStatus[]>;
  /** Runs `definition` until its source has nothing more (trigger availableNow), then shows its status. */
  run(definition: AnyDefinition, options?: { timeoutMs?: number }): Promise<NotebookPipelineStatus>;
  /** Shows and returns every pipeline's status (this kernel's and the runner service's). */
  status(): Promise<NotebookPipelineStatus[]>;
  /**
   * Waits until the stream has caught up: every record produced so far is in Bronze, Silver
   * has read every Bronze version and Gold every Silver version. Shows the status.
   */
  waitUntilCaughtUp(options?: { timeoutMs?: number }): Promise<NotebookPipelineStatus[]>;
}

const MEDALLION = { bronze: 'bronze_events', silver: 'silver_events', gold: 'gold_kpis' } as const;
const PIPELINES_PACKAGE = '@rt-lakehouse/pipelines';
const SERVICE_TIMEOUT_MS = 1_000;

/**
 * The medallion definitions from @rt-lakehouse/pipelines, which itself depends on this package:
 * imported at run time so the two packages build without a cycle.
 */
export async function loadMedallion(): Promise<MedallionFactory> {
  let mod: { medallionPipelines?: MedallionFactory };
  try {
    mod = (await import(PIPELINES_PACKAGE)) as typeof mod;
  } catch (cause) {
    throw NotebookError.of(
      'PIPELINES_UNAVAILABLE',
      'pipelines.start() failed',
      `cannot load ${PIPELINES_PACKAGE}`,
      {
        cause,
      },
    );
  }
  if (typeof mod.medallionPipelines !== 'function')
    throw NotebookError.of(
      'PIPELINES_UNAVAILABLE',
      'pipelines.start() failed',
      `${PIPELINES_PACKAGE} has no medallionPipelines export`,
    );
  return mod.medallionPipelines;
}

/** A source whose stop() leaves the underlying source open (the session's topic outlives runners). */
function keptOpen<R>(source: StreamSource<R>): StreamSource<R> {
  return {
    id: source.id,
    start: (resume) => source.start(resume),
    next: (max, wait) => source.next(max, wait),
    rewind: () => source.rewind(),
    lag: () => source.lag(),
    stop: async () => {},
  };
}

async function medallionCaughtUp(lakehouse: Lakehouse): Promise<boolean> {
  const names = await lakehouse.tableNames();
  if (!Object.values(MEDALLION).every((t) => names.includes(t))) return false;
  const bronze = await (await lakehouse.table(MEDALLION.bronze)).latest();
  const silver = await (await lakehouse.table(MEDALLION.silver)).latest();
  const gold = await (await lakehouse.table(MEDALLION.gold)).latest();
  return (
    silver.txn(`silver:${MEDALLION.bronze}`)?.version === bronze.version &&
    gold.txn(`gold:${MEDALLION.silver}`)?.version === silver.version
  );
}

export function createNotebookPipelines(
  ctx: SessionContext,
  medallion: () => Promise<MedallionFactory>,
): NotebookPipelines {
  const runners = new Map<string, PipelineRunner<unknown>>();

  async function serviceStatus(): Promise<PipelineStatus[] | undefined> {
    try {
      const response = await ctx.fetch(`${ctx.config().pipelinesUrl}/status`, {
        signal: AbortSignal.timeout(SERVICE_TIMEOUT_MS),
      });
      if (!response.ok) return undefined;
      const body = (await response.json()) as { pipelines?: unknown };
      return Array.isArray(body.pipelines) ? (body.pipelines as PipelineStatus[]) : undefined;
    } catch {
      // Nothing listening: the notebook runs the pipelines itself, or none run.
      return undefined;
    }
  }

  async function env(): Promise<PipelineEnv> {
    const { lakehouse } = await ctx.open();
    return {
      lakehouse,
      logger: ctx.logger,
      ...(ctx.config().kafkaBrokers ? { kafka: ctx.kafka() } : {}),
    };
  }

  function local(): NotebookPipelineStatus[] {
    return [...runners.values()].map((r) => ({ ...r.status(), runsIn: 'kernel' as const }));
  }

  async function all(): Promise<NotebookPipelineStatus[]> {
    const remote = (await serviceStatus()) ?? [];
    return [...local(), ...remote.map((s) => ({ ...s, runsIn: 'service' as const }))];
  }

  function show(statuses: NotebookPipelineStatus[], title = 'Pipelines'): NotebookPipelineStatus[] {
    ctx.display(
      tableBundle(
        {
          columns: [
            { name: 'pipeline', type: 'VARCHAR' },
            { name: 'runs_in', type: 'VARCHAR' },
            { name: 'state', type: 'VARCHAR' },
            { name: 'batches', type: 'BIGINT' },
            { name: 'rows_in', type: 'BIGINT' },
            { name: 'rows_out', type: 'BIGINT' },
            { name: 'lag', type: 'BIGINT' },
            { name: 'freshness_ms', type: 'BIGINT' },
            { name: 'watermark', type: 'VARCHAR' },
            { name: 'last_batch_at', type: 'VARCHAR' },
            { name: 'error', type: 'VARCHAR' },
          ],
          rows: statuses.map((s) => ({
            pipeline: s.name,
            runs_in: s.runsIn,
            state: s.state,
            batches: s.totals.batches,
            rows_in: s.totals.rowsIn,
            rows_out: Object.values(s.totals.rowsOut).reduce((a, b) => a + b, 0),
            lag: s.lag ?? null,
            freshness_ms: s.lastBatch?.freshnessMs === undefined ? null : Math.round(s.lastBatch.freshnessMs),
            watermark: s.watermark ?? null,
            last_batch_at: s.lastBatch?.at ?? null,
            error: s.error ?? null,
          })),
        },
        {
          title,
          ...(statuses.length === 0
            ? { footnote: 'no pipeline runs: `pipelines.start()` runs the medallion in this kernel' }
            : {}),
        },
      ),
    );
    return withSummary(
      statuses,
      `${statuses.length} pipelines: ${statuses.map((s) => `${s.name} ${s.state}`).join(', ')}`,
    );
  }

  async function startRunners(definitions: AnyDefinition[], action: string): Promise<void> {
    const e = await env();
    for (const definition of definitions) {
      const existing = runners.get(definition.name);
      if (existing && !['stopped', 'failed'].includes(existing.status().state)) continue;
      const runner = new PipelineRunner(definition, e, { retryDelayMs: 500 });
      runners.set(definition.name, runner as PipelineRunner<unknown>);
      try {
        await runner.start();
      } catch (error) {
        throw NotebookError.from(error, { action: `${action} (pipeline ${definition.name})` });
      }
    }
  }

  async function medallionDefinitions(): Promise<AnyDefinition[]> {
    const factory = await medallion();
    const config = ctx.config();
    if (config.kafkaBrokers) return factory({ topic: config.kafkaTopic });
    const source = ctx.memorySource();
    return factory({ source: () => keptOpen(source) });
  }

  return {
    start: (options = {}) =>
      guarded({ action: 'pipelines.start()' }, async () => {
        let definitions: AnyDefinition[];
        if (options.definitions) {
          definitions = Array.isArray(options.definitions) ? options.definitions : [options.definitions];
        } else {
          const remote = await serviceStatus();
          if (remote && remote.length > 0)
            throw NotebookError.of(
              'PIPELINES_SERVICE_RUNNING',
              'pipelines.start() refused',
              `the pipeline runner service at ${ctx.config().pipelinesUrl} runs ${remote.map((p) => p.name).join(', ')}`,
            );
          definitions = await medallionDefinitions();
        }
        await startRunners(definitions, 'pipelines.start()');
        return show(local());
      }),

    stop: (...names) =>
      guarded({ action: 'pipelines.stop()' }, async () => {
        const chosen = names.length === 0 ? [...runners.keys()] : names;
        const unknown = chosen.filter((n) => !runners.has(n));
        if (unknown.length > 0)
          throw NotebookError.of(
            'PIPELINE_UNKNOWN',
            'pipelines.stop() failed',
            `no pipeline named ${unknown.join(', ')} runs in this kernel`,
            {
              hint: `Running here: ${[...runners.keys()].join(', ') || 'none'}.`,
            },
          );
        // Downstream first would strand nothing either way; upstream first stops new input sooner.
        for (const name of chosen) await runners.get(name)!.stop();
        return show(local());
      }),

    run: (definition, options = {}) =>
      guarded({ action: `pipelines.run('${definition.name}')` }, async () => {
        const drained: AnyDefinition = {
          ...definition,
          trigger: {
            kind: 'availableNow',
            ...(definition.trigger?.maxBatchRecords
              ? { maxBatchRecords: definition.trigger.maxBatchRecords }
              : {}),
          },
        };
        const existing = runners.get(definition.name);
        if (existing && !['stopped', 'failed'].includes(existing.status().state))
          throw NotebookError.of(
            'PIPELINE_RUNNING',
            `pipelines.run('${definition.name}') failed`,
            'a pipeline of that name is running',
            {
              hint: `Stop it first: \`pipelines.stop('${definition.name}')\`.`,
            },
          );
        await startRunners([drained], `pipelines.run('${definition.name}')`);
        const runner = runners.get(definition.name)!;
        const timeoutMs = options.timeoutMs ?? 600_000;
        let timer: NodeJS.Timeout | undefined;
        const finished = await Promise.race([
          runner.done().then(() => true),
          new Promise<boolean>((resolve) => {
            timer = setTimeout(() => resolve(false), timeoutMs);
          }),
        ]);
        clearTimeout(timer);
        if (!finished) {
          await runner.stop();
          throw NotebookError.of(
            'TIMEOUT',
            `pipelines.run('${definition.name}') timed out`,
            `not drained after ${timeoutMs} ms`,
          );
        }
        const status = { ...runner.status(), runsIn: 'kernel' as const };
        show([status], `Pipeline ${definition.name}`);
        if (status.state === 'failed')
          throw NotebookError.of(
            'PIPELINE_FAILED',
            `pipeline ${definition.name} failed`,
            status.error ?? 'unknown error',
          );
        return withSummary(status, `${definition.name}: ${status.state}, ${status.totals.rowsIn} rows in`);
      }),

    status: () => guarded({ action: 'pipelines.status()' }, async () => show(await all())),

    waitUntilCaughtUp: (options = {}) =>
      guarded({ action: 'pipelines.waitUntilCaughtUp()' }, async () => {
        const timeoutMs = options.timeoutMs ?? 120_000;
        const deadline = Date.now() + timeoutMs;
        const { lakehouse } = await ctx.open();
        let streak = 0;
        for (;;) {
          const statuses = local();
          const failed = statuses.find((s) => s.state === 'failed');
          if (failed)
            throw NotebookError.of(
              'PIPELINE_FAILED',
              `pipeline ${failed.name} failed`,
              failed.error ?? 'unknown error',
            );
          const bronze = runners.get('bronze');
          const inputRead =
            !bronze ||
            bronze.status().state === 'stopped' ||
            (bronze.status().state === 'idle' &&
              (ctx.config().kafkaBrokers
                ? (bronze.status().lag ?? 0) === 0
                : (await ctx.memorySource().lag()) === 0));
          const settled =
            inputRead && statuses.every((s) => s.state !== 'running' && s.state !== 'committing');
          streak = settled && (await medallionCaughtUp(lakehouse)) ? streak + 1 : 0;
          if (streak >= 2) return show(await all());
          if (Date.now() > deadline)
            throw NotebookError.of(
              'TIMEOUT',
              'pipelines.waitUntilCaughtUp() timed out',
              `the stream had not caught up after ${timeoutMs} ms`,
            );
          await new Promise((r) => setTimeout(r, 200));
        }
      }),
  };
}
