// The LLM port: one chat completion at a time. The OpenAI adapter speaks the chat-completions
// protocol (OpenAI, OpenRouter, Ollama, vLLM ...); ResilientLlmClient adds time limits, retries
// and a circuit breaker around any client.

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatRequest {
  messages: readonly ChatMessage[];
  /** 0 (the default) for the most deterministic answer. */
  temperature?: number;
  maxTokens?: number;
  /** Time limit of this request in ms (the client's default when omitted). */
  timeoutMs?: number;
  /** Cancels the request (the caller's deadline). */
  signal?: AbortSignal;
}

export interface ChatReply {
  content: string;
  /** The model that answered, as the server names it. */
  model: string;
  finishReason?: string;
  usage?: { promptTokens: number; completionTokens: number };
}

export interface LlmClient {
  /** The model asked for (MODEL_NAME). */
  readonly model: string;
  /** Where requests go, without secrets (for logs and `/health`). */
  readonly description: string;
  /**
   * Sends the messages, returns the first choice's text. @throws LlmError with a code (see
   * LlmError) and `retriable` set for failures a retry may cure.
   */
  chat(request: ChatRequest): Promise<ChatReply>;
}
