// A small planner-backed Assistant for the API tests: plans with the embedded planner, runs
// through the real SQL engine, keeps conversations and examples in memory. It stands in for
// createAssistant where a test needs to control the assistant's behaviour.
import { randomUUID } from 'node:crypto';
import {
  type Answer,
  type AskResult,
  type Assistant,
  chooseChart,
  LakehouseError,
  type PlannedTurn,
  planQuestion,
  type SqlEngine,
  type VerifiedExample,
} from '@rt-lakehouse/kernel-helpers';

export function createFakeAssistant(engine: SqlEngine): Assistant & { closed: boolean } {
  const conversations = new Map<string, { answers: Answer[]; planned: PlannedTurn[] }>();
  const turns = new Map<string, Answer>();
  const examples: VerifiedExample[] = [];
  const fake = {
    closed: false,
    async ask(question: string, options: Parameters<Assistant['ask']>[1] = {}): Promise<AskResult> {
      const started = performance.now();
      const conversationId = options.conversationId ?? randomUUID();
      const conversation = conversations.get(conversationId) ?? { answers: [], planned: [] };
      const tables = await engine.tables();
      const plan = planQuestion(question, { tables, conversation: conversation.planned });
      if (!plan.success)
        return {
          success: false,
          error: {
            conversationId,
            question,
            code: 'UNANSWERABLE',
            reason: plan.reason,
            suggestions: plan.suggestions,
          },
        };
      const generated = performance.now();
      const run = await engine.safeQuery(plan.sql, {
        ...(options.maxRows !== undefined ? { maxRows: options.maxRows } : {}),
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      });
      if (!run.success)
        return {
          success: false,
          error: {
            conversationId,
            question,
            code: run.error.code,
            reason: run.error.message,
            suggestions: [],
            sql: plan.sql,
          },
        };
      const answer = answerOf(
        conversationId,
        question,
        plan.sql,
        plan.explanation,
        run.data,
        started,
        generated,
      );
      conversation.planned.push({ question, plan: plan.plan });
      conversation.answers.push(answer);
      conversations.set(conversationId, conversation);
      turns.set(answer.turnId, answer);
      return { success: true, answer };
    },
    async sql(sql: string, options: Parameters<Assistant['sql']>[1] = {}): Promise<AskResult> {
      const started = performance.now();
      const conversationId = options.conversationId ?? randomUUID();
      const question = options.question ?? '';
      const run = await engine.safeQuery(sql, {
        ...(options.maxRows !== undefined ? { maxRows: options.maxRows } : {}),
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      });
      if (!run.success)
        return {
          success: false,
          error: {
            conversationId,
            question,
            code: run.error.code,
            reason: run.error.message,
            suggestions: [],
            sql,
          },
        };
      const answer = answerOf(conversationId, question, sql, 'Your SQL.', run.data, started, started);
      turns.set(answer.turnId, answer);
      return { success: true, answer };
    },
    async markCorrect(turnId: string): Promise<VerifiedExample> {
      const turn = turns.get(turnId);
      if (!turn) throw new LakehouseError('ASSISTANT_TURN_NOT_FOUND', `no turn ${turnId}`);
      const example: VerifiedExample = {
        id: randomUUID(),
        question: turn.question,
        sql: turn.sql,
        source: 'feedback',
        createdAt: new Date().toISOString(),
      };
      examples.push(example);
      return example;
    },
    async addExample(example: { question: string; sql: string }): Promise<VerifiedExample> {
      const checked = await engine.validate(example.sql);
      if (!checked.success) throw checked.error;
      const stored: VerifiedExample = {
        id: randomUUID(),
        ...example,
        source: 'user',
        createdAt: new Date().toISOString(),
      };
      examples.push(stored);
      return stored;
    },
    async examples() {
      return [...examples];
    },
    conversation(conversationId: string) {
      return conversations.get(conversationId)?.answers;
    },
    async close() {
      fake.closed = true;
    },
  };
  return fake;
}

function answerOf(
  conversationId: string,
  question: string,
  sql: string,
  explanation: string,
  result: Awaited<ReturnType<SqlEngine['query']>>,
  started: number,
  generated: number,
): Answer {
  const total = performance.now() - started;
  return {
    conversationId,
    turnId: randomUUID(),
    question,
    sql,
    columns: result.columns,
    rows: result.rows,
    rowCount: result.rowCount,
    totalRows: result.totalRows,
    truncated: result.truncated,
    chart: chooseChart(result, { question }),
    explanation,
    path: 'planner',
    verifiedExample: undefined,
    tableVersions: result.tableVersions,
    timings: { retrieveMs: 0, generateMs: generated - started, executeMs: result.elapsedMs, totalMs: total },
  };
}
