// The embedding port: texts → fixed-length vectors whose cosine similarity says how alike two
// texts are. Adapters: LocalEmbedder (deterministic, in process) and OpenAiEmbedder.

/**
 * Turns texts into vectors of `dimension` numbers, L2-normalised (cosine = dot product).
 * `id` names the model and its settings: vectors of different ids are not comparable, so a
 * knowledge base re-embeds everything when it changes.
 */
export interface Embedder {
  readonly id: string;
  readonly dimension: number;
  /**
   * One vector per text, in order. @throws LakehouseError (e.g. LlmError from a remote
   * embedding API) when the texts cannot be embedded; never returns a partial result.
   */
  embed(texts: readonly string[]): Promise<number[][]>;
}
