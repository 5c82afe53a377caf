// The LLM path's loop: ask, extract the SQL, validate it against the engine, and on an error send
// the error back and ask for a repair — up to `maxAttempts` replies. LLM failures (timeouts,
// HTTP errors, an open breaker) end the loop with their code; the caller falls back.
import { buildRepairMessages } from './buildSqlPrompt.js';
import { extractSql } from './extractSql.js';
import type { ChatMessage, LlmClient } from './LlmClient.js';
import { LlmError } from './LlmError.js';

export type SqlCheck = { success: true } | { success: false; code: string; message: string };

export interface GenerateSqlOptions {
  llm: LlmClient;
  messages: readonly ChatMessage[];
  /** Checks a candidate (the engine's validate: guard, parse, bind). */
  validate: (sql: string) => Promise<SqlCheck>;
  /** Replies asked for at most: the first and the repairs (default 3). */
  maxAttempts?: number;
  signal?: AbortSignal;
  temperature?: number;
}

export interface LlmAttempt {
  sql: string;
  error?: string;
}

export type GenerateSqlResult =
  | { success: true; sql: string; explanation: string | undefined; attempts: LlmAttempt[]; model: string }
  | { success: false; code: string; reason: string; attempts: LlmAttempt[] };

/** Runs the loop. Never throws for LLM or validation failures: they come back as results. */
export async function generateSqlWithLlm(options: GenerateSqlOptions): Promise<GenerateSqlResult> {
  const maxAttempts = options.maxAttempts ?? 3;
  const attempts: LlmAttempt[] = [];
  let messages = [...options.messages];
  for (let i = 0; i < maxAttempts; i++) {
    let content: string;
    let model: string;
    try {
      const reply = await options.llm.chat({
        messages,
        temperature: options.temperature ?? 0,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      content = reply.content;
      model = reply.model;
    } catch (e) {
      const error =
        e instanceof LlmError ? e : new LlmError('LLM_FAILED', (e as Error).message, { cause: e });
      return { success: false, code: error.code, reason: error.message, attempts };
    }
    const extracted = extractSql(content);
    if (!extracted.success) {
      if (extracted.code === 'LLM_CANNOT_ANSWER')
        return {
          success: false,
          code: extracted.code,
          reason: `the model cannot answer: ${extracted.reason}`,
          attempts,
        };
      attempts.push({ sql: '', error: extracted.reason });
      messages = buildRepairMessages(messages, content, { error: extracted.reason });
      continue;
    }
    const check = await options.validate(extracted.sql);
    if (check.success) {
      attempts.push({ sql: extracted.sql });
      return { success: true, sql: extracted.sql, explanation: extracted.explanation, attempts, model };
    }
    const error = `${check.code}: ${check.message}`;
    attempts.push({ sql: extracted.sql, error });
    messages = buildRepairMessages(messages, content, { sql: extracted.sql, error });
  }
  const last = attempts[attempts.length - 1];
  return {
    success: false,
    code: 'LLM_INVALID_SQL',
    reason: `no valid SQL after ${attempts.length} ${attempts.length === 1 ? 'reply' : 'replies'}${last?.error ? `; last error: ${last.error}` : ''}`,
    attempts,
  };
}
