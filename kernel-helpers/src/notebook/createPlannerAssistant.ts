// A small Assistant over the embedded planner, the SQL engine and chart choice: what the
// notebook's `ask` uses until the full assistant (retrieval, LLM path, knowledge base) is wired
// in through the session's `assistant` option. Conversations and examples live in memory.
import { randomUUID } from 'node:crypto';
import type { Answer, AskResult } from '../ai/assistant/Answer.js';
import type { AskOptions, Assistant, SqlOptions, VerifiedExample } from '../ai/assistant/Assistant.js';
import { chooseChart } from '../ai/chart/chooseChart.js';
import type { PlannedTurn } from '../ai/planner/PlannerContext.js';
import { planQuestion } from '../ai/planner/planQuestion.js';
import type { QueryResult, SqlEngine } from '../engine/SqlEngine.js';
import { QueryError } from '../errors.js';

interface Conversation {
  answers: Answer[];
  planned: PlannedTurn[];
}

/**
 * An Assistant answering with `planQuestion` over `engine.tables()`, running the SQL on `engine`
 * and choosing a chart with `chooseChart`. Never throws for a bad question or query: those come
 * back as `{ success: false }` with the engine's or planner's code.
 */
export function createPlannerAssistant(deps: { engine: SqlEngine; now?: () => Date }): Assistant {
  const conversations = new Map<string, Conversation>();
  const examples: VerifiedExample[] = [];
  const now = deps.now ?? (() => new Date());

  function conversationOf(id: string | undefined): [string, Conversation] {
    const key = id ?? randomUUID();
    let c = conversations.get(key);
    if (!c) {
      c = { answers: [], planned: [] };
      conversations.set(key, c);
    }
    return [key, c];
  }

  function answerOf(
    conversationId: string,
    question: string,
    sql: string,
    explanation: string,
    result: QueryResult,
    timings: { generateMs: number; started: number },
  ): Answer {
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
      timings: {
        retrieveMs: 0,
        generateMs: timings.generateMs,
        executeMs: result.elapsedMs,
        totalMs: performance.now() - timings.started,
      },
    };
  }

  async function run(
    sql: string,
    options: { maxRows?: number; timeoutMs?: number },
  ): Promise<{ ok: true; result: QueryResult } | { ok: false; error: QueryError }> {
    const outcome = await deps.engine.safeQuery(sql, {
      ...(options.maxRows !== undefined ? { maxRows: options.maxRows } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      countTotal: true,
    });
    return outcome.success ? { ok: true, result: outcome.data } : { ok: false, error: outcome.error };
  }

  return {
    async ask(question: string, options: AskOptions = {}): Promise<AskResult> {
      const started = performance.now();
      const [conversationId, conversation] = conversationOf(options.conversationId);
      const tables = await deps.engine.tables();
      const planned = planQuestion(question, { tables, conversation: conversation.planned, now: now() });
      const generateMs = performance.now() - started;
      if (!planned.success) {
        return {
          success: false,
          error: {
            conversationId,
            question,
            code: 'UNANSWERABLE',
            reason: planned.reason,
            suggestions: planned.suggestions,
          },
        };
      }
      const ran = await run(planned.sql, options);
      if (!ran.ok) {
        return {
          success: false,
          error: {
            conversationId,
            question,
            code: ran.error.code,
            reason: ran.error.message,
            suggestions: [],
            sql: planned.sql,
          },
        };
      }
      const answer = answerOf(conversationId, question, planned.sql, planned.explanation, ran.result, {
        generateMs,
        started,
      });
      conversation.answers.push(answer);
      conversation.planned.push({ question, plan: planned.plan });
      return { success: true, answer };
    },

    async sql(sql: string, options: SqlOptions = {}): Promise<AskResult> {
      const started = performance.now();
      const [conversationId, conversation] = conversationOf(options.conversationId);
      const question = options.question ?? sql;
      const ran = await run(sql, options);
      if (!ran.ok) {
        return {
          success: false,
          error: {
            conversationId,
            question,
            code: ran.error.code,
            reason: ran.error.message,
            suggestions: [],
            sql,
          },
        };
      }
      const answer = answerOf(conversationId, question, sql, 'SQL as written.', ran.result, {
        generateMs: 0,
        started,
      });
      conversation.answers.push(answer);
      return { success: true, answer };
    },

    async markCorrect(turnId: string): Promise<VerifiedExample> {
      for (const c of conversations.values()) {
        const answer = c.answers.find((a) => a.turnId === turnId);
        if (answer) return this.addExample({ question: answer.question, sql: answer.sql });
      }
      throw new QueryError('UNKNOWN_TURN', `no answer with turn id ${turnId} in this session`);
    },

    async addExample(example: { question: string; sql: string }): Promise<VerifiedExample> {
      const added: VerifiedExample = {
        id: randomUUID(),
        question: example.question,
        sql: example.sql,
        source: 'user',
        createdAt: now().toISOString(),
      };
      examples.push(added);
      return added;
    },

    async examples(): Promise<VerifiedExample[]> {
      return [...examples];
    },

    conversation(conversationId: string): Answer[] | undefined {
      return conversations.get(conversationId)?.answers.slice();
    },

    async close(): Promise<void> {
      conversations.clear();
    },
  };
}
