// Splits a question into tokens: words (lower-cased and stemmed so "countries" meets "country"),
// numbers (digits or words), ISO dates, identifiers with underscores and a few symbols.

export type TokenKind = 'word' | 'number' | 'date' | 'identifier' | 'symbol';

export interface Token {
  kind: TokenKind;
  /** As written (codes like `US` are matched case-sensitively). */
  text: string;
  lower: string;
  /** The lexicon key: lower-cased, plural and possessive endings removed. */
  stem: string;
  /** The value of a number or number word, else null. */
  num: number | null;
}

const NUMBER_WORDS: Readonly<Record<string, number>> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  hundred: 100,
};

/** Words whose trailing `s` is not a plural. */
const KEEP = new Set([
  'this',
  'was',
  'has',
  'does',
  'is',
  'its',
  'us',
  'plus',
  'status',
  'analysis',
  'across',
  'less',
  'process',
  'business',
  'gross',
  'loss',
  'versus',
  'previous',
  'various',
  'bonus',
  'focus',
  'news',
  'minus',
  'mins',
  'hrs',
  'yes',
]);

const IRREGULAR: Readonly<Record<string, string>> = {
  people: 'person',
  persons: 'person',
  women: 'women',
  men: 'men',
  children: 'child',
  analytics: 'analytics',
  series: 'series',
  sales: 'sale',
  mins: 'min',
  hrs: 'hr',
  secs: 'sec',
};

/** The lexicon key of a lower-case word: a light plural stemmer (the lexicon is stemmed the same way). */
export function stem(word: string): string {
  const irregular = IRREGULAR[word];
  if (irregular !== undefined) return irregular;
  if (word.length <= 3 || KEEP.has(word)) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith('sses') || word.endsWith('xes') || word.endsWith('ches') || word.endsWith('shes'))
    return word.slice(0, -2);
  if (word.endsWith('ss') || word.endsWith('us') || word.endsWith('is')) return word;
  if (word.endsWith('s')) return word.slice(0, -1);
  return word;
}

const TOKEN =
  /(\d{4}-\d{2}-\d{2})|([A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+)|(\d+(?:\.\d+)?)|([A-Za-z]+(?:'[A-Za-z]+)?)|([$€£%<>=])/g;

/** Tokens of `question`, in order. Pure; never throws. */
export function tokenize(question: string): Token[] {
  const text = question
    .replace(/[\u2018\u2019\u02bc`]/g, "'")
    .replace(/\bu\.s\.a\.?/gi, 'USA')
    .replace(/\bu\.s\.(?=\s|$|[?!,;])/gi, 'US ')
    .replace(/\bu\.k\.?/gi, 'UK')
    .replace(/\be-mail/gi, 'email')
    .replace(/(\d),(\d{3})\b/g, '$1$2');
  const tokens: Token[] = [];
  for (const m of text.matchAll(TOKEN)) {
    const [, date, identifier, digits, word, symbol] = m;
    if (date !== undefined) tokens.push(make('date', date));
    else if (identifier !== undefined) tokens.push(make('identifier', identifier));
    else if (digits !== undefined) tokens.push({ ...make('number', digits), num: Number(digits) });
    else if (symbol !== undefined) tokens.push(make('symbol', symbol));
    else if (word !== undefined) tokens.push(...wordTokens(word));
  }
  return tokens;
}

function make(kind: TokenKind, text: string): Token {
  const lower = text.toLowerCase();
  return { kind, text, lower, stem: kind === 'word' ? stem(lower) : lower, num: null };
}

function wordTokens(word: string): Token[] {
  const lower = word.toLowerCase();
  // "don't" → do not; "what's" → what; "women's" → women.
  if (lower.endsWith("n't")) {
    const head = lower === "won't" ? 'will' : lower === "can't" ? 'can' : lower.slice(0, -3);
    return [make('word', head), make('word', 'not')];
  }
  const apostrophe = word.indexOf("'");
  const bare = apostrophe >= 0 ? word.slice(0, apostrophe) : word;
  const token = make('word', bare);
  const n = NUMBER_WORDS[token.lower];
  return [n === undefined ? token : { ...token, kind: 'number', num: n }];
}

/** Whether the token was written as a plural ("countries", "people"). */
export function isPlural(token: Token): boolean {
  if (token.kind !== 'word') return false;
  if (token.lower === 'people' || token.lower === 'data') return true;
  return token.stem !== token.lower && token.lower.endsWith('s');
}
