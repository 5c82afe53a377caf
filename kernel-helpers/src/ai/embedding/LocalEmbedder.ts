// The default embedding: feature hashing of canonical words, word pairs and character trigrams
// (see embeddingFeatures) into a fixed-length, L2-normalised vector. Deterministic, in process,
// no network and no model download; good at paraphrases in this domain, not a language model.

import { murmurMix } from '../../murmurMix.js';
import type { Embedder } from './Embedder.js';
import { embeddingFeatures } from './embeddingFeatures.js';

export interface LocalEmbedderOptions {
  /** Vector length (default 512): more dimensions, fewer hash collisions. */
  dimension?: number;
}

const DEFAULT_DIMENSION = 512;
const VERSION = 1;

export class LocalEmbedder implements Embedder {
  readonly id: string;
  readonly dimension: number;

  constructor(options: LocalEmbedderOptions = {}) {
    const dimension = options.dimension ?? DEFAULT_DIMENSION;
    if (!Number.isInteger(dimension) || dimension < 16 || dimension > 65_536)
      throw new RangeError('LocalEmbedder dimension must be an integer from 16 to 65536');
    this.dimension = dimension;
    this.id = `local-hash-v${VERSION}-${dimension}`;
  }

  async embed(texts: readonly string[]): Promise<number[][]> {
    return texts.map((text) => this.embedOne(text));
  }

  /** The vector of one text (synchronous; `embed` is the port's async form). */
  embedOne(text: string): number[] {
    const vector = new Float64Array(this.dimension);
    for (const { key, weight } of embeddingFeatures(text)) {
      const h = fnv1a(key);
      // A second hash picks the sign, so collisions cancel out on average instead of adding up.
      const sign = (murmurMix(h) & 1) === 0 ? 1 : -1;
      const index = h % this.dimension;
      vector[index] = vector[index]! + sign * weight;
    }
    let norm = 0;
    for (const v of vector) norm += v * v;
    norm = Math.sqrt(norm);
    return Array.from(vector, (v) => (norm === 0 ? 0 : v / norm));
  }
}

/** 32-bit FNV-1a of a string's UTF-16 code units, as an unsigned integer. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
