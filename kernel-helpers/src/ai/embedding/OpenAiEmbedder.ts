// The OpenAI adapter of Embedder (`openai` package, /v1/embeddings): used only when
// OPENAI_EMBEDDING_MODEL is configured. Vectors are L2-normalised here, whatever the server does.
import OpenAI from 'openai';
import { LlmError } from '../llm/LlmError.js';
import { llmErrorFromOpenAi } from '../llm/OpenAiLlmClient.js';
import type { Embedder } from './Embedder.js';

export interface OpenAiEmbedderOptions {
  apiKey: string;
  baseURL?: string;
  /** e.g. `text-embedding-3-small`. */
  model: string;
  /**
   * Vector length: sent as `dimensions` for models that can shorten their vectors; when omitted,
   * the length of a probe embedding (see `create`).
   */
  dimension?: number;
  timeoutMs?: number;
  /** Texts per request (default 256). */
  batchSize?: number;
  maxRetries?: number;
}

/** Vector lengths of well-known models, so no probe request is needed for them. */
const KNOWN_DIMENSIONS: Readonly<Record<string, number>> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};

export class OpenAiEmbedder implements Embedder {
  readonly id: string;
  private readonly client: OpenAI;
  private readonly batchSize: number;

  private constructor(
    private readonly options: OpenAiEmbedderOptions,
    readonly dimension: number,
    private readonly sendDimensions: boolean,
  ) {
    this.client = new OpenAI({
      apiKey: options.apiKey,
      ...(options.baseURL ? { baseURL: options.baseURL } : {}),
      timeout: options.timeoutMs ?? 30_000,
      maxRetries: options.maxRetries ?? 2,
    });
    this.batchSize = options.batchSize ?? 256;
    this.id = `openai:${options.model}:${dimension}`;
  }

  /**
   * An embedder for `options.model`; when its vector length is neither given nor known, embeds a
   * probe text to learn it. @throws LlmError when the probe fails.
   */
  static async create(options: OpenAiEmbedderOptions): Promise<OpenAiEmbedder> {
    if (options.dimension !== undefined) return new OpenAiEmbedder(options, options.dimension, true);
    const known = KNOWN_DIMENSIONS[options.model];
    if (known !== undefined) return new OpenAiEmbedder(options, known, false);
    const probe = new OpenAiEmbedder(options, 0, false);
    const [vector] = await probe.request(['dimension probe']);
    return new OpenAiEmbedder(options, vector!.length, false);
  }

  async embed(texts: readonly string[]): Promise<number[][]> {
    const out: number[][] = [];
    for (let i = 0; i < texts.length; i += this.batchSize) {
      const vectors = await this.request(texts.slice(i, i + this.batchSize));
      for (const v of vectors) {
        if (this.dimension > 0 && v.length !== this.dimension)
          throw new LlmError(
            'LLM_BAD_REPLY',
            `the embedding model ${this.options.model} returned ${v.length} numbers; expected ${this.dimension}`,
          );
        out.push(v);
      }
    }
    return out;
  }

  private async request(texts: readonly string[]): Promise<number[][]> {
    if (texts.length === 0) return [];
    let response: OpenAI.Embeddings.CreateEmbeddingResponse;
    try {
      response = await this.client.embeddings.create({
        model: this.options.model,
        // Empty strings are refused by the API; a space embeds as "nothing".
        input: texts.map((t) => (t.length === 0 ? ' ' : t)),
        encoding_format: 'float',
        ...(this.sendDimensions ? { dimensions: this.dimension } : {}),
      });
    } catch (e) {
      throw llmErrorFromOpenAi(e);
    }
    const data = [...response.data].sort((a, b) => a.index - b.index);
    if (data.length !== texts.length)
      throw new LlmError('LLM_BAD_REPLY', `asked for ${texts.length} embeddings, got ${data.length}`);
    return data.map((d) => normalise(d.embedding as number[]));
  }
}

function normalise(vector: readonly number[]): number[] {
  let sum = 0;
  for (const x of vector) sum += x * x;
  const norm = Math.sqrt(sum);
  return vector.map((x) => (norm === 0 ? 0 : x / norm));
}
