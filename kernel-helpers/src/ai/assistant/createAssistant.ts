// The assistant: retrieve (knowledge base) → generate (a verified example, the LLM, or the
// planner) → execute (the engine's guard, row cap, time limit) → chart → explain, one turn of a
// conversation at a time. See docs/assistant.md for the whole flow and its settings.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Lakehouse } from '../../engine/Lakehouse.js';
import type { QueryOutcome, QueryResult, SqlEngine, TableInfo } from '../../engine/SqlEngine.js';
import { QueryError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { noopLogger } from '../../noopLogger.js';
import { chooseChart } from '../chart/chooseChart.js';
import type { VegaLiteSpec } from '../chart/VegaLiteSpec.js';
import type { Embedder } from '../embedding/Embedder.js';
import { LocalEmbedder } from '../embedding/LocalEmbedder.js';
import { OpenAiEmbedder } from '../embedding/OpenAiEmbedder.js';
import { KnowledgeBase, type Retrieved, type RetrievedExample } from '../knowledge/KnowledgeBase.js';
import type { SeedExample } from '../knowledge/seedExamples.js';
import type { TableDoc } from '../knowledge/TableDoc.js';
import { buildSqlPrompt } from '../llm/buildSqlPrompt.js';
import { generateSqlWithLlm, type LlmAttempt } from '../llm/generateSqlWithLlm.js';
import type { LlmClient } from '../llm/LlmClient.js';
import { OpenAiLlmClient } from '../llm/OpenAiLlmClient.js';
import { ResilientLlmClient } from '../llm/ResilientLlmClient.js';
import type { Plan } from '../planner/Plan.js';
import type { PlannedTurn, PlanResult, TableSchema } from '../planner/PlannerContext.js';
import { planQuestion } from '../planner/planQuestion.js';
import { DuckDbVectorStore } from '../vectors/DuckDbVectorStore.js';
import { QdrantVectorStore } from '../vectors/QdrantVectorStore.js';
import type { VectorStore } from '../vectors/VectorStore.js';
import { VectorStoreError } from '../vectors/VectorStoreError.js';
import type { Answer, AnswerPath, AskResult } from './Answer.js';
import type { AskOptions, Assistant, SqlOptions, VerifiedExample } from './Assistant.js';
import { AssistantError } from './AssistantError.js';
import { type AssistantConfig, assistantConfigFromEnv } from './assistantConfigFromEnv.js';
import { ConversationStore, type Turn } from './ConversationStore.js';
import { normaliseSql } from './normaliseSql.js';

export interface CreateAssistantOptions {
  lakehouse: Lakehouse;
  engine: SqlEngine;
  /** Default: OpenAiEmbedder when `config.embedding` is set, else LocalEmbedder. */
  embedder?: Embedder;
  /** Default: Qdrant when `config.qdrant` is set, else DuckDB at `config.knowledgePath`. */
  vectorStore?: VectorStore;
  /** Default: the OpenAI client (with retries and a breaker) when `config.llm` is set; null: none. */
  llm?: LlmClient | null;
  logger?: Logger;
  /** Default: assistantConfigFromEnv(). */
  config?: AssistantConfig;
  /** The clock (explanations, example dates); tests pin it. */
  now?: () => Date;
  /** The shipped examples (default SEED_EXAMPLES). */
  seedExamples?: readonly SeedExample[];
}

/** What the assistant runs on, for `/health` and logs. */
export interface AssistantStatus {
  embedder: string;
  vectorStore: string;
  llm: { model: string; endpoint: string; breaker: string | undefined } | undefined;
  knowledge: { table: number; glossary: number; example: number };
  conversations: number;
}

/** The Assistant with its knowledge base and status. */
export interface LakehouseAssistant extends Assistant {
  readonly knowledge: KnowledgeBase;
  status(): Promise<AssistantStatus>;
}

interface Generation {
  sql: string;
  path: AnswerPath;
  explanation: string;
  plan: Plan | undefined;
  /** Set when the SQL was taken verbatim from a verified example. */
  reused?: RetrievedExample;
}

/** Rank of sources when several examples hold the same SQL: people's word first. */
const SOURCE_RANK: Readonly<Record<VerifiedExample['source'], number>> = { feedback: 0, user: 1, seed: 2 };
const CONVERSATION_IN_PROMPT = 6;

/**
 * Builds the assistant over `engine` and `lakehouse`: opens (or creates) the knowledge base and
 * indexes the tables. Adapters not given are built from `config`. Closing the assistant closes
 * the vector store it opened, never the engine or the lakehouse.
 * @throws ConfigError for bad settings, LakehouseError when the knowledge base cannot open.
 */
export async function createAssistant(options: CreateAssistantOptions): Promise<LakehouseAssistant> {
  const config = options.config ?? assistantConfigFromEnv();
  const logger = options.logger ?? noopLogger;
  const now = options.now ?? (() => new Date());
  const { lakehouse, engine } = options;

  const embedder =
    options.embedder ??
    (config.embedding
      ? await OpenAiEmbedder.create({
          apiKey: config.embedding.apiKey,
          model: config.embedding.model,
          ...(config.embedding.baseURL ? { baseURL: config.embedding.baseURL } : {}),
          ...(config.embedding.dimension !== undefined ? { dimension: config.embedding.dimension } : {}),
          ...(config.llm ? { timeoutMs: config.llm.timeoutMs } : {}),
        })
      : new LocalEmbedder({ dimension: config.localEmbeddingDimension }));
  const ownsStore = options.vectorStore === undefined;
  const store = options.vectorStore ?? (await openStore(config, lakehouse, embedder.dimension, logger));
  let knowledge: KnowledgeBase;
  try {
    knowledge = await KnowledgeBase.open({
      embedder,
      store,
      lakehouse,
      examplesFile: config.examplesFile ?? path.join(lakehouse.dir, 'assistant', 'examples.json'),
      logger,
      now,
      ...(options.seedExamples ? { seedExamples: options.seedExamples } : {}),
    });
    await knowledge.syncTables(await engine.tables());
  } catch (e) {
    if (ownsStore) await store.close();
    throw e;
  }
  const llm =
    options.llm === null
      ? undefined
      : (options.llm ??
        (config.llm
          ? new ResilientLlmClient(
              new OpenAiLlmClient({
                apiKey: config.llm.apiKey,
                model: config.llm.model,
                timeoutMs: config.llm.timeoutMs,
                ...(config.llm.baseURL ? { baseURL: config.llm.baseURL } : {}),
              }),
              {
                timeoutMs: config.llm.timeoutMs,
                maxRetries: config.llm.maxRetries,
                retryBaseMs: config.llm.retryBaseMs,
                breaker: {
                  failureThreshold: config.llm.breakerFailures,
                  cooldownMs: config.llm.breakerCooldownMs,
                  onStateChange: (from, to) => logger.warn('LLM circuit breaker changed state', { from, to }),
                },
                logger,
              },
            )
          : undefined));
  logger.info('assistant ready', {
    embedder: embedder.id,
    vectorStore: store.description,
    llm: llm ? llm.description : 'none (embedded planner)',
  });
  return new AssistantImpl({ engine, knowledge, llm, store, ownsStore, config, logger, now, embedder });
}

/** The DuckDB store under the lakehouse (memory when the file is in use elsewhere), or Qdrant. */
async function openStore(
  config: AssistantConfig,
  lakehouse: Lakehouse,
  dimension: number,
  logger: Logger,
): Promise<VectorStore> {
  if (config.qdrant)
    return new QdrantVectorStore({
      url: config.qdrant.url,
      collection: config.qdrant.collection,
      dimension,
      ...(config.qdrant.apiKey ? { apiKey: config.qdrant.apiKey } : {}),
    });
  const file = config.knowledgePath ?? path.join(lakehouse.dir, 'assistant', 'knowledge.duckdb');
  try {
    return await DuckDbVectorStore.open({ dimension, ...(file === ':memory:' ? {} : { path: file }) });
  } catch (e) {
    if (!(e instanceof VectorStoreError && e.code === 'VECTORS_LOCKED')) throw e;
    logger.warn('the knowledge base file is in use by another process; using a private in-memory copy', {
      file,
      error: e.message,
    });
    return DuckDbVectorStore.open({ dimension });
  }
}

interface Deps {
  engine: SqlEngine;
  knowledge: KnowledgeBase;
  llm: LlmClient | undefined;
  store: VectorStore;
  ownsStore: boolean;
  config: AssistantConfig;
  logger: Logger;
  now: () => Date;
  embedder: Embedder;
}

class AssistantImpl implements LakehouseAssistant {
  readonly knowledge: KnowledgeBase;
  private readonly conversations: ConversationStore;
  private closed = false;

  constructor(private readonly deps: Deps) {
    this.knowledge = deps.knowledge;
    this.conversations = new ConversationStore(deps.config.maxConversations, deps.config.maxTurns);
  }

  // ---------------------------------------------------------------- ask

  async ask(question: string, options: AskOptions = {}): Promise<AskResult> {
    this.assertOpen();
    const { engine, config, knowledge, llm, logger } = this.deps;
    const started = performance.now();
    const conversationId = options.conversationId ?? randomUUID();
    const fail = failure(conversationId, typeof question === 'string' ? question : '');
    const previous = this.conversations.turns(conversationId);

    // Retrieve: the tables (refreshed), their docs, and the nearest examples and glossary entries.
    let tables: TableInfo[];
    try {
      tables = await engine.tables();
    } catch (e) {
      if (e instanceof QueryError) return fail(e.code, e.message);
      throw e;
    }
    const plannerTables: TableSchema[] = tables.map((t) => ({
      name: t.name,
      columns: t.columns.map((c) => ({ name: c.name, type: c.type })),
    }));
    const now = this.deps.now();
    if (typeof question !== 'string' || question.trim().length === 0) {
      const empty = planQuestion('', { tables: plannerTables, conversation: [] });
      return fail(
        'UNANSWERABLE',
        empty.success ? 'The question is empty.' : empty.reason,
        empty.success ? [] : empty.suggestions,
      );
    }
    await knowledge.syncTables(tables);
    const retrieved = await knowledge.retrieve(question, {
      examplesK: config.examplesK,
      tablesK: config.tablesK,
      glossaryK: config.glossaryK,
      ...(options.excludeExamples ? { excludeExamples: options.excludeExamples } : {}),
    });
    const retrievedAt = performance.now();

    // Generate: a near-identical verified example as it is, else the LLM, else the planner.
    const plannedTurns = plannedConversation(previous);
    const examples = retrieved.examples.map((e) => ({ question: e.example.question, sql: e.example.sql }));
    const planned = planQuestion(question, {
      tables: plannerTables,
      conversation: plannedTurns,
      examples,
      now,
    });
    const standsAlone =
      plannedTurns.length === 0 ||
      sameOutcome(planned, planQuestion(question, { tables: plannerTables, conversation: [], now }));
    if (options.path === 'llm' && !llm)
      return fail(
        'LLM_NOT_CONFIGURED',
        'The LLM path was asked for, but no LLM is configured (OPENAI_API_KEY / OPENAI_BASE_URL).',
      );
    const plannedGeneration: Generation | undefined = planned.success
      ? { sql: planned.sql, path: 'planner', explanation: planned.explanation, plan: planned.plan }
      : undefined;

    let generation: Generation | undefined;
    let attempts: LlmAttempt[] | undefined;
    let fallbackReason: string | undefined;
    const best = retrieved.examples[0];
    if (best && best.score >= config.verifiedReuseSimilarity && standsAlone && options.path !== 'llm') {
      generation = {
        sql: best.example.sql,
        path: 'planner',
        explanation: `Answered with the verified example “${best.example.question}”.`,
        plan:
          plannedGeneration && normaliseSql(plannedGeneration.sql) === normaliseSql(best.example.sql)
            ? plannedGeneration.plan
            : undefined,
        reused: best,
      };
    } else if (llm && options.path !== 'planner') {
      const generated = await this.generateWithLlm(llm, question, retrieved, previous, now);
      attempts = generated.attempts;
      if (generated.success) {
        generation = {
          sql: generated.sql,
          path: 'llm',
          explanation: generated.explanation ?? describeSql(generated.sql, tables),
          plan: planned.success ? planned.plan : undefined,
        };
      } else {
        if (options.path === 'llm') {
          const lastSql = [...generated.attempts].reverse().find((a) => a.sql)?.sql;
          return fail(generated.code, generated.reason, [], lastSql);
        }
        fallbackReason = `${generated.code}: ${generated.reason}`;
        logger.warn('LLM path failed; falling back to the planner', {
          code: generated.code,
          reason: generated.reason,
        });
      }
    }
    if (!generation) {
      if (!plannedGeneration) {
        const reason = planned.success ? '' : planned.reason;
        return fail(
          'UNANSWERABLE',
          fallbackReason ? `${reason} (The LLM path failed too: ${fallbackReason})` : reason,
          planned.success ? [] : planned.suggestions,
        );
      }
      generation = plannedGeneration;
    }
    let generatedAt = performance.now();

    // Execute; an LLM query that fails at run time falls back to the planner too.
    let run = await this.execute(generation.sql, tables, options);
    if (!run.success && generation.path === 'llm' && options.path !== 'llm' && plannedGeneration) {
      fallbackReason = `the LLM's query failed: ${run.error.code}: ${run.error.message}`;
      logger.warn('LLM query failed at run time; falling back to the planner', { code: run.error.code });
      generation = plannedGeneration;
      generatedAt = performance.now();
      run = await this.execute(generation.sql, tables, options);
    }
    if (!run.success) return fail(run.error.code, run.error.message, [], generation.sql);
    const executedAt = performance.now();

    const verified =
      generation.reused ?? restingExample(retrieved.examples, generation.sql, config.verifiedMatchSimilarity);
    const answer = this.answerOf({
      conversationId,
      question,
      sql: generation.sql,
      result: run.data,
      explanation: generation.explanation,
      path: generation.path,
      verified: verified?.example,
      timings: {
        retrieveMs: retrievedAt - started,
        generateMs: generatedAt - retrievedAt,
        executeMs: executedAt - generatedAt,
        totalMs: performance.now() - started,
      },
      ...(attempts ? { attempts } : {}),
      ...(fallbackReason ? { fallbackReason } : {}),
    });
    this.conversations.add(conversationId, { answer, plan: generation.plan });
    return { success: true, answer };
  }

  private async generateWithLlm(
    llm: LlmClient,
    question: string,
    retrieved: Retrieved,
    previous: readonly Turn[],
    now: Date,
  ) {
    const { config, engine, knowledge } = this.deps;
    const conversation = previous
      .slice(-CONVERSATION_IN_PROMPT)
      .map((t) => ({ question: t.answer.question, sql: t.answer.sql }))
      .filter((t) => t.question.length > 0 || t.sql.length > 0);
    const texts = [...retrieved.examples.map((e) => e.example.sql), ...conversation.map((t) => t.sql)];
    const messages = buildSqlPrompt({
      question,
      tables: promptTables(retrieved, knowledge.tableDocs(), texts),
      glossary: retrieved.glossary.map((g) => g.entry),
      examples: retrieved.examples.map((e) => ({ question: e.example.question, sql: e.example.sql })),
      conversation,
      now,
    });
    const llmSettings = config.llm;
    return generateSqlWithLlm({
      llm,
      messages,
      maxAttempts: 1 + (llmSettings?.maxRepairs ?? 2),
      temperature: llmSettings?.temperature ?? 0,
      signal: AbortSignal.timeout(llmSettings?.deadlineMs ?? 60_000),
      validate: async (sql) => {
        const checked = await engine.validate(sql);
        return checked.success
          ? { success: true }
          : { success: false, code: checked.error.code, message: checked.error.message };
      },
    });
  }

  // ---------------------------------------------------------------- sql

  async sql(sql: string, options: SqlOptions = {}): Promise<AskResult> {
    this.assertOpen();
    const { engine, config, knowledge } = this.deps;
    const started = performance.now();
    const conversationId = options.conversationId ?? randomUUID();
    const question = options.question?.trim() ?? '';
    const fail = failure(conversationId, question);
    let tables: TableInfo[];
    try {
      tables = await engine.tables();
    } catch (e) {
      if (e instanceof QueryError) return fail(e.code, e.message, [], sql);
      throw e;
    }
    if (typeof sql !== 'string' || sql.trim().length === 0) return fail('SQL_EMPTY', 'The SQL is empty.', []);
    const checkedAt = performance.now();
    const run = await this.execute(sql, tables, options);
    if (!run.success) return fail(run.error.code, run.error.message, [], sql);
    const executedAt = performance.now();
    // The turn rests on an example holding the same SQL (and, with a question, a similar one).
    let verified: VerifiedExample | undefined;
    let plan: Plan | undefined;
    if (question.length > 0) {
      await knowledge.syncTables(tables);
      const retrieved = await knowledge.retrieve(question, {
        examplesK: config.examplesK,
        tablesK: 1,
        glossaryK: 0,
      });
      verified = restingExample(retrieved.examples, sql, config.verifiedMatchSimilarity)?.example;
      const planned = planQuestion(question, {
        tables: tables.map((t) => ({
          name: t.name,
          columns: t.columns.map((c) => ({ name: c.name, type: c.type })),
        })),
        conversation: plannedConversation(this.conversations.turns(conversationId)),
        now: this.deps.now(),
      });
      if (planned.success && normaliseSql(planned.sql) === normaliseSql(sql)) plan = planned.plan;
    } else {
      const target = normaliseSql(sql);
      verified = (await knowledge.examples())
        .filter((e) => normaliseSql(e.sql) === target)
        .sort((a, b) => SOURCE_RANK[a.source] - SOURCE_RANK[b.source])[0];
    }
    const answer = this.answerOf({
      conversationId,
      question,
      sql,
      result: run.data,
      explanation: `Your SQL, run as written over ${tablesRead(sql, tables).join(', ') || 'no lakehouse table'}.`,
      path: 'planner',
      verified: verified
        ? {
            id: verified.id,
            question: verified.question,
            sql: verified.sql,
            source: verified.source,
            createdAt: verified.createdAt,
          }
        : undefined,
      timings: {
        retrieveMs: 0,
        generateMs: checkedAt - started,
        executeMs: executedAt - checkedAt,
        totalMs: performance.now() - started,
      },
    });
    this.conversations.add(conversationId, { answer, plan });
    return { success: true, answer };
  }

  // ---------------------------------------------------------------- knowledge

  async markCorrect(turnId: string): Promise<VerifiedExample> {
    this.assertOpen();
    const found = this.conversations.turn(turnId);
    if (!found)
      throw new AssistantError(
        'ASSISTANT_TURN_NOT_FOUND',
        `no turn ${JSON.stringify(turnId)}: it never existed, or the assistant restarted or forgot it`,
      );
    const { answer } = found.turn;
    if (answer.question.trim().length === 0)
      throw new AssistantError('ASSISTANT_INVALID_EXAMPLE', 'the turn has no question (SQL run without one)');
    return this.deps.knowledge.addExample({ question: answer.question, sql: answer.sql }, 'feedback');
  }

  async addExample(example: { question: string; sql: string }): Promise<VerifiedExample> {
    this.assertOpen();
    const question = typeof example?.question === 'string' ? example.question.trim() : '';
    const sql = typeof example?.sql === 'string' ? example.sql.trim() : '';
    if (question.length === 0 || sql.length === 0)
      throw new AssistantError('ASSISTANT_INVALID_EXAMPLE', 'an example needs a question and its SQL');
    const checked = await this.deps.engine.validate(sql);
    if (!checked.success) throw checked.error;
    try {
      return await this.deps.knowledge.addExample({ question, sql }, 'api');
    } catch (e) {
      if (e instanceof RangeError)
        throw new AssistantError('ASSISTANT_INVALID_EXAMPLE', e.message, { cause: e });
      throw e;
    }
  }

  async examples(): Promise<VerifiedExample[]> {
    this.assertOpen();
    return (await this.deps.knowledge.examples()).map(({ origin: _origin, ...example }) => example);
  }

  conversation(conversationId: string): Answer[] | undefined {
    if (!this.conversations.has(conversationId)) return undefined;
    return this.conversations.turns(conversationId).map((t) => t.answer);
  }

  async status(): Promise<AssistantStatus> {
    const { llm } = this.deps;
    return {
      embedder: this.deps.embedder.id,
      vectorStore: this.deps.store.description,
      llm: llm
        ? {
            model: llm.model,
            endpoint: llm.description,
            breaker: llm instanceof ResilientLlmClient ? llm.breaker.state : undefined,
          }
        : undefined,
      knowledge: await this.deps.knowledge.counts(),
      conversations: this.conversations.size,
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.deps.ownsStore) await this.deps.store.close();
  }

  // ---------------------------------------------------------------- helpers

  private assertOpen(): void {
    if (this.closed) throw new AssistantError('ASSISTANT_CLOSED', 'the assistant is closed');
  }

  /** Runs the query with the answer's row cap and time limit; counts all rows when cheap. */
  private execute(
    sql: string,
    tables: readonly TableInfo[],
    options: { maxRows?: number; timeoutMs?: number; asOfVersions?: Record<string, number> },
  ): Promise<QueryOutcome<QueryResult>> {
    const { config, engine } = this.deps;
    let rowsRead = 0;
    for (const t of tables) if (mentions(sql, t.name)) rowsRead += t.rowCount ?? Number.POSITIVE_INFINITY;
    return engine.safeQuery(sql, {
      maxRows: options.maxRows ?? config.maxRows,
      timeoutMs: options.timeoutMs ?? config.timeoutMs,
      countTotal: rowsRead <= config.countTotalMaxRows,
      ...(options.asOfVersions ? { asOfVersions: options.asOfVersions } : {}),
    });
  }

  private answerOf(input: {
    conversationId: string;
    question: string;
    sql: string;
    result: QueryResult;
    explanation: string;
    path: AnswerPath;
    verified: VerifiedExample | undefined;
    timings: Answer['timings'];
    attempts?: LlmAttempt[];
    fallbackReason?: string;
  }): Answer {
    const { result } = input;
    let chart: VegaLiteSpec | null = null;
    try {
      chart = chooseChart(
        { columns: result.columns, rows: result.rows },
        { question: input.question || input.sql },
      );
    } catch (e) {
      this.deps.logger.error('chart choice failed; answering without a chart', {
        error: (e as Error).message,
      });
    }
    const round = (ms: number) => Math.round(ms * 100) / 100;
    return {
      conversationId: input.conversationId,
      turnId: randomUUID(),
      question: input.question,
      sql: input.sql,
      columns: result.columns,
      rows: result.rows,
      rowCount: result.rowCount,
      totalRows: result.totalRows,
      truncated: result.truncated,
      chart,
      explanation: input.explanation,
      path: input.path,
      verifiedExample: input.verified
        ? { id: input.verified.id, question: input.verified.question }
        : undefined,
      tableVersions: result.tableVersions,
      timings: {
        retrieveMs: round(input.timings.retrieveMs),
        generateMs: round(input.timings.generateMs),
        executeMs: round(input.timings.executeMs),
        totalMs: round(input.timings.totalMs),
      },
      ...(input.attempts ? { attempts: input.attempts } : {}),
      ...(input.fallbackReason ? { fallbackReason: input.fallbackReason } : {}),
    };
  }
}

function failure(conversationId: string, question: string) {
  return (code: string, reason: string, suggestions: string[] = [], sql?: string): AskResult => ({
    success: false,
    error: { conversationId, question, code, reason, suggestions, ...(sql ? { sql } : {}) },
  });
}

/** The planned turns follow-ups may refine: none when the last turn has no plan (its SQL came from elsewhere). */
function plannedConversation(turns: readonly Turn[]): PlannedTurn[] {
  const last = turns[turns.length - 1];
  if (!last?.plan) return [];
  return turns.flatMap((t) => (t.plan ? [{ question: t.answer.question, plan: t.plan }] : []));
}

function sameOutcome(a: PlanResult, b: PlanResult): boolean {
  if (a.success !== b.success) return false;
  return !a.success || normaliseSql(a.sql) === normaliseSql((b as { sql: string }).sql);
}

/**
 * The example an answer with `sql` rests on: among the retrieved examples at least `minScore`
 * similar to the question, the most similar whose SQL is the same query (normaliseSql); ties go
 * to feedback, then user, then seed examples.
 */
export function restingExample(
  examples: readonly RetrievedExample[],
  sql: string,
  minScore: number,
): RetrievedExample | undefined {
  const target = normaliseSql(sql);
  return examples
    .filter((e) => e.score >= minScore && normaliseSql(e.example.sql) === target)
    .sort((a, b) => b.score - a.score || SOURCE_RANK[a.example.source] - SOURCE_RANK[b.example.source])[0];
}

/** The prompt's tables: those retrieved, plus any an example or earlier turn reads. */
function promptTables(
  retrieved: Retrieved,
  all: readonly TableDoc[],
  sqlTexts: readonly string[],
): TableDoc[] {
  const chosen = new Map(retrieved.tables.map((t) => [t.doc.name, t.doc]));
  for (const doc of all)
    if (!chosen.has(doc.name) && sqlTexts.some((s) => mentions(s, doc.name))) chosen.set(doc.name, doc);
  return [...chosen.values()];
}

function mentions(sql: string, table: string): boolean {
  return new RegExp(`(^|[^A-Za-z0-9_])${table}([^A-Za-z0-9_]|$)`, 'i').test(sql);
}

function tablesRead(sql: string, tables: readonly TableInfo[]): string[] {
  return tables.filter((t) => mentions(sql, t.name)).map((t) => t.name);
}

/** A one-line explanation of an LLM query that came without one. */
function describeSql(sql: string, tables: readonly TableInfo[]): string {
  const read = tablesRead(sql, tables);
  return `Query written by the LLM over ${read.length > 0 ? read.join(', ') : 'the lakehouse'}.`;
}

/** Why `asOf` cannot be honoured (the engine reads current snapshots only), or undefined. */
