// Time limits, retries with exponential backoff and a circuit breaker around any LlmClient.
// Each attempt gets its own time limit; retriable failures (timeouts, 429, 5xx, network) are
// retried after a jittered, growing pause (or the server's Retry-After); the breaker counts
// failed attempts and, while open, fails calls at once with LLM_CIRCUIT_OPEN.
import type { Logger } from '../../logger.js';
import { noopLogger } from '../../noopLogger.js';
import { CircuitBreaker, type CircuitBreakerOptions } from './CircuitBreaker.js';
import type { ChatReply, ChatRequest, LlmClient } from './LlmClient.js';
import { LlmError } from './LlmError.js';

export interface ResilienceOptions {
  /** Time limit of one attempt, in ms (default 30,000). */
  timeoutMs?: number;
  /** Retries after the first attempt (default 2). */
  maxRetries?: number;
  /** First pause before a retry, in ms (default 500); doubles each retry. */
  retryBaseMs?: number;
  /** Longest pause, in ms (default 8,000); also caps Retry-After. */
  retryMaxMs?: number;
  breaker?: CircuitBreaker | CircuitBreakerOptions;
  logger?: Logger;
  /** Random source for jitter (tests pin it). */
  random?: () => number;
}

/** Failures that say the service is unhealthy (others are about the request or the caller). */
const BREAKER_CODES = new Set([
  'LLM_TIMEOUT',
  'LLM_RATE_LIMITED',
  'LLM_SERVER_ERROR',
  'LLM_NETWORK',
  'LLM_AUTH',
]);

export class ResilientLlmClient implements LlmClient {
  readonly model: string;
  readonly description: string;
  readonly breaker: CircuitBreaker;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private readonly logger: Logger;
  private readonly random: () => number;

  constructor(
    private readonly inner: LlmClient,
    options: ResilienceOptions = {},
  ) {
    this.model = inner.model;
    this.description = inner.description;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxRetries = options.maxRetries ?? 2;
    this.retryBaseMs = options.retryBaseMs ?? 500;
    this.retryMaxMs = options.retryMaxMs ?? 8_000;
    this.breaker =
      options.breaker instanceof CircuitBreaker ? options.breaker : new CircuitBreaker(options.breaker);
    this.logger = options.logger ?? noopLogger;
    this.random = options.random ?? Math.random;
  }

  /** @throws LlmError: the last attempt's error, LLM_CIRCUIT_OPEN, or LLM_ABORTED. */
  async chat(request: ChatRequest): Promise<ChatReply> {
    for (let attempt = 0; ; attempt++) {
      if (request.signal?.aborted) throw abortedError(request.signal);
      const permit = this.breaker.acquire();
      if (!permit.allowed)
        throw new LlmError(
          'LLM_CIRCUIT_OPEN',
          `the LLM circuit breaker is open after repeated failures; calls resume in ${Math.ceil(permit.retryInMs / 1000)} s`,
        );
      let error: LlmError;
      try {
        const reply = await this.attempt(request);
        this.breaker.recordSuccess();
        return reply;
      } catch (e) {
        error = e instanceof LlmError ? e : new LlmError('LLM_FAILED', (e as Error).message, { cause: e });
      }
      if (BREAKER_CODES.has(error.code)) this.breaker.recordFailure();
      else this.breaker.recordNeutral();
      if (!error.retriable || attempt >= this.maxRetries || this.breaker.state === 'open') throw error;
      const pause = this.pause(attempt, error.retryAfterMs);
      this.logger.warn('LLM request failed; retrying', {
        code: error.code,
        attempt: attempt + 1,
        retryInMs: pause,
        model: this.model,
      });
      await sleep(pause, request.signal);
    }
  }

  /** One attempt under its own time limit (and the caller's signal). */
  private async attempt(request: ChatRequest): Promise<ChatReply> {
    const timeoutMs = request.timeoutMs ?? this.timeoutMs;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onAbort = () => controller.abort();
    request.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await this.inner.chat({ ...request, timeoutMs, signal: controller.signal });
    } catch (e) {
      if (timedOut)
        throw new LlmError('LLM_TIMEOUT', `the LLM did not answer within ${timeoutMs} ms`, {
          cause: e,
          retriable: true,
        });
      if (request.signal?.aborted) throw abortedError(request.signal);
      throw e;
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Exponential backoff with jitter (50–100 % of the step), or the server's Retry-After. */
  private pause(attempt: number, retryAfterMs: number | undefined): number {
    if (retryAfterMs !== undefined) return Math.min(this.retryMaxMs, retryAfterMs);
    const step = Math.min(this.retryMaxMs, this.retryBaseMs * 2 ** attempt);
    return Math.round(step * (0.5 + this.random() * 0.5));
  }
}

function abortedError(signal: AbortSignal): LlmError {
  const reason = signal.reason as { name?: string } | undefined;
  return reason?.name === 'TimeoutError'
    ? new LlmError('LLM_TIMEOUT', 'the LLM path ran out of its time budget', { cause: signal.reason })
    : new LlmError('LLM_ABORTED', 'the LLM request was cancelled', { cause: signal.reason });
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortedError(signal));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortedError(signal!));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
