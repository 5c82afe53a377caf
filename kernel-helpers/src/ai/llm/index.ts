// The LLM path of the assistant: the port, the OpenAI adapter, resilience (time limits, retries,
// circuit breaker), the prompt, SQL extraction and the validate-and-repair loop.
export {
  buildRepairMessages,
  buildSqlPrompt,
  SQL_SYSTEM_PROMPT,
  type SqlPromptInput,
} from './buildSqlPrompt.js';
export {
  type BreakerPermit,
  type BreakerState,
  CircuitBreaker,
  type CircuitBreakerOptions,
} from './CircuitBreaker.js';
export { extractSql, type SqlExtraction } from './extractSql.js';
export {
  type GenerateSqlOptions,
  type GenerateSqlResult,
  generateSqlWithLlm,
  type LlmAttempt,
  type SqlCheck,
} from './generateSqlWithLlm.js';
export type { ChatMessage, ChatReply, ChatRequest, LlmClient } from './LlmClient.js';
export { LlmError, llmCodeForStatus } from './LlmError.js';
export { llmErrorFromOpenAi, OpenAiLlmClient, type OpenAiLlmClientOptions } from './OpenAiLlmClient.js';
export { type ResilienceOptions, ResilientLlmClient } from './ResilientLlmClient.js';
