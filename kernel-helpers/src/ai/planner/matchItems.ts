// Tokens → items: each item is a span of tokens with one sense. Time expressions with numbers
// ("last 24 hours", "3 days ago", "2024-05-01") and identifiers (schema columns, product ids)
// are recognised first; then the lexicon, longest phrase first; the rest is stop or unknown.
import { LEXICON, STOP_STEMS } from './lexicon.js';
import type { Dimension, TimeRange, TimeUnit } from './Plan.js';
import type { TableSchema } from './PlannerContext.js';
import type { Sense } from './Sense.js';
import { isNumericType } from './tableRoles.js';
import { stem, type Token, tokenize } from './tokenize.js';

export interface Item {
  sense: Sense | { t: 'unknown' } | { t: 'identifier'; name: string };
  /** Token span [start, end). */
  start: number;
  end: number;
  tokens: Token[];
}

const UNITS: Readonly<Record<string, TimeUnit>> = {
  minute: 'minute',
  min: 'minute',
  hour: 'hour',
  hr: 'hour',
  h: 'hour',
  day: 'day',
  d: 'day',
  week: 'week',
  wk: 'week',
  month: 'month',
  mo: 'month',
};
/** Unit abbreviations glued to a number ("24h", "7d"): a time window without a leading word. */
const ABBREVIATIONS = new Set(['h', 'hr', 'd', 'wk', 'mo', 'min']);
const ROLLING_LEADS = new Set([
  'last',
  'past',
  'previous',
  'prior',
  'trailing',
  'recent',
  'latest',
  'preceding',
]);
const WINDOW_PREPOSITIONS = new Set(['in', 'over', 'within', 'during', 'for', 'the', 'since', 'about']);

/** Items of `question`, reading identifiers against `tables`. Pure. */
export function matchItems(question: string, tables: readonly TableSchema[]): Item[] {
  const tokens = tokenize(question);
  const extra = extraColumns(tables);
  const items: Item[] = [];
  let i = 0;
  while (i < tokens.length) {
    const item =
      timeAt(tokens, i) ??
      identifierAt(tokens, i, tables) ??
      extraColumnAt(tokens, i, extra) ??
      lexiconPreferringLonger(tokens, i) ??
      singleAt(tokens, i);
    items.push(item);
    i = item.end;
  }
  return items;
}

/**
 * The lexicon phrase at i, unless a phrase starting inside it reaches further: then the shorter
 * phrase that ends where that one starts ("by | day of week", not "by day | of week").
 */
function lexiconPreferringLonger(tokens: Token[], i: number): Item | undefined {
  const item = lexiconAt(tokens, i);
  if (!item || item.end - i < 2) return item;
  for (let j = i + 1; j < item.end; j++) {
    const later = timeAt(tokens, j) ?? lexiconAt(tokens, j);
    if (!later || later.end <= item.end) continue;
    const shorter = lexiconAt(tokens, i, j - i);
    if (shorter) return shorter;
    if (j - i === 1) return singleAt(tokens, i);
  }
  return item;
}

function span(tokens: Token[], start: number, end: number, sense: Item['sense']): Item {
  return { sense, start, end, tokens: tokens.slice(start, end) };
}

function quantityAt(tokens: Token[], j: number): { n: number; next: number } | undefined {
  const t = tokens[j];
  if (!t) return undefined;
  if (t.num !== null) return { n: t.num, next: j + 1 };
  if (t.lower === 'a' || t.lower === 'an' || t.lower === 'one') return { n: 1, next: j + 1 };
  if (t.lower === 'few' || t.lower === 'several') return { n: 3, next: j + 1 };
  if (t.lower === 'couple') return { n: 2, next: tokens[j + 1]?.lower === 'of' ? j + 2 : j + 1 };
  return undefined;
}

function rolling(n: number, unit: TimeUnit): TimeRange {
  return { kind: 'last', amount: n, unit };
}

function timeAt(tokens: Token[], i: number): Item | undefined {
  const t = tokens[i]!;
  // ISO dates: "on 2024-05-01", "since 2024-05-01", "between A and B", "from A to B".
  if (t.kind === 'date') {
    const prev = tokens[i - 1]?.lower;
    const joiner = tokens[i + 1]?.lower;
    const second = tokens[i + 2];
    if (
      (joiner === 'and' || joiner === 'to' || joiner === 'until' || joiner === 'till') &&
      second?.kind === 'date'
    ) {
      const [from, to] = t.text <= second.text ? [t.text, second.text] : [second.text, t.text];
      return span(tokens, i, i + 3, { t: 'time', range: { kind: 'between', from, to } });
    }
    if (prev === 'since' || prev === 'after' || prev === 'from')
      return span(tokens, i, i + 1, { t: 'time', range: { kind: 'since', date: t.text } });
    return span(tokens, i, i + 1, { t: 'time', range: { kind: 'on', date: t.text } });
  }
  // "half an hour"
  if (t.lower === 'half' && tokens[i + 1]?.lower === 'an' && tokens[i + 2]?.stem === 'hour')
    return span(tokens, i, i + 3, { t: 'time', range: rolling(30, 'minute') });
  // "last 24 hours", "past week", "previous couple of days", "last half hour"
  if (ROLLING_LEADS.has(t.stem)) {
    let j = i + 1;
    if (tokens[j]?.lower === 'half' && tokens[j + 1]?.stem === 'hour')
      return span(tokens, i, j + 2, { t: 'time', range: rolling(30, 'minute') });
    const q = quantityAt(tokens, j);
    let n = 1;
    if (q) {
      n = q.n;
      j = q.next;
    }
    const unit = tokens[j] ? UNITS[tokens[j]!.stem] : undefined;
    if (unit && n > 0) return span(tokens, i, j + 1, { t: 'time', range: rolling(n, unit) });
    return undefined;
  }
  // "24 hours" after in/over/within..., "24h", "3 days ago", "since 2 hours ago"
  const q = quantityAt(tokens, i);
  if (q && (t.num !== null || t.lower === 'a' || t.lower === 'an')) {
    const unitToken = tokens[q.next];
    const unit = unitToken ? UNITS[unitToken.stem] : undefined;
    if (!unit || q.n <= 0) return undefined;
    const prev = tokens[i - 1]?.lower;
    if (tokens[q.next + 1]?.lower === 'ago') {
      if (prev !== 'since' && (unit === 'day' || unit === 'week')) {
        const days = unit === 'week' ? q.n * 7 : q.n;
        return span(tokens, i, q.next + 2, { t: 'time', range: { kind: 'days_ago', days } });
      }
      return span(tokens, i, q.next + 2, { t: 'time', range: rolling(q.n, unit) });
    }
    const glued = ABBREVIATIONS.has(unitToken!.lower);
    if (glued || (prev !== undefined && WINDOW_PREPOSITIONS.has(prev)))
      return span(tokens, i, q.next + 1, { t: 'time', range: rolling(q.n, unit) });
  }
  return undefined;
}

/** The columns of DESIGN.md's tables: the lexicon names them (with synonyms). */
const KNOWN_COLUMNS = new Set([
  'key',
  'value',
  'topic',
  'kafka_partition',
  'kafka_offset',
  'kafka_ts',
  'ingested_at',
  'event_id',
  'user_id',
  'session_id',
  'product_id',
  'category_id',
  'event_type',
  'price',
  'quantity',
  'discount',
  'currency',
  'ts',
  'ua',
  'country',
  'device_type',
  'referrer',
  'source_partition',
  'source_offset',
  'raw',
  'reason',
  'quarantined_at',
  'window_start',
  'window_end',
  'total_events',
  'page_views',
  'cart_adds',
  'orders',
  'gmv',
  'active_users',
  'view_users',
  'cart_users',
  'purchase_users',
  'conversion_rate',
  'avg_order_value',
]);

interface ExtraColumn {
  stems: string[];
  sense: Sense;
}

/** Columns the schema has beyond DESIGN.md's (schema evolution), matched by their words. */
function extraColumns(tables: readonly TableSchema[]): ExtraColumn[] {
  const out: ExtraColumn[] = [];
  for (const t of tables)
    for (const c of t.columns) {
      const name = c.name.toLowerCase();
      if (KNOWN_COLUMNS.has(name) || !/^[a-z][a-z0-9_]*$/.test(name)) continue;
      if (c.type.toLowerCase().startsWith('timestamp')) continue;
      const sense: Sense = isNumericType(c.type)
        ? { t: 'attribute', attribute: c.name }
        : { t: 'dim', dim: { kind: 'column', column: c.name } };
      out.push({
        stems: name
          .split('_')
          .filter((w) => w.length > 0)
          .map(stem),
        sense,
      });
    }
  return out.sort((a, b) => b.stems.length - a.stems.length);
}

function extraColumnAt(tokens: Token[], i: number, extra: ExtraColumn[]): Item | undefined {
  for (const c of extra) {
    if (c.stems.every((s, k) => tokens[i + k]?.stem === s))
      return span(tokens, i, i + c.stems.length, c.sense);
  }
  return undefined;
}

const ID_VALUE_PATTERNS: readonly (readonly [RegExp, string])[] = [
  [/^prod_\w+$/i, 'product_id'],
  [/^user_\w+$/i, 'user_id'],
  [/^sess_\w+$/i, 'session_id'],
];

function identifierAt(tokens: Token[], i: number, tables: readonly TableSchema[]): Item | undefined {
  const t = tokens[i]!;
  if (t.kind !== 'identifier') return undefined;
  // Lexicon phrases written as identifiers first (event types, category ids).
  const lexical = lexiconAt(tokens, i);
  if (lexical) return lexical;
  for (const [pattern, column] of ID_VALUE_PATTERNS)
    if (pattern.test(t.text)) return span(tokens, i, i + 1, { t: 'value', column, values: [t.lower] });
  const table = tables.find((x) => x.name.toLowerCase() === t.lower);
  if (table) return span(tokens, i, i + 1, { t: 'table', table: table.name });
  for (const x of tables) {
    const column = x.columns.find((c) => c.name.toLowerCase() === t.lower);
    if (!column) continue;
    const sense: Sense = isNumericType(column.type)
      ? { t: 'attribute', attribute: column.name }
      : column.type.toLowerCase().startsWith('timestamp')
        ? { t: 'stop' }
        : { t: 'dim', dim: { kind: 'column', column: column.name } satisfies Dimension };
    return span(tokens, i, i + 1, sense);
  }
  return span(tokens, i, i + 1, { t: 'identifier', name: t.text });
}

/** The longest lexicon phrase at i (of exactly `length` tokens when given). */
function lexiconAt(tokens: Token[], i: number, length?: number): Item | undefined {
  const first = tokens[i]!;
  const entries = LEXICON.get(first.stem);
  if (!entries) return undefined;
  for (const entry of entries) {
    const n = entry.stems.length;
    if (i + n > tokens.length || (length !== undefined && n !== length)) continue;
    let ok = true;
    for (let k = 0; k < n && ok; k++) {
      const tok = tokens[i + k]!;
      ok = entry.exact ? tok.text === entry.stems[k]!.toUpperCase() : tok.stem === entry.stems[k];
    }
    if (ok) return span(tokens, i, i + n, entry.sense);
  }
  return undefined;
}

function singleAt(tokens: Token[], i: number): Item {
  const t = tokens[i]!;
  if (t.num !== null) return span(tokens, i, i + 1, { t: 'number', value: t.num });
  if (t.kind === 'symbol' || STOP_STEMS.has(t.stem)) return span(tokens, i, i + 1, { t: 'stop' });
  // Two capital letters: a country code the lexicon does not list.
  if (/^[A-Z]{2}$/.test(t.text) && t.text !== 'IT' && t.text !== 'OK')
    return span(tokens, i, i + 1, { t: 'value', column: 'country', values: [t.text] });
  return span(tokens, i, i + 1, { t: 'unknown' });
}
