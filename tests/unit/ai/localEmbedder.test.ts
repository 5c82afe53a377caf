// The local embedding: deterministic, normalised, domain-aware; and how well it retrieves the
// public questions from their paraphrases (../shared/nl2sql_public.json, tests/eval paraphrases).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { canonicalWords, cosineSimilarity, LocalEmbedder } from '@rt-lakehouse/kernel-helpers';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '../../support/sharedData.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '../../..');

describe('LocalEmbedder', () => {
  const embedder = new LocalEmbedder();

  it('is deterministic, L2-normalised and of fixed length', async () => {
    const [a, b] = await embedder.embed(['Revenue by country today', 'Revenue by country today']);
    expect(a).toEqual(b);
    expect(a).toHaveLength(512);
    expect(Math.hypot(...a!)).toBeCloseTo(1, 10);
    expect(new LocalEmbedder({ dimension: 64 }).id).toBe('local-hash-v1-64');
    expect(embedder.embedOne('')).toEqual(new Array(512).fill(0));
    expect(() => new LocalEmbedder({ dimension: 3 })).toThrow(RangeError);
  });

  it('folds the domain synonyms into canonical words', () => {
    expect(canonicalWords('What was our GMV by market in the past 24 hours?')).toEqual([
      'revenue',
      'by',
      'country',
      'last',
      'day',
    ]);
    expect(canonicalWords('How many people visited from the US?')).toEqual([
      'count',
      'users',
      'pageviews',
      'us',
    ]);
    expect(canonicalWords('Which traffic source brings us the most sales')).toEqual([
      'referrer',
      'top',
      'revenue',
    ]);
  });

  it('finds paraphrases closer than other questions', () => {
    const sim = (x: string, y: string) => cosineSimilarity(embedder.embedOne(x), embedder.embedOne(y));
    const base = 'Which referrer brings the most revenue?';
    expect(sim(base, 'Which traffic source generates the highest sales?')).toBeGreaterThan(0.9);
    expect(sim(base, 'How many unique users visited in the last hour?')).toBeLessThan(0.2);
    expect(sim('Average order value by country', 'AOV per market')).toBeGreaterThan(0.8);
    expect(sim('Orders today', 'Orders yesterday')).toBeLessThan(0.7);
  });

  it('retrieves the public question a paraphrase restates (top-1 ≥ 90 %, top-3 100 %)', () => {
    const publicSet = JSON.parse(readFileSync(sharedPath('nl2sql_public.json'), 'utf8')) as {
      cases: { id: string; q: string }[];
    };
    const paraphrases = JSON.parse(
      readFileSync(path.join(REPO, 'tests/eval/nl2sql/paraphrases.json'), 'utf8'),
    ) as {
      cases: { id: string; q: string }[];
    };
    // Which public case each paraphrase (x01–x30) restates.
    const restates: Record<string, string> = {
      x01: 'p01',
      x02: 'p01',
      x03: 'p02',
      x04: 'p02',
      x05: 'p03',
      x06: 'p04',
      x07: 'p04',
      x08: 'p05',
      x09: 'p05',
      x10: 'p06',
      x11: 'p07',
      x12: 'p07',
      x13: 'p08',
      x14: 'p09',
      x15: 'p09',
      x16: 'p10',
      x17: 'p10',
      x18: 'p11',
      x19: 'p12',
      x20: 'p13',
      x21: 'p14',
      x22: 'p14',
      x23: 'p15',
      x24: 'p16',
      x25: 'p17',
      x26: 'p18',
      x27: 'p19',
      x28: 'p20',
      x29: 'p21',
      x30: 'p22',
    };
    const indexed = publicSet.cases.map((c) => ({ id: c.id, vector: embedder.embedOne(c.q) }));
    let top1 = 0;
    let top3 = 0;
    const misses: string[] = [];
    for (const c of paraphrases.cases.filter((x) => restates[x.id])) {
      const v = embedder.embedOne(c.q);
      const ranked = indexed
        .map((p) => ({ id: p.id, score: cosineSimilarity(v, p.vector) }))
        .sort((a, b) => b.score - a.score);
      const rank = ranked.findIndex((r) => r.id === restates[c.id]);
      if (rank === 0) top1++;
      else misses.push(`${c.id} → ${ranked[0]!.id} (wanted ${restates[c.id]} at rank ${rank + 1})`);
      if (rank < 3) top3++;
    }
    const total = Object.keys(restates).length;
    console.info(
      `local embedder retrieval: top-1 ${top1}/${total}, top-3 ${top3}/${total}; misses: ${misses.join('; ')}`,
    );
    expect(top1 / total).toBeGreaterThanOrEqual(0.9);
    expect(top3).toBe(total);
  });
});
