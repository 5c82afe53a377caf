// The OpenAI adapter of LlmClient (the `openai` package, chat completions): OpenAI itself, or any
// server speaking the protocol through `baseURL` (OpenRouter, Ollama, vLLM, LiteLLM ...). Retries
// are left to ResilientLlmClient, so the SDK's own are off.
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { ChatReply, ChatRequest, LlmClient } from './LlmClient.js';
import { LlmError, llmCodeForStatus } from './LlmError.js';

export interface OpenAiLlmClientOptions {
  /** OPENAI_API_KEY; local servers that need none accept any text. */
  apiKey: string;
  /** OPENAI_BASE_URL, e.g. `https://openrouter.ai/api/v1` or `http://127.0.0.1:11434/v1`. */
  baseURL?: string;
  /** MODEL_NAME. */
  model: string;
  /** Default time limit of a request in ms (30,000). */
  timeoutMs?: number;
  /** Extra headers (OpenRouter reads `HTTP-Referer` and `X-Title`). */
  headers?: Record<string, string>;
}

export class OpenAiLlmClient implements LlmClient {
  readonly model: string;
  readonly description: string;
  private readonly client: OpenAI;
  private readonly timeoutMs: number;

  constructor(options: OpenAiLlmClientOptions) {
    this.model = options.model;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.client = new OpenAI({
      apiKey: options.apiKey,
      ...(options.baseURL ? { baseURL: options.baseURL } : {}),
      maxRetries: 0,
      timeout: this.timeoutMs,
      ...(options.headers ? { defaultHeaders: options.headers } : {}),
    });
    this.description = `${options.baseURL ?? 'https://api.openai.com/v1'} model ${options.model}`;
  }

  async chat(request: ChatRequest): Promise<ChatReply> {
    let completion: OpenAI.Chat.Completions.ChatCompletion;
    try {
      completion = await this.client.chat.completions.create(
        {
          model: this.model,
          messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
          temperature: request.temperature ?? 0,
          ...(request.maxTokens !== undefined ? { max_tokens: request.maxTokens } : {}),
          stream: false,
        },
        {
          timeout: request.timeoutMs ?? this.timeoutMs,
          maxRetries: 0,
          ...(request.signal ? { signal: request.signal } : {}),
        },
      );
    } catch (e) {
      throw llmErrorFromOpenAi(e);
    }
    const choice = completion.choices?.[0];
    const content = choice?.message?.content;
    if (typeof content !== 'string' || content.trim().length === 0)
      throw new LlmError(
        'LLM_EMPTY_REPLY',
        `the model ${this.model} returned no text (finish reason ${choice?.finish_reason ?? 'none'})`,
      );
    return {
      content,
      model: completion.model ?? this.model,
      ...(choice?.finish_reason ? { finishReason: choice.finish_reason } : {}),
      ...(completion.usage
        ? {
            usage: {
              promptTokens: completion.usage.prompt_tokens,
              completionTokens: completion.usage.completion_tokens,
            },
          }
        : {}),
    };
  }
}

/** The LlmError for an error of the `openai` package. */
export function llmErrorFromOpenAi(e: unknown): LlmError {
  if (e instanceof LlmError) return e;
  if (e instanceof APIUserAbortError)
    return new LlmError('LLM_ABORTED', 'the LLM request was cancelled', { cause: e });
  if (e instanceof APIConnectionTimeoutError)
    return new LlmError('LLM_TIMEOUT', 'the LLM request timed out', { cause: e, retriable: true });
  if (e instanceof APIConnectionError)
    return new LlmError('LLM_NETWORK', `the LLM server did not answer: ${e.message}`, {
      cause: e,
      retriable: true,
    });
  if (e instanceof APIError && typeof e.status === 'number') {
    const { code, retriable } = llmCodeForStatus(e.status);
    const retryAfterMs = retryAfter(e.headers);
    return new LlmError(code, `the LLM server answered ${e.status}: ${e.message}`, {
      cause: e,
      retriable,
      status: e.status,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
  }
  return new LlmError('LLM_FAILED', `the LLM request failed: ${(e as Error)?.message ?? String(e)}`, {
    cause: e,
  });
}

/** Retry-After (seconds or an HTTP date) or retry-after-ms, in ms. */
function retryAfter(headers: Headers | undefined): number | undefined {
  const ms = headers?.get('retry-after-ms');
  if (ms && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  if (Number.isFinite(Number(value))) return Math.max(0, Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
