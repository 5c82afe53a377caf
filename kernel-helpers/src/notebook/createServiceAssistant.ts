// The notebook's `ask` through the assistant service (ASSISTANT_URL), so that a code cell gets
// the answers the AI SQL cell gets: the LLM path when one is configured, retrieval of verified
// examples, and the examples people marked correct. It speaks the service's HTTP API:
//   POST /api/query     {question, conversationId, maxRows, timeoutMs, asOf, path} → Answer | 4xx/5xx
//   POST /api/sql       {sql, question, conversationId, maxRows, timeoutMs, asOf}  → Answer | 4xx/5xx
//   POST /api/feedback  {turnId}                                                  → {example}
//   GET|POST /api/examples                                                        → {examples} | {example}
// When nothing answers at that address, a call goes to `fallback` (the embedded planner) and
// the answer says so in `fallbackReason`; an error the service answered is the service's.
import type { Answer, AskResult, Unanswerable } from '../ai/assistant/Answer.js';
import type { AskOptions, Assistant, SqlOptions, VerifiedExample } from '../ai/assistant/Assistant.js';
import { LakehouseError } from '../errors.js';
import { responseBody } from './responseBody.js';

export interface ServiceAssistantOptions {
  /** The service's base URL, e.g. http://127.0.0.1:8000. */
  url: string;
  /** Bearer token when the service requires one. */
  token?: string;
  fetch: typeof fetch;
  /** What answers when the service cannot be reached (created on first need). */
  fallback: () => Assistant | Promise<Assistant>;
}

/** The JSON an answer comes as: null where the Answer has undefined. */
type AnswerJson = Omit<Answer, 'totalRows' | 'verifiedExample'> & {
  totalRows: number | null;
  verifiedExample: { id: string; question: string } | null;
};

interface ErrorJson {
  error?: {
    code?: string;
    message?: string;
    suggestions?: string[];
    conversationId?: string;
    sql?: string;
  };
}

/** Why a request did not get an HTTP answer: the service is not there. */
class Unreachable extends Error {}

/** Statuses whose error is about the question or its SQL (the rest, e.g. 401, are about the call). */
const ABOUT_THE_QUESTION: ReadonlySet<number> = new Set([400, 422, 503, 504]);

/** Generous: an LLM answer with repairs takes a while; the service has its own limits. */
const REQUEST_TIMEOUT_MS = 180_000;

function answerFromJson(json: AnswerJson): Answer {
  const { totalRows, verifiedExample, ...rest } = json;
  return { ...rest, totalRows: totalRows ?? undefined, verifiedExample: verifiedExample ?? undefined };
}

/** An Assistant whose work the assistant service at `options.url` does. */
export function createServiceAssistant(options: ServiceAssistantOptions): Assistant {
  const base = options.url.replace(/\/+$/, '');
  /** Turns of the conversations this session had, for the synchronous `conversation()`. */
  const conversations = new Map<string, Answer[]>();
  let fallback: Promise<Assistant> | undefined;
  const local = () => {
    fallback ??= Promise.resolve(options.fallback());
    return fallback;
  };

  async function call(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: unknown }> {
    let response: Response;
    try {
      response = await options.fetch(`${base}${path}`, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (cause) {
      if ((cause as Error).name === 'TimeoutError')
        throw new LakehouseError(
          'ASSISTANT_TIMEOUT',
          `the assistant service at ${base} did not answer ${method} ${path} within ${REQUEST_TIMEOUT_MS / 1000} s`,
          { cause },
        );
      throw new Unreachable(`${(cause as Error).message}`, { cause });
    }
    const { json } = await responseBody(response);
    return { status: response.status, json };
  }

  /** A failed call as an error: the service's code and message, with its address and status. */
  function failure(status: number, json: unknown): LakehouseError {
    const error = (json as ErrorJson | undefined)?.error;
    return new LakehouseError(
      error?.code ?? 'ASSISTANT_FAILED',
      `the assistant service at ${base} answered ${status}${error?.message ? `: ${error.message}` : ''}`,
    );
  }

  /** The service's refusal as an Unanswerable, or a thrown error for a failure that is not about the question. */
  function refusal(
    status: number,
    json: unknown,
    question: string,
    conversationId: string | undefined,
  ): Unanswerable {
    const error = (json as ErrorJson | undefined)?.error;
    if (!error?.code || !ABOUT_THE_QUESTION.has(status)) throw failure(status, json);
    return {
      conversationId: error.conversationId ?? conversationId ?? '',
      question,
      code: error.code,
      reason: error.message ?? `the assistant service answered ${status}`,
      suggestions: error.suggestions ?? [],
      ...(error.sql !== undefined ? { sql: error.sql } : {}),
    };
  }

  function remember(answer: Answer): void {
    conversations.set(answer.conversationId, [...(conversations.get(answer.conversationId) ?? []), answer]);
  }

  /** Sends an answering request; falls back to the local assistant when the service is not there. */
  async function answering(
    path: '/api/query' | '/api/sql',
    body: Record<string, unknown>,
    question: string,
    conversationId: string | undefined,
    locally: (a: Assistant) => Promise<AskResult>,
  ): Promise<AskResult> {
    let reply: { status: number; json: unknown };
    try {
      reply = await call('POST', path, body);
    } catch (error) {
      if (!(error instanceof Unreachable)) throw error;
      const result = await locally(await local());
      if (!result.success) return result;
      const reason = `the assistant service at ${base} is not reachable (${error.message}): answered by the notebook's embedded planner`;
      const answer = { ...result.answer, fallbackReason: reason };
      remember(answer);
      return { success: true, answer };
    }
    if (reply.status !== 200)
      return { success: false, error: refusal(reply.status, reply.json, question, conversationId) };
    const answer = answerFromJson(reply.json as AnswerJson);
    remember(answer);
    return { success: true, answer };
  }

  const common = (o: {
    conversationId?: string;
    maxRows?: number;
    timeoutMs?: number;
    asOfVersions?: Record<string, number>;
  }) => ({
    ...(o.conversationId !== undefined ? { conversationId: o.conversationId } : {}),
    ...(o.maxRows !== undefined ? { maxRows: o.maxRows } : {}),
    ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
    ...(o.asOfVersions !== undefined ? { asOf: o.asOfVersions } : {}),
  });

  async function examplesCall<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    let reply: { status: number; json: unknown };
    try {
      reply = await call(method, path, body);
    } catch (error) {
      if (error instanceof Unreachable)
        throw new LakehouseError(
          'ASSISTANT_UNREACHABLE',
          `the assistant service at ${base} is not reachable (${error.message}); examples live in the service`,
        );
      throw error;
    }
    if (reply.status >= 300) throw failure(reply.status, reply.json);
    return reply.json as T;
  }

  return {
    ask: (question: string, o: AskOptions = {}) =>
      answering(
        '/api/query',
        { question, ...common(o), ...(o.path !== undefined ? { path: o.path } : {}) },
        question,
        o.conversationId,
        (a) => a.ask(question, o),
      ),
    sql: (sql: string, o: SqlOptions = {}) =>
      answering(
        '/api/sql',
        { sql, ...common(o), ...(o.question !== undefined ? { question: o.question } : {}) },
        o.question ?? '',
        o.conversationId,
        (a) => a.sql(sql, o),
      ),
    markCorrect: async (turnId: string) =>
      (await examplesCall<{ example: VerifiedExample }>('POST', '/api/feedback', { turnId })).example,
    addExample: async (example: { question: string; sql: string }) =>
      (await examplesCall<{ example: VerifiedExample }>('POST', '/api/examples', example)).example,
    examples: async () =>
      (await examplesCall<{ examples: VerifiedExample[] }>('GET', '/api/examples')).examples,
    conversation: (conversationId: string) => conversations.get(conversationId),
    close: async () => {
      const a = fallback;
      fallback = undefined;
      await (await a?.catch(() => undefined))?.close();
    },
  };
}
