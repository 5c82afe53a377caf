// The features of the local embedding (pure): a text's words with the domain synonyms folded
// into canonical words, then weighted word unigrams, word bigrams and character trigrams.
import { DOMAIN_SYNONYMS } from './domainSynonyms.js';

/** A feature and its weight before hashing. */
export interface Feature {
  key: string;
  weight: number;
}

/** Words that carry no meaning for retrieval. */
const STOP_WORDS = new Set(
  (
    'a an the of in on at to from with and or me my our we us you your i it its is are was were be been ' +
    'do does did done show shows showing give list tell what whats which who how much many please ' +
    'there that this these those have has had any some all can could would should will get got see ' +
    'about into than then so just also now only as for want like let lets brings bring drive drives ' +
    'generate generates generated happened happen far much'
  ).split(' '),
);

/** Words kept even though STOP_WORDS lists them, when a follow-up depends on them. */
const KEEP_CASE_SENSITIVE = new Set(['US']);

interface PhraseTrie {
  canonical?: string;
  next: Map<string, PhraseTrie>;
}

const TRIE: PhraseTrie = buildTrie(DOMAIN_SYNONYMS);

function buildTrie(synonyms: Readonly<Record<string, readonly string[]>>): PhraseTrie {
  const root: PhraseTrie = { next: new Map() };
  for (const [canonical, phrases] of Object.entries(synonyms)) {
    for (const phrase of phrases) {
      let node = root;
      for (const word of phrase.split(' ')) {
        let child = node.next.get(word);
        if (!child) {
          child = { next: new Map() };
          node.next.set(word, child);
        }
        node = child;
      }
      node.canonical ??= canonical;
    }
  }
  return root;
}

/** Lower-cased words and numbers of `text`; apostrophes dropped, `_` kept inside identifiers. */
export function rawWords(text: string): string[] {
  const words: string[] = [];
  for (const match of text.normalize('NFKC').matchAll(/[\p{L}\p{N}_]+(?:['’][\p{L}]+)?/gu)) {
    const word = match[0].replace(/['’]/g, '');
    if (KEEP_CASE_SENSITIVE.has(word)) {
      words.push('united states');
      continue;
    }
    words.push(word.toLowerCase());
  }
  return words.flatMap((w) => w.split(' '));
}

/** A light stem: plural and possessive endings off, so "countries" meets "country". */
export function stem(word: string): string {
  if (/^\d/.test(word) || word.length <= 3) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us') && !word.endsWith('is'))
    return word.slice(0, -1);
  return word;
}

/**
 * The canonical words of `text`: domain phrases folded to their canonical word (longest match
 * first, on the words as written and on their stems), other words stemmed, stop words dropped.
 */
export function canonicalWords(text: string): string[] {
  const words = rawWords(text);
  const out: string[] = [];
  let i = 0;
  while (i < words.length) {
    let node: PhraseTrie | undefined = TRIE;
    let best: { canonical: string; end: number } | undefined;
    for (let j = i; j < words.length && node; j++) {
      const word = words[j]!;
      node = node.next.get(word) ?? node.next.get(stem(word));
      if (node?.canonical !== undefined) best = { canonical: node.canonical, end: j + 1 };
    }
    if (best) {
      out.push(best.canonical);
      i = best.end;
      continue;
    }
    const word = words[i]!;
    i++;
    if (STOP_WORDS.has(word)) continue;
    out.push(stem(word));
  }
  return out;
}

/** Weights of the feature families (unigrams dominate; trigrams soften spelling variants). */
const UNIGRAM_WEIGHT = 1;
const BIGRAM_WEIGHT = 0.5;
const TRIGRAM_WEIGHT = 0.15;

/** The weighted features of `text` (duplicates allowed: the hashing adds them up). */
export function embeddingFeatures(text: string): Feature[] {
  const words = canonicalWords(text);
  const features: Feature[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    features.push({ key: `w:${word}`, weight: UNIGRAM_WEIGHT });
    if (i + 1 < words.length) features.push({ key: `b:${word} ${words[i + 1]}`, weight: BIGRAM_WEIGHT });
    const padded = `^${word}$`;
    for (let k = 0; k + 3 <= padded.length; k++)
      features.push({ key: `c:${padded.slice(k, k + 3)}`, weight: TRIGRAM_WEIGHT });
  }
  return features;
}
