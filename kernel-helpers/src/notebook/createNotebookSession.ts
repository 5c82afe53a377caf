// The notebook session: everything a tslab notebook calls, on one object whose methods can be
// destructured (`const { sql, ask, table } = lakehouse`). Nothing is opened until first use:
// the lakehouse at LAKEHOUSE_DIR, the locked-down SQL engine over it, and the assistant.
// Every helper shows its result as a rich display bundle and returns the data; every failure
// is a NotebookError that reads as what failed, on what, why and what to do. Every table version
// a helper reads is noted in the read log a scheduled run collects (tableReadLog).
import type { Answer } from '../ai/assistant/Answer.js';
import type { Assistant } from '../ai/assistant/Assistant.js';
import { chooseChart } from '../ai/chart/chooseChart.js';
import { type ChartOptions, VEGA_LITE_SCHEMA, type VegaLiteSpec } from '../ai/chart/VegaLiteSpec.js';
import { DuckDbSqlEngine } from '../engine/DuckDbSqlEngine.js';
import { Lakehouse } from '../engine/Lakehouse.js';
import type { QueryOptions, QueryResult, SqlEngine, TableInfo } from '../engine/SqlEngine.js';
import { createKafkaClient } from '../kafka/createKafkaClient.js';
import type { KafkaClient } from '../kafka/KafkaClient.js';
import { kafkaConfigFromEnv } from '../kafka/kafkaConfigFromEnv.js';
import type { Logger } from '../logger.js';
import { MemoryStreamSource } from '../stream/MemoryStreamSource.js';
import { answerBundle } from './answerBundle.js';
import { chartBundle } from './chartBundle.js';
import {
  createNotebookPipelines,
  loadMedallion,
  type MedallionFactory,
  type NotebookPipelines,
} from './createNotebookPipelines.js';
import { createNotebookProducer, type NotebookProducer } from './createNotebookProducer.js';
import { createNotebookTable, type NotebookTable } from './createNotebookTable.js';
import { createPlannerAssistant } from './createPlannerAssistant.js';
import { createScheduleClient, type ScheduleHelper } from './createScheduleClient.js';
import { createServiceAssistant } from './createServiceAssistant.js';
import type { DisplayTarget } from './DisplayTarget.js';
import { defaultDisplayTarget } from './displayBundle.js';
import { guarded } from './guarded.js';
import { KPI_METRICS, type KpiMetric } from './KPI_METRICS.js';
import type { KpiSnapshot, KpiWindow } from './KpiSnapshot.js';
import { type KpiWidgetConfig, kpiWidgetConfigSchema } from './KpiWidgetConfig.js';
import { kpiBundle } from './kpiBundle.js';
import { kpiSnapshotFromWindows } from './kpiSnapshotFromWindows.js';
import { MIME_TYPES } from './MIME_TYPES.js';
import type { MimeBundle } from './MimeBundle.js';
import { NotebookError } from './NotebookError.js';
import { type NotebookConfig, notebookConfigFromEnv } from './notebookConfigFromEnv.js';
import { querySnapshot } from './querySnapshot.js';
import type { SessionContext } from './SessionContext.js';
import { tableBundle } from './tableBundle.js';
import { createTableReadLog } from './tableReadLog.js';
import { withSummary } from './withSummary.js';

export interface NotebookSessionOptions {
  /** Environment to read settings from (default process.env at first use). */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Where outputs go (default: the tslab kernel, else standard output). */
  display?: DisplayTarget;
  logger?: Logger;
  fetch?: typeof fetch;
  now?: () => Date;
  /**
   * The assistant behind `ask` (default: the assistant service at ASSISTANT_URL when set, else the
   * embedded planner over the session's engine).
   */
  assistant?: (deps: { engine: SqlEngine; lakehouse: Lakehouse }) => Assistant | Promise<Assistant>;
  /** The medallion definitions (default: `medallionPipelines` of @rt-lakehouse/pipelines). */
  medallion?: MedallionFactory;
}

/** Time travel: every table as of an instant (ISO 8601), or the named tables at Delta versions. */
export type AsOf = string | Record<string, number>;

export interface SqlCallOptions extends QueryOptions {
  /** Read the tables as of this instant or these versions (tables not named: latest). */
  asOf?: AsOf;
  /** A heading above the table. */
  title?: string;
  /** Also draw the chart chooseChart picks for the result. */
  chart?: boolean;
  /** Show the result (default true); false only returns it. */
  display?: boolean;
}

export interface AskCallOptions {
  /** Run this SQL for the question instead of generating it (an AI cell whose SQL was reviewed). */
  sql?: string;
  maxRows?: number;
  timeoutMs?: number;
  /** Start a new conversation instead of continuing the session's. */
  newConversation?: boolean;
  display?: boolean;
}

export interface AskHelper {
  /** Answers `question` in the session's conversation (follow-ups refine the previous question). */
  (question: string, options?: AskCallOptions): Promise<Answer>;
  /** `ask` that must continue the conversation (fails when there is none yet). */
  followUp(question: string, options?: Omit<AskCallOptions, 'newConversation'>): Promise<Answer>;
  /** Forgets the conversation: the next question starts a new one. */
  reset(): void;
  /** The answers of the current conversation, oldest first. */
  history(): Answer[];
}

export interface ChartCallOptions extends ChartOptions {
  /** Draw this mark with `x` and `y` instead of letting chooseChart decide. */
  mark?: 'line' | 'bar' | 'point';
  x?: string;
  y?: string;
  color?: string;
}

export interface KpisCallOptions {
  metrics?: KpiMetric[];
  /** The range totals and sparklines cover (default 60 minutes). */
  minutes?: number;
  title?: string;
  thresholds?: KpiWidgetConfig['thresholds'];
}

export interface NotebookSession {
  /** Runs one read-only SELECT over the lakehouse tables; shows the table (and chart). */
  sql(query: string, options?: SqlCallOptions): Promise<QueryResult>;
  ask: AskHelper;
  /** Draws a result (chooseChart, or `mark`/`x`/`y`) or a Vega-Lite spec; null when no chart fits. */
  chart(input: ChartSource, options?: ChartCallOptions): VegaLiteSpec | null;
  /** Shows a live KPI widget (its configuration, with a static snapshot of the values). */
  kpis(options?: KpisCallOptions): Promise<{ config: KpiWidgetConfig; snapshot: KpiSnapshot }>;
  table(name: string): NotebookTable;
  /** Shows and returns the lakehouse tables with versions and sizes. */
  tables(): Promise<TableInfo[]>;
  /** Shows rows (an array of objects), a query result, an answer, a chart spec or any value. */
  show(value: unknown, options?: { title?: string }): void;
  producer: NotebookProducer;
  pipelines: NotebookPipelines;
  schedule: ScheduleHelper;
  /** The lakehouse and SQL engine (opened on first use) for anything the helpers do not cover. */
  open(): Promise<{ lakehouse: Lakehouse; engine: SqlEngine }>;
  /** Stops the producer and the kernel's pipelines and closes everything; the next call reopens. */
  reset(): Promise<void>;
  /** The settings in use. */
  config(): NotebookConfig;
}

/** What `chart` accepts. */
export type ChartSource =
  | VegaLiteSpec
  | Answer
  | { columns: readonly { name: string; type: string }[]; rows: readonly Record<string, unknown>[] };

const DEFAULT_KPI_METRICS = Object.keys(KPI_METRICS) as KpiMetric[];

const isSpec = (v: unknown): v is VegaLiteSpec =>
  typeof v === 'object' && v !== null && ('$schema' in v || ('mark' in v && 'encoding' in v));
const isAnswer = (v: unknown): v is Answer =>
  typeof v === 'object' && v !== null && 'question' in v && 'sql' in v && 'turnId' in v;
const isResult = (
  v: unknown,
): v is { columns: { name: string; type: string }[]; rows: Record<string, unknown>[] } =>
  typeof v === 'object' &&
  v !== null &&
  Array.isArray((v as { rows?: unknown }).rows) &&
  Array.isArray((v as { columns?: unknown }).columns);

const TEMPORAL = /^(TIMESTAMP|DATE)/i;
const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|INT|BIGINT|HUGEINT|U\w*INT|FLOAT|REAL|DOUBLE|DECIMAL|NUMERIC)/i;

/** A spec with the caller's mark and channels. */
function explicitSpec(
  input: { columns: readonly { name: string; type: string }[]; rows: readonly Record<string, unknown>[] },
  options: ChartCallOptions,
): VegaLiteSpec {
  const typeOf = (name: string) => {
    const column = input.columns.find((c) => c.name === name);
    if (!column)
      throw NotebookError.of('CHART_UNKNOWN_COLUMN', 'chart() failed', `the result has no column ${name}`, {
        hint: `Columns: ${input.columns.map((c) => c.name).join(', ')}.`,
      });
    return TEMPORAL.test(column.type) ? 'temporal' : NUMERIC.test(column.type) ? 'quantitative' : 'nominal';
  };
  const x = options.x ?? input.columns[0]?.name ?? '';
  const y = options.y ?? input.columns.find((c) => c.name !== x && NUMERIC.test(c.type))?.name ?? '';
  const xType = typeOf(x);
  const mark = options.mark ?? (xType === 'temporal' ? 'line' : 'bar');
  const values = input.rows.map((r) => {
    const v = r[y];
    return typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))
      ? { ...r, [y]: Number(v) }
      : { ...r };
  });
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: options.title ?? options.question ?? `${y} by ${x}`,
    data: { values },
    mark: { type: mark, tooltip: true },
    encoding: {
      x: { field: x, type: xType, title: x },
      y: { field: y, type: typeOf(y), title: y },
      ...(options.color
        ? { color: { field: options.color, type: typeOf(options.color), title: options.color } }
        : {}),
    },
    width: 'container',
  };
}

/** Creates a session. Cheap: nothing is read or opened until a helper needs it. */
export function createNotebookSession(options: NotebookSessionOptions = {}): NotebookSession {
  let config: NotebookConfig | undefined;
  let opening: Promise<{ lakehouse: Lakehouse; engine: DuckDbSqlEngine }> | undefined;
  let assistant: Promise<Assistant> | undefined;
  /** The assistant once it resolved (for the synchronous `ask.history()`). */
  let ready: Assistant | undefined;
  let memory: MemoryStreamSource | undefined;
  let kafka: KafkaClient | undefined;
  let quiet = false;
  let conversationId: string | undefined;
  const logger: Logger = options.logger ?? { debug() {}, info() {}, warn() {}, error() {} };

  const getConfig = () => {
    if (!config) {
      try {
        config = notebookConfigFromEnv(options.env ?? process.env, options.cwd ?? process.cwd());
      } catch (error) {
        throw NotebookError.from(error, { action: 'reading the notebook settings' });
      }
    }
    return config;
  };

  const reads = createTableReadLog(() => getConfig().tableReadsFile, logger);

  const ctx: SessionContext = {
    config: getConfig,
    recordReads: (versions) => reads.record(versions),
    open() {
      opening ??= (async () => {
        const lakehouse = await Lakehouse.open({ dir: getConfig().lakehouseDir, logger });
        try {
          const engine = await DuckDbSqlEngine.create({ lakehouse, maxRows: getConfig().maxRows, logger });
          return { lakehouse, engine };
        } catch (error) {
          lakehouse.close();
          throw error;
        }
      })();
      opening.catch(() => {
        opening = undefined;
      });
      return opening;
    },
    display(bundle: MimeBundle, displayOptions) {
      if (!quiet) (options.display ?? defaultDisplayTarget()).send(bundle, displayOptions);
    },
    memorySource() {
      // A topic name of its own per session: offsets restart at 0 in every process, and Bronze's
      // txn positions of an earlier session must not make it skip this one's records.
      memory ??= new MemoryStreamSource(`notebook-${Date.now().toString(36)}`, 3);
      return memory;
    },
    kafka() {
      kafka ??= createKafkaClient(kafkaConfigFromEnv(options.env ?? process.env), logger);
      return kafka;
    },
    fetch: options.fetch ?? ((...args) => fetch(...args)),
    logger,
    now: options.now ?? (() => new Date()),
  };

  /**
   * The assistant service when ASSISTANT_URL names one (the answers of the AI SQL cell, the LLM
   * path included; the embedded planner when it cannot be reached), else the embedded planner.
   */
  const defaultAssistant = (engine: DuckDbSqlEngine): Assistant => {
    const planner = () => createPlannerAssistant({ engine, now: ctx.now });
    const { assistantUrl, apiToken } = getConfig();
    if (!assistantUrl) return planner();
    return createServiceAssistant({
      url: assistantUrl,
      fetch: ctx.fetch,
      fallback: planner,
      ...(apiToken ? { token: apiToken } : {}),
    });
  };

  const getAssistant = () => {
    assistant ??= ctx
      .open()
      .then(({ lakehouse, engine }) =>
        options.assistant ? options.assistant({ engine, lakehouse }) : defaultAssistant(engine),
      );
    assistant.then((a) => {
      ready = a;
    });
    assistant.catch(() => {
      assistant = undefined;
    });
    return assistant;
  };

  const footnoteOf = (result: QueryResult) =>
    [
      `${Math.round(result.elapsedMs)} ms`,
      Object.entries(result.tableVersions)
        .map(([t, v]) => `${t}@v${v}`)
        .join(', '),
    ]
      .filter(Boolean)
      .join(' · ');

  const sql = (query: string, callOptions: SqlCallOptions = {}) =>
    guarded({ action: 'sql()', sql: query }, async () => {
      const { engine } = await ctx.open();
      const { title, chart: withChart, display, asOf, ...queryOptions } = callOptions;
      const result =
        asOf === undefined
          ? await engine.query(query, { countTotal: true, ...queryOptions })
          : await querySnapshot(
              (await ctx.open()).lakehouse,
              await (await ctx.open()).lakehouse.tableNames(),
              async (name, table) =>
                typeof asOf === 'string'
                  ? table.snapshot({ timestamp: asOf })
                  : table.snapshot(asOf[name] === undefined ? {} : { version: asOf[name] }),
              query,
              { maxRows: queryOptions.maxRows ?? getConfig().maxRows },
            );
      ctx.recordReads(result.tableVersions);
      if (display !== false) {
        ctx.display(tableBundle(result, { ...(title ? { title } : {}), footnote: footnoteOf(result) }));
        if (withChart) {
          const spec = chooseChart(result, title ? { title } : {});
          if (spec) ctx.display(chartBundle(spec));
        }
      }
      const shown = result.totalRows ?? `${result.rowCount}+`;
      return withSummary(result, `sql: ${shown} rows × ${result.columns.length} columns`);
    });

  async function answer(question: string, callOptions: AskCallOptions, action: string): Promise<Answer> {
    return guarded({ action, question, ...(callOptions.sql ? { sql: callOptions.sql } : {}) }, async () => {
      const a = await getAssistant();
      if (callOptions.newConversation) conversationId = undefined;
      const limits = {
        ...(callOptions.maxRows !== undefined ? { maxRows: callOptions.maxRows } : {}),
        ...(callOptions.timeoutMs !== undefined ? { timeoutMs: callOptions.timeoutMs } : {}),
        ...(conversationId ? { conversationId } : {}),
      };
      const outcome = callOptions.sql
        ? await a.sql(callOptions.sql, { ...limits, question })
        : await a.ask(question, limits);
      if (!outcome.success) {
        const e = outcome.error;
        conversationId = e.conversationId;
        const suggestions =
          e.suggestions.length > 0 ? ` Try: ${e.suggestions.map((s) => `"${s}"`).join(', ')}.` : '';
        throw NotebookError.of(e.code, `${action} could not answer`, e.reason, {
          on: `question: ${question}${e.sql ? `; query: ${e.sql}` : ''}`,
          ...(e.code === 'UNANSWERABLE'
            ? {
                hint: `Rephrase with a metric and a time range, or write the SQL with \`sql()\`.${suggestions}`,
              }
            : {}),
        });
      }
      conversationId = outcome.answer.conversationId;
      ctx.recordReads(outcome.answer.tableVersions);
      if (callOptions.display !== false)
        ctx.display(answerBundle(outcome.answer, callOptions.sql ? 'sql' : 'question'));
      const rows = outcome.answer.totalRows ?? outcome.answer.rowCount;
      return withSummary(
        outcome.answer,
        `answer: ${rows} rows${outcome.answer.chart ? ', with a chart' : ''}`,
      );
    });
  }

  const ask = ((question: string, callOptions: AskCallOptions = {}) =>
    answer(question, callOptions, 'ask()')) as AskHelper;
  ask.followUp = (question, callOptions = {}) => {
    if (!conversationId)
      return Promise.reject(
        NotebookError.of(
          'NO_CONVERSATION',
          'ask.followUp() failed',
          'there is no earlier question to follow up',
          {
            hint: 'Ask a first question with `ask("...")`.',
          },
        ),
      );
    return answer(question, callOptions, 'ask.followUp()');
  };
  ask.reset = () => {
    conversationId = undefined;
  };
  ask.history = () => (conversationId && ready ? (ready.conversation(conversationId) ?? []) : []);

  function chart(input: ChartSource, chartOptions: ChartCallOptions = {}): VegaLiteSpec | null {
    let spec: VegaLiteSpec | null;
    if (isSpec(input)) spec = input;
    else if (isAnswer(input) && !chartOptions.x && !chartOptions.mark)
      spec = input.chart ?? chooseChart(input, { question: input.question, ...chartOptions });
    else if (isResult(input)) {
      spec =
        chartOptions.x || chartOptions.y || chartOptions.mark
          ? explicitSpec(input, chartOptions)
          : chooseChart(input, chartOptions);
    } else
      throw NotebookError.of(
        'CHART_INVALID_INPUT',
        'chart() failed',
        'expected a query result, an answer or a Vega-Lite spec',
        {
          hint: 'Pass what `sql()` or `ask()` returned, or a spec object.',
        },
      );
    if (!spec) {
      if (isResult(input))
        ctx.display(
          tableBundle(input, { footnote: 'no chart fits this result (pass { mark, x, y } to choose one)' }),
        );
      return null;
    }
    ctx.display(chartBundle(spec));
    return withSummary(spec, `chart: ${spec.mark.type}, ${spec.data.values.length} points`);
  }

  const kpis = (callOptions: KpisCallOptions = {}) =>
    guarded({ action: 'kpis()', table: 'gold_kpis' }, async () => {
      const parsed = kpiWidgetConfigSchema.safeParse({
        metrics: callOptions.metrics ?? DEFAULT_KPI_METRICS,
        minutes: callOptions.minutes ?? 60,
        ...(callOptions.title !== undefined ? { title: callOptions.title } : {}),
        ...(callOptions.thresholds !== undefined ? { thresholds: callOptions.thresholds } : {}),
      });
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw NotebookError.of(
          'KPIS_INVALID',
          'kpis() failed',
          `${issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''}${issue.message}`,
          {
            hint: `Metrics: ${Object.keys(KPI_METRICS).join(', ')}; thresholds: { warn?, critical?, direction?: 'above' | 'below' }.`,
          },
        );
      }
      const config = parsed.data;
      const { lakehouse, engine } = await ctx.open();
      const now = ctx.now();
      let windows: KpiWindow[] = [];
      let version: number | null = null;
      if ((await lakehouse.tableNames()).includes('gold_kpis')) {
        const result = await engine.query(
          `SELECT * FROM gold_kpis
           WHERE window_start >= $1 OR window_start = (SELECT max(window_start) FROM gold_kpis)
           ORDER BY window_start`,
          {
            params: [new Date(now.getTime() - config.minutes * 60_000)],
            maxRows: config.minutes + 2,
          },
        );
        windows = result.rows as KpiWindow[];
        version = result.tableVersions['gold_kpis'] ?? null;
        ctx.recordReads(result.tableVersions);
      }
      const snapshot = kpiSnapshotFromWindows(windows, { minutes: config.minutes, now, version });
      ctx.display(kpiBundle(config, snapshot));
      return withSummary(
        { config, snapshot },
        `kpis: ${config.metrics.length} metrics over ${config.minutes} min`,
      );
    });

  const tables = () =>
    guarded({ action: 'tables()' }, async () => {
      const { engine } = await ctx.open();
      const infos = await engine.tables();
      ctx.display(
        tableBundle(
          {
            columns: [
              { name: 'table', type: 'VARCHAR' },
              { name: 'version', type: 'BIGINT' },
              { name: 'rows', type: 'BIGINT' },
              { name: 'files', type: 'BIGINT' },
              { name: 'size_mb', type: 'DOUBLE' },
              { name: 'columns', type: 'BIGINT' },
              { name: 'error', type: 'VARCHAR' },
            ],
            rows: infos.map((t) => ({
              table: t.name,
              version: t.version,
              rows: t.rowCount ?? null,
              files: t.numFiles,
              size_mb: Math.round(t.sizeBytes / 1e4) / 100,
              columns: t.columns.length,
              error: t.error ?? null,
            })),
          },
          {
            title: `Lakehouse tables (${getConfig().lakehouseDir})`,
            ...(infos.length === 0
              ? { footnote: 'no tables yet: seed the lakehouse or start the stream' }
              : {}),
          },
        ),
      );
      return withSummary(infos, `${infos.length} tables: ${infos.map((t) => t.name).join(', ')}`);
    });

  /** The bundle that shows `value`. */
  function bundleOf(value: unknown, showOptions: { title?: string }): MimeBundle {
    if (isAnswer(value)) return answerBundle(value);
    if (isSpec(value)) return chartBundle(value);
    if (isResult(value)) return tableBundle(value, showOptions);
    if (
      Array.isArray(value) &&
      value.every((v) => typeof v === 'object' && v !== null && !Array.isArray(v))
    ) {
      const rows = value as Record<string, unknown>[];
      const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))].map((name) => ({ name }));
      return tableBundle({ columns, rows }, showOptions);
    }
    const text = typeof value === 'string' ? value : (JSON.stringify(value, null, 2) ?? String(value));
    return { [MIME_TYPES.text]: showOptions.title ? `${showOptions.title}\n${text}` : text };
  }

  function show(value: unknown, showOptions: { title?: string } = {}): void {
    ctx.display(bundleOf(value, showOptions));
  }

  const producer = createNotebookProducer(ctx);
  const pipelines = createNotebookPipelines(ctx, async () => options.medallion ?? (await loadMedallion()));
  const schedule = createScheduleClient(ctx);

  async function reset(): Promise<void> {
    quiet = true;
    try {
      await producer.stop().catch(() => undefined);
      await pipelines.stop().catch(() => undefined);
      const a = assistant;
      assistant = undefined;
      ready = undefined;
      await (await a?.catch(() => undefined))?.close();
      const o = opening;
      opening = undefined;
      const opened = await o?.catch(() => undefined);
      await opened?.engine.close();
      opened?.lakehouse.close();
      const k = kafka;
      kafka = undefined;
      await k?.disconnect().catch(() => undefined);
      memory = undefined;
      conversationId = undefined;
      config = undefined;
    } finally {
      quiet = false;
    }
  }

  return {
    sql,
    ask,
    chart,
    kpis,
    table: (name: string) => createNotebookTable(ctx, name),
    tables,
    show,
    producer,
    pipelines,
    schedule,
    open: () => guarded({ action: 'lakehouse.open()' }, () => ctx.open()),
    reset,
    config: getConfig,
  };
}
