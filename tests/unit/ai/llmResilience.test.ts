// The circuit breaker's state machine and ResilientLlmClient's time limits, retries and backoff,
// over an in-memory LlmClient whose answers each test scripts.
import {
  type ChatReply,
  type ChatRequest,
  CircuitBreaker,
  generateSqlWithLlm,
  type LlmClient,
  LlmError,
  ResilientLlmClient,
} from '@rt-lakehouse/kernel-helpers';
import { describe, expect, it } from 'vitest';

describe('CircuitBreaker', () => {
  it('opens after K consecutive failures, half-opens after the cool-down, closes on a good trial', () => {
    let now = 0;
    const changes: string[] = [];
    const breaker = new CircuitBreaker({
      failureThreshold: 3,
      cooldownMs: 1_000,
      now: () => now,
      onStateChange: (from, to) => changes.push(`${from}→${to}`),
    });
    breaker.recordFailure();
    breaker.recordFailure();
    breaker.recordSuccess();
    breaker.recordFailure();
    breaker.recordFailure();
    expect(breaker.state).toBe('closed');
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
    expect(breaker.acquire()).toEqual({ allowed: false, retryInMs: 1_000 });
    now = 999;
    expect(breaker.acquire()).toEqual({ allowed: false, retryInMs: 1 });
    now = 1_000;
    expect(breaker.acquire()).toEqual({ allowed: true });
    expect(breaker.state).toBe('half_open');
    expect(breaker.acquire()).toEqual({ allowed: false, retryInMs: 0 });
    breaker.recordSuccess();
    expect(breaker.state).toBe('closed');
    expect(changes).toEqual(['closed→open', 'open→half_open', 'half_open→closed']);
  });

  it('opens again when the half-open trial fails', () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 10, now: () => now });
    breaker.recordFailure();
    now = 10;
    expect(breaker.acquire().allowed).toBe(true);
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
    expect(breaker.acquire()).toEqual({ allowed: false, retryInMs: 10 });
  });
});

type Step = ChatReply | LlmError | 'hang';

/** A client answering from `steps` in order, recording what it was asked. */
function scripted(steps: Step[]): LlmClient & { calls: ChatRequest[] } {
  const calls: ChatRequest[] = [];
  return {
    model: 'stub',
    description: 'stub',
    calls,
    chat(request) {
      calls.push(request);
      const step = steps.shift() ?? new LlmError('LLM_SERVER_ERROR', 'out of script', { retriable: true });
      if (step === 'hang')
        return new Promise((_, reject) =>
          request.signal?.addEventListener('abort', () => reject(new LlmError('LLM_ABORTED', 'aborted'))),
        );
      return step instanceof LlmError ? Promise.reject(step) : Promise.resolve(step);
    },
  };
}

const ok = (content: string): ChatReply => ({ content, model: 'stub' });
const serverError = () => new LlmError('LLM_SERVER_ERROR', '500', { retriable: true, status: 500 });

describe('ResilientLlmClient', () => {
  const ask = { messages: [{ role: 'user' as const, content: 'hi' }] };

  it('retries retriable failures with growing pauses, honouring Retry-After', async () => {
    const inner = scripted([
      serverError(),
      new LlmError('LLM_RATE_LIMITED', '429', { retriable: true, status: 429, retryAfterMs: 30 }),
      ok('done'),
    ]);
    const client = new ResilientLlmClient(inner, { maxRetries: 2, retryBaseMs: 20, random: () => 1 });
    const started = performance.now();
    expect((await client.chat(ask)).content).toBe('done');
    expect(inner.calls).toHaveLength(3);
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('does not retry what a retry cannot cure, and gives up after maxRetries', async () => {
    const auth = scripted([new LlmError('LLM_AUTH', '401', { status: 401 }), ok('never')]);
    await expect(new ResilientLlmClient(auth, { retryBaseMs: 1 }).chat(ask)).rejects.toMatchObject({
      code: 'LLM_AUTH',
    });
    expect(auth.calls).toHaveLength(1);
    const down = scripted([serverError(), serverError(), serverError(), ok('late')]);
    await expect(
      new ResilientLlmClient(down, { maxRetries: 2, retryBaseMs: 1 }).chat(ask),
    ).rejects.toMatchObject({
      code: 'LLM_SERVER_ERROR',
    });
    expect(down.calls).toHaveLength(3);
  });

  it('gives each attempt its own time limit', async () => {
    const inner = scripted(['hang', ok('second')]);
    const client = new ResilientLlmClient(inner, { timeoutMs: 30, maxRetries: 1, retryBaseMs: 1 });
    expect((await client.chat(ask)).content).toBe('second');
    const slow = scripted(['hang']);
    await expect(
      new ResilientLlmClient(slow, { timeoutMs: 30, maxRetries: 0 }).chat(ask),
    ).rejects.toMatchObject({
      code: 'LLM_TIMEOUT',
      message: 'the LLM did not answer within 30 ms',
    });
  });

  it('stops calling while the breaker is open', async () => {
    let now = 0;
    const inner = scripted([serverError(), serverError(), ok('after cool-down')]);
    const client = new ResilientLlmClient(inner, {
      maxRetries: 5,
      retryBaseMs: 1,
      breaker: { failureThreshold: 2, cooldownMs: 1_000, now: () => now },
    });
    await expect(client.chat(ask)).rejects.toMatchObject({ code: 'LLM_SERVER_ERROR' });
    expect(inner.calls).toHaveLength(2);
    await expect(client.chat(ask)).rejects.toMatchObject({ code: 'LLM_CIRCUIT_OPEN' });
    expect(inner.calls).toHaveLength(2);
    now = 1_000;
    expect((await client.chat(ask)).content).toBe('after cool-down');
    expect(client.breaker.state).toBe('closed');
  });

  it('ends at once when the caller cancels', async () => {
    const inner = scripted(['hang']);
    const client = new ResilientLlmClient(inner, { timeoutMs: 10_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 10);
    await expect(client.chat({ ...ask, signal: controller.signal })).rejects.toMatchObject({
      code: 'LLM_ABORTED',
    });
    expect(client.breaker.consecutiveFailures).toBe(0);
  });
});

describe('generateSqlWithLlm', () => {
  const messages = [{ role: 'user' as const, content: 'revenue?' }];
  const validate = async (sql: string) =>
    sql.includes('nope')
      ? { success: false as const, code: 'SQL_BIND_ERROR', message: 'no column nope' }
      : { success: true as const };

  it('repairs from the validation error and reports every attempt', async () => {
    const llm = scripted([
      ok('```sql\nSELECT nope\n```'),
      ok('no idea'),
      ok('```sql\nSELECT 1\n```\nExplanation: one'),
    ]);
    const result = await generateSqlWithLlm({ llm, messages, validate, maxAttempts: 3 });
    expect(result).toEqual({
      success: true,
      sql: 'SELECT 1',
      explanation: 'one',
      model: 'stub',
      attempts: [
        { sql: 'SELECT nope', error: 'SQL_BIND_ERROR: no column nope' },
        { sql: '', error: 'the reply holds no SQL query' },
        { sql: 'SELECT 1' },
      ],
    });
    expect(llm.calls[1]!.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(llm.calls[2]!.messages).toHaveLength(5);
  });

  it('ends on LLM errors, refusals and exhausted repairs', async () => {
    expect(await generateSqlWithLlm({ llm: scripted([serverError()]), messages, validate })).toMatchObject({
      success: false,
      code: 'LLM_SERVER_ERROR',
    });
    expect(
      await generateSqlWithLlm({ llm: scripted([ok('CANNOT_ANSWER: no such data')]), messages, validate }),
    ).toMatchObject({
      success: false,
      code: 'LLM_CANNOT_ANSWER',
    });
    const stubborn = scripted([ok('SELECT nope'), ok('SELECT nope')]);
    expect(await generateSqlWithLlm({ llm: stubborn, messages, validate, maxAttempts: 2 })).toMatchObject({
      success: false,
      code: 'LLM_INVALID_SQL',
      reason: 'no valid SQL after 2 replies; last error: SQL_BIND_ERROR: no column nope',
    });
  });
});
