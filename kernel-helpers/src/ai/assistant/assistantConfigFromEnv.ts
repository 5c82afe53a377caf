// The assistant's settings, parsed once from the environment with zod (see docs/assistant.md).
import { z } from 'zod';
import { ConfigError } from '../../errors.js';

export interface LlmSettings {
  /** OPENAI_API_KEY (`not-needed` when only OPENAI_BASE_URL is set, for local servers). */
  apiKey: string;
  /** OPENAI_BASE_URL: OpenRouter, Ollama, vLLM ...; OpenAI itself when unset. */
  baseURL: string | undefined;
  /** MODEL_NAME (default `gpt-4o-mini`). */
  model: string;
  /** LLM_TIMEOUT_MS: time limit of one request (30,000). */
  timeoutMs: number;
  /** LLM_MAX_RETRIES: retries of a request on 429, 5xx, timeouts and network errors (2). */
  maxRetries: number;
  /** LLM_RETRY_BASE_MS: first backoff pause, doubling per retry (500). */
  retryBaseMs: number;
  /** LLM_MAX_REPAIRS: repair rounds after an invalid query (2). */
  maxRepairs: number;
  /** LLM_BREAKER_FAILURES: consecutive failed requests that open the circuit breaker (5). */
  breakerFailures: number;
  /** LLM_BREAKER_COOLDOWN_MS: how long the breaker stays open (30,000). */
  breakerCooldownMs: number;
  /** LLM_DEADLINE_MS: time budget of the whole LLM path of one question (60,000). */
  deadlineMs: number;
  /** LLM_TEMPERATURE (0). */
  temperature: number;
}

export interface EmbeddingSettings {
  /** OPENAI_EMBEDDING_MODEL, e.g. `text-embedding-3-small`. */
  model: string;
  apiKey: string;
  /** OPENAI_EMBEDDING_BASE_URL, else OPENAI_BASE_URL. */
  baseURL: string | undefined;
  /** OPENAI_EMBEDDING_DIMENSIONS: ask the model for vectors this long. */
  dimension: number | undefined;
}

export interface AssistantConfig {
  /** ASSISTANT_KNOWLEDGE_PATH: the DuckDB vector file; `:memory:` keeps nothing (default `<lakehouse>/assistant/knowledge.duckdb`). */
  knowledgePath: string | undefined;
  /** ASSISTANT_EXAMPLES_FILE: the user's examples (default `<lakehouse>/assistant/examples.json`). */
  examplesFile: string | undefined;
  /** Set when OPENAI_API_KEY or OPENAI_BASE_URL is: the LLM path is on. */
  llm: LlmSettings | undefined;
  /** Set when OPENAI_EMBEDDING_MODEL is (with an API key or base URL): OpenAI embeddings. */
  embedding: EmbeddingSettings | undefined;
  /** ASSISTANT_EMBEDDING_DIMENSION: the local embedder's vector length (512). */
  localEmbeddingDimension: number;
  /** Set when QDRANT_URL is: vectors in Qdrant instead of DuckDB. */
  qdrant: { url: string; apiKey: string | undefined; collection: string } | undefined;
  /** ASSISTANT_MAX_ROWS: rows an answer carries at most (1,000). */
  maxRows: number;
  /** ASSISTANT_TIMEOUT_MS: time limit of the answer's query (30,000). */
  timeoutMs: number;
  /** ASSISTANT_COUNT_TOTAL_MAX_ROWS: count all rows of a truncated result when its tables hold at most this many (5,000,000). */
  countTotalMaxRows: number;
  /** ASSISTANT_EXAMPLES_K (5), ASSISTANT_TABLES_K (6), ASSISTANT_GLOSSARY_K (8): retrieved per question. */
  examplesK: number;
  tablesK: number;
  glossaryK: number;
  /** ASSISTANT_VERIFIED_MATCH_SIMILARITY: least similarity for an answer with the same SQL to rest on an example (0.5). */
  verifiedMatchSimilarity: number;
  /** ASSISTANT_VERIFIED_REUSE_SIMILARITY: least similarity for answering with an example's SQL as it is (0.95). */
  verifiedReuseSimilarity: number;
  /** ASSISTANT_MAX_CONVERSATIONS (500) and ASSISTANT_MAX_TURNS per conversation (50), kept in memory. */
  maxConversations: number;
  maxTurns: number;
}

type Env = Record<string, string | undefined>;

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const ratio = z.coerce.number().min(0).max(1);
const url = z.url({ protocol: /^https?$/ });

const EnvSchema = z.object({
  ASSISTANT_KNOWLEDGE_PATH: z.string().optional(),
  ASSISTANT_EXAMPLES_FILE: z.string().optional(),
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: url.optional(),
  MODEL_NAME: z.string().default('gpt-4o-mini'),
  LLM_TIMEOUT_MS: int(1, 600_000).default(30_000),
  LLM_MAX_RETRIES: int(0, 10).default(2),
  LLM_RETRY_BASE_MS: int(0, 60_000).default(500),
  LLM_MAX_REPAIRS: int(0, 10).default(2),
  LLM_BREAKER_FAILURES: int(1, 1_000).default(5),
  LLM_BREAKER_COOLDOWN_MS: int(0, 3_600_000).default(30_000),
  LLM_DEADLINE_MS: int(1, 3_600_000).default(60_000),
  LLM_TEMPERATURE: z.coerce.number().min(0).max(2).default(0),
  OPENAI_EMBEDDING_MODEL: z.string().optional(),
  OPENAI_EMBEDDING_BASE_URL: url.optional(),
  OPENAI_EMBEDDING_DIMENSIONS: int(1, 65_536).optional(),
  ASSISTANT_EMBEDDING_DIMENSION: int(16, 65_536).default(512),
  QDRANT_URL: url.optional(),
  QDRANT_API_KEY: z.string().optional(),
  QDRANT_COLLECTION: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,255}$/)
    .default('sql_knowledge'),
  ASSISTANT_MAX_ROWS: int(1, 1_000_000).default(1_000),
  ASSISTANT_TIMEOUT_MS: int(1, 3_600_000).default(30_000),
  ASSISTANT_COUNT_TOTAL_MAX_ROWS: int(0, Number.MAX_SAFE_INTEGER).default(5_000_000),
  ASSISTANT_EXAMPLES_K: int(0, 50).default(5),
  ASSISTANT_TABLES_K: int(1, 100).default(6),
  ASSISTANT_GLOSSARY_K: int(0, 100).default(8),
  ASSISTANT_VERIFIED_MATCH_SIMILARITY: ratio.default(0.5),
  ASSISTANT_VERIFIED_REUSE_SIMILARITY: ratio.default(0.95),
  ASSISTANT_MAX_CONVERSATIONS: int(1, 1_000_000).default(500),
  ASSISTANT_MAX_TURNS: int(1, 10_000).default(50),
});

/**
 * The assistant's configuration from `env` (blank variables count as unset).
 * @throws ConfigError naming the first bad variable.
 */
export function assistantConfigFromEnv(env: Env = process.env): AssistantConfig {
  const present = Object.fromEntries(
    Object.keys(EnvSchema.shape).flatMap((k) => {
      const v = env[k]?.trim();
      return v === undefined || v === '' ? [] : [[k, v]];
    }),
  );
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`invalid assistant configuration: ${issue?.path.join('.')}: ${issue?.message}`, {
      cause: parsed.error,
    });
  }
  const e = parsed.data;
  const llmOn = e.OPENAI_API_KEY !== undefined || e.OPENAI_BASE_URL !== undefined;
  const apiKey = e.OPENAI_API_KEY ?? 'not-needed';
  return {
    knowledgePath: e.ASSISTANT_KNOWLEDGE_PATH,
    examplesFile: e.ASSISTANT_EXAMPLES_FILE,
    llm: llmOn
      ? {
          apiKey,
          baseURL: e.OPENAI_BASE_URL,
          model: e.MODEL_NAME,
          timeoutMs: e.LLM_TIMEOUT_MS,
          maxRetries: e.LLM_MAX_RETRIES,
          retryBaseMs: e.LLM_RETRY_BASE_MS,
          maxRepairs: e.LLM_MAX_REPAIRS,
          breakerFailures: e.LLM_BREAKER_FAILURES,
          breakerCooldownMs: e.LLM_BREAKER_COOLDOWN_MS,
          deadlineMs: e.LLM_DEADLINE_MS,
          temperature: e.LLM_TEMPERATURE,
        }
      : undefined,
    embedding:
      e.OPENAI_EMBEDDING_MODEL !== undefined && (llmOn || e.OPENAI_EMBEDDING_BASE_URL !== undefined)
        ? {
            model: e.OPENAI_EMBEDDING_MODEL,
            apiKey,
            baseURL: e.OPENAI_EMBEDDING_BASE_URL ?? e.OPENAI_BASE_URL,
            dimension: e.OPENAI_EMBEDDING_DIMENSIONS,
          }
        : undefined,
    localEmbeddingDimension: e.ASSISTANT_EMBEDDING_DIMENSION,
    qdrant:
      e.QDRANT_URL !== undefined
        ? { url: e.QDRANT_URL, apiKey: e.QDRANT_API_KEY, collection: e.QDRANT_COLLECTION }
        : undefined,
    maxRows: e.ASSISTANT_MAX_ROWS,
    timeoutMs: e.ASSISTANT_TIMEOUT_MS,
    countTotalMaxRows: e.ASSISTANT_COUNT_TOTAL_MAX_ROWS,
    examplesK: e.ASSISTANT_EXAMPLES_K,
    tablesK: e.ASSISTANT_TABLES_K,
    glossaryK: e.ASSISTANT_GLOSSARY_K,
    verifiedMatchSimilarity: e.ASSISTANT_VERIFIED_MATCH_SIMILARITY,
    verifiedReuseSimilarity: e.ASSISTANT_VERIFIED_REUSE_SIMILARITY,
    maxConversations: e.ASSISTANT_MAX_CONVERSATIONS,
    maxTurns: e.ASSISTANT_MAX_TURNS,
  };
}
