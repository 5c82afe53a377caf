// The assistant's pure helpers: SQL identity, result comparison, the verified-example rule,
// bounded conversations and the configuration from the environment.
import {
  type Answer,
  assistantConfigFromEnv,
  ConversationStore,
  normaliseSql,
  type RetrievedExample,
  restingExample,
  resultsMatch,
} from '@rt-lakehouse/kernel-helpers';
import { describe, expect, it } from 'vitest';

describe('normaliseSql', () => {
  it('ignores case, blank space, comments and trailing semicolons, not literals', () => {
    expect(
      normaliseSql(
        "SELECT  country ,sum( price*quantity )\nFROM silver_events -- all\nWHERE country = 'UK';",
      ),
    ).toBe("select country,sum(price*quantity)from silver_events where country='UK'");
    expect(normaliseSql("select 'It''s  X'")).toBe("select 'It''s  X'");
    expect(normaliseSql("SELECT 'uk'")).not.toBe(normaliseSql("SELECT 'UK'"));
  });
});

describe('resultsMatch', () => {
  const gold = {
    columns: [{ name: 'country' }, { name: 'revenue' }],
    rows: [
      { country: 'US', revenue: 10 },
      { country: 'UK', revenue: 5.0000000001 },
    ],
  };
  it('matches columns by values, rows as multisets or in order', () => {
    const other = {
      columns: [{ name: 'total' }, { name: 'c' }, { name: 'extra' }],
      rows: [
        { total: 5, c: 'UK', extra: 1 },
        { total: '10', c: 'US', extra: 2 },
      ],
    };
    expect(resultsMatch(gold, other, { ordered: false })).toEqual({ match: true });
    expect(resultsMatch(gold, other, { ordered: true })).toMatchObject({ match: false });
    expect(resultsMatch(gold, { ...other, rows: other.rows.slice(0, 1) }, { ordered: false })).toEqual({
      match: false,
      reason: '1 rows; expected 2',
    });
    const times = { columns: [{ name: 't' }], rows: [{ t: '2026-01-01T00:00:00Z' }] };
    expect(
      resultsMatch(
        times,
        { columns: [{ name: 'u' }], rows: [{ u: '2026-01-01 00:00:00' }] },
        { ordered: true },
      ),
    ).toEqual({
      match: true,
    });
  });
});

describe('restingExample (the verified-example rule)', () => {
  const example = (
    id: string,
    source: 'seed' | 'user' | 'feedback',
    sql: string,
    score: number,
  ): RetrievedExample => ({
    example: { id, question: id, sql, source, createdAt: '2026-01-01T00:00:00Z' },
    origin: source === 'seed' ? 'seed' : source === 'user' ? 'api' : 'feedback',
    score,
  });
  it('picks the most similar example holding the same query, above the threshold; people before seeds', () => {
    const sql = 'SELECT 1 AS x';
    expect(restingExample([example('a', 'seed', 'select 1 as x;', 0.7)], sql, 0.5)?.example.id).toBe('a');
    expect(restingExample([example('a', 'seed', 'select 1 as x', 0.4)], sql, 0.5)).toBeUndefined();
    expect(restingExample([example('a', 'seed', 'SELECT 2 AS x', 0.99)], sql, 0.5)).toBeUndefined();
    expect(
      restingExample(
        [example('s', 'seed', sql, 0.8), example('f', 'feedback', sql, 0.8), example('u', 'user', sql, 0.8)],
        sql,
        0.5,
      )?.example.id,
    ).toBe('f');
    expect(
      restingExample([example('s', 'seed', sql, 0.9), example('f', 'feedback', sql, 0.8)], sql, 0.5)?.example
        .id,
    ).toBe('s');
  });
});

describe('ConversationStore', () => {
  const turn = (id: string) => ({ answer: { turnId: id } as Answer, plan: undefined });
  it('keeps the most recently used conversations and the last turns of each', () => {
    const store = new ConversationStore(2, 2);
    store.add('a', turn('a1'));
    store.add('a', turn('a2'));
    store.add('a', turn('a3'));
    expect(store.turns('a').map((t) => t.answer.turnId)).toEqual(['a2', 'a3']);
    expect(store.turn('a1')).toBeUndefined();
    store.add('b', turn('b1'));
    store.turns('a');
    store.add('c', turn('c1'));
    expect(store.has('b')).toBe(false);
    expect(store.turn('b1')).toBeUndefined();
    expect(store.has('a')).toBe(true);
    expect(store.turn('c1')?.conversationId).toBe('c');
  });
});

describe('assistantConfigFromEnv', () => {
  it('defaults to the embedded planner, local embeddings and DuckDB vectors', () => {
    const config = assistantConfigFromEnv({});
    expect(config).toMatchObject({
      llm: undefined,
      embedding: undefined,
      qdrant: undefined,
      localEmbeddingDimension: 512,
      maxRows: 1_000,
      verifiedMatchSimilarity: 0.5,
      verifiedReuseSimilarity: 0.95,
    });
  });

  it('turns the LLM on with a key or a base URL (OpenRouter, Ollama, vLLM)', () => {
    const config = assistantConfigFromEnv({
      OPENAI_API_KEY: ' sk-test ',
      OPENAI_BASE_URL: 'https://openrouter.ai/api/v1',
      MODEL_NAME: 'meta-llama/llama-3.1-8b-instruct:free',
      LLM_TIMEOUT_MS: '5000',
      QDRANT_URL: 'http://127.0.0.1:6333',
      OPENAI_EMBEDDING_MODEL: 'text-embedding-3-small',
    });
    expect(config.llm).toMatchObject({
      apiKey: 'sk-test',
      model: 'meta-llama/llama-3.1-8b-instruct:free',
      timeoutMs: 5000,
    });
    expect(config.embedding).toMatchObject({
      model: 'text-embedding-3-small',
      baseURL: 'https://openrouter.ai/api/v1',
    });
    expect(config.qdrant).toEqual({
      url: 'http://127.0.0.1:6333',
      apiKey: undefined,
      collection: 'sql_knowledge',
    });
    expect(assistantConfigFromEnv({ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' }).llm?.apiKey).toBe(
      'not-needed',
    );
  });

  it('names the bad variable', () => {
    expect(() => assistantConfigFromEnv({ LLM_TIMEOUT_MS: 'soon' })).toThrow(/LLM_TIMEOUT_MS/);
    expect(() => assistantConfigFromEnv({ OPENAI_BASE_URL: 'not a url' })).toThrow(/OPENAI_BASE_URL/);
    expect(() => assistantConfigFromEnv({ ASSISTANT_VERIFIED_REUSE_SIMILARITY: '2' })).toThrow(
      /REUSE_SIMILARITY/,
    );
  });
});
