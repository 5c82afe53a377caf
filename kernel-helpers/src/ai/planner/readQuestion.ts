// Items → Frame: the question's reading before it meets the schema or the conversation. Word
// order decides roles: "by X" groups (or ranks, when X is a measure), "how many X" counts
// distinct X, "per user" divides, "for purchases" scopes, "top N" / "which X ... most" rank.
import { type Item, matchItems } from './matchItems.js';
import { sameMeasure } from './measureInfo.js';
import type {
  AggregateFn,
  CompareOp,
  Dimension,
  Filter,
  Measure,
  MetricId,
  PerEntity,
  PlanEventType,
  TimeGrain,
  TimeRange,
} from './Plan.js';
import type { TableSchema } from './PlannerContext.js';
import type { RankKind, Sense } from './Sense.js';
import { isPlural } from './tokenize.js';

export interface FrameMeasure {
  measure: Measure;
  /** Item index where it was said. */
  at: number;
  /** Said in the question (not a default such as events for a bare breakdown). */
  explicit: boolean;
  /** A count-of-events noun after a preposition ("for purchases"): a scope when another measure exists. */
  scopeNoun: PlanEventType | null;
  /** "users" right after a value ("mobile users"): only qualifies when another measure exists. */
  qualifier?: boolean;
}

export interface FrameDimension {
  dim: Dimension;
  at: number;
  plural: boolean;
  /** Said with "all" / "every" / "any" ("for all countries"). */
  all: boolean;
}

export interface FrameRank {
  direction: 'asc' | 'desc';
  kind: RankKind;
  n: number | null;
  at: number;
}

/** What one question says, read without the schema's or the conversation's help. */
export interface Frame {
  measures: FrameMeasure[];
  /** Index into `measures` of the measure named after "by" ("top countries by revenue"). */
  rankBy: number | null;
  /** A number said just before a dimension ("the 5 countries with ..."): the cut of a ranking. */
  countBeforeDim: number | null;
  dims: FrameDimension[];
  grain: { grain: TimeGrain; plural: boolean; noun: boolean } | null;
  trend: boolean;
  filters: Filter[];
  /** Thresholds on measures (HAVING), by metric. */
  havings: { metric: MetricId; op: CompareOp; value: number }[];
  scope: PlanEventType | null;
  /** undefined: not said; null: all time. */
  timeRange: TimeRange | null | undefined;
  rank: FrameRank | null;
  rankMetric: { measure: Measure; direction: 'asc' | 'desc' } | null;
  showAll: boolean;
  collapse: boolean;
  table: string | null;
  quality: boolean;
  /** Opens like a follow-up ("and ...", "what about ...", "now ..."). */
  cue: boolean;
  /** Refers to the previous answer ("break it down"). */
  ref: boolean;
  also: boolean;
  instead: boolean;
  compare: boolean;
  corr: boolean;
  howMany: boolean;
  howMuch: boolean;
  wh: boolean;
  removeColumns: string[];
  removeAll: boolean;
  unsupported: { topic: string; reason: string; suggestion: string } | null;
  unknown: string[];
  /** Unknown words right after a preposition or "by": values or dimensions the planner lacks. */
  unknownAfterPreposition: string[];
  unknownIdentifiers: string[];
  /** Unknown names said with "table" / "column" / "field". */
  unknownNamed: { name: string; kind: string }[];
}

type S<T extends Sense['t']> = Extract<Sense, { t: T }>;
type PendingAgg = { fn: AggregateFn | 'count' | 'distinct'; howMany: boolean };

const ENTITY_PER: Readonly<Record<string, PerEntity>> = {
  active_users: 'user',
  buyers: 'customer',
  sessions: 'session',
};

/** Content items end "only function words so far" (follow-up cues count only before them). */
const FUNCTION_SENSES = new Set([
  'stop',
  'prep',
  'and',
  'followup',
  'ref',
  'only',
  'also',
  'instead',
  'wh',
  'filterWord',
]);

/** Reads `question` against `tables` (for identifiers). Pure. */
export function readQuestion(question: string, tables: readonly TableSchema[]): Frame {
  return readItems(matchItems(question, tables));
}

function readItems(items: Item[]): Frame {
  const f: Frame = {
    measures: [],
    rankBy: null,
    countBeforeDim: null,
    dims: [],
    grain: null,
    trend: false,
    filters: [],
    havings: [],
    scope: null,
    timeRange: undefined,
    rank: null,
    rankMetric: null,
    showAll: false,
    collapse: false,
    table: null,
    quality: false,
    cue: false,
    ref: false,
    also: false,
    instead: false,
    compare: false,
    corr: false,
    howMany: false,
    howMuch: false,
    wh: false,
    removeColumns: [],
    removeAll: false,
    unsupported: null,
    unknown: [],
    unknownAfterPreposition: [],
    unknownIdentifiers: [],
    unknownNamed: [],
  };
  const consumed = new Set<number>();
  let pending: PendingAgg | null = null;
  let pendingHaving: { op: CompareOp; value: number } | null = null;
  let negate = false;
  let remove = false;
  let seenContent = false;
  let lastNumber: { value: number; at: number } | null = null;

  const sense = (i: number): Item['sense'] | undefined => items[i]?.sense;
  const isStop = (i: number) => sense(i)?.t === 'stop';
  const prevContent = (i: number, skipPrep = false): number => {
    let j = i - 1;
    while (j >= 0 && (isStop(j) || (skipPrep && sense(j)?.t === 'prep'))) j--;
    return j;
  };
  const nextContent = (i: number): number => {
    let j = i + 1;
    while (j < items.length && isStop(j)) j++;
    return j;
  };
  const word = (i: number) => items[i]?.tokens.map((t) => t.lower).join(' ') ?? '';
  /** "price of (add-to-cart) products": the entity whose attribute is measured, not a breakdown. */
  const describesAttribute = (i: number): boolean => {
    for (let j = prevContent(i); j >= 0; j = prevContent(j)) {
      const s = sense(j);
      if (s?.t === 'prep') return word(j) === 'of' && sense(prevContent(j))?.t === 'attribute';
      if (!(s?.t === 'value' || s?.t === 'scope' || (s?.t === 'metric' && s.eventNoun !== undefined)))
        return false;
    }
    return false;
  };
  const lastToken = (i: number) => items[i]!.tokens[items[i]!.tokens.length - 1]!;

  const pushMeasure = (
    measure: Measure,
    at: number,
    explicit = true,
    scopeNoun: PlanEventType | null = null,
  ) => {
    const viaBy = sense(prevContent(at))?.t === 'by';
    f.measures.push({ measure, at, explicit, scopeNoun });
    if (viaBy && f.rankBy === null) f.rankBy = f.measures.length - 1;
    if (pendingHaving) {
      if (measure.kind === 'metric')
        f.havings.push({ metric: measure.metric, op: pendingHaving.op, value: pendingHaving.value });
      pendingHaving = null;
    }
  };
  const addValues = (column: string, values: string[]) => {
    const existing = f.filters.find(
      (x): x is Extract<Filter, { kind: 'values' }> =>
        x.kind === 'values' && x.column === column && x.negated === negate,
    );
    if (existing) {
      for (const v of values) if (!existing.values.includes(v)) existing.values.push(v);
    } else f.filters.push({ kind: 'values', column, values: [...values], negated: negate });
  };
  /** Whether the item at i is used as a dimension rather than a measure ("top users", "by customer"). */
  const entityAsDimension = (i: number): boolean => {
    const p = prevContent(i);
    const ps = sense(p);
    if (!ps) return false;
    if (ps.t === 'by' || ps.t === 'each') return true;
    // "which users", "who are our best customers" (not "what are people buying").
    if (ps.t === 'wh' && word(p) !== 'what' && word(p) !== 'whats') return true;
    if (ps.t === 'rank' && ps.kind !== 'quantity') return true;
    if (ps.t === 'rankMetric') return true;
    if (ps.t === 'number') {
      const pp = sense(prevContent(p));
      if (pp?.t === 'rank') return true;
    }
    if (ps.t === 'per' && f.measures.length === 0) return true;
    const n = nextContent(i);
    if (sense(n)?.t === 'by' && sense(nextContent(n))?.t === 'metric') return true;
    return false;
  };

  for (let i = 0; i < items.length; i++) {
    if (consumed.has(i)) continue;
    const item = items[i]!;
    const s = item.sense;
    if (!FUNCTION_SENSES.has(s.t)) seenContent = true;
    const prevSense = sense(prevContent(i));
    const afterPer = prevSense?.t === 'per';
    const afterPrep = prevSense?.t === 'prep';
    switch (s.t) {
      case 'metric': {
        const m = s as S<'metric'>;
        if (m.entity !== undefined && entityAsDimension(i)) {
          if (remove || negate) f.removeColumns.push(m.entity);
          else
            f.dims.push({
              dim: { kind: 'column', column: m.entity },
              at: i,
              plural: isPlural(lastToken(i)),
              all: false,
            });
          pending = null;
          break;
        }
        const last = f.measures[f.measures.length - 1];
        if (afterPer && last && last.measure.kind === 'metric') {
          const per = ENTITY_PER[m.metric];
          if (per !== undefined && m.entity !== undefined) {
            // "average revenue per user" is revenue / users (ARPU), not an average order value per user.
            const base =
              last.measure.metric === 'avg_order_value'
                ? 'revenue'
                : last.measure.metric === 'basket_size'
                  ? 'units'
                  : last.measure.metric;
            last.measure = { kind: 'per', metric: base, per };
            break;
          }
          if (m.eventNoun === 'purchase') {
            if (last.measure.metric === 'revenue')
              last.measure = { kind: 'metric', metric: 'avg_order_value' };
            else if (last.measure.metric === 'units')
              last.measure = { kind: 'metric', metric: 'basket_size' };
            else f.scope = 'purchase';
            break;
          }
        }
        if (afterPer && m.eventNoun !== undefined && f.measures.length > 0) {
          f.scope = m.eventNoun;
          break;
        }
        // "how well do visitors convert", "what do people abandon": the users are the rate's subject.
        const rate = m.metric === 'conversion_rate' || m.metric === 'abandonment_rate';
        if (
          rate &&
          last &&
          last.at >= i - 3 &&
          last.measure.kind === 'metric' &&
          last.measure.metric === 'active_users'
        )
          f.measures.pop();
        const measure = measureWithAggregate(m.metric, pending);
        const countLike = pending?.fn === 'count';
        pending = null;
        if (m.grain) f.grain ??= { grain: m.grain, plural: false, noun: false };
        const scopeNoun =
          afterPrep &&
          !countLike &&
          m.eventNoun !== undefined &&
          ['for', 'of', 'from', 'among', 'on', 'in', 'with', 'across'].includes(word(prevContent(i)))
            ? m.eventNoun
            : null;
        pushMeasure(measure, i, true, scopeNoun);
        if (m.entity !== undefined && prevSense?.t === 'value')
          f.measures[f.measures.length - 1]!.qualifier = true;
        break;
      }
      case 'metrics':
        for (const metric of (s as S<'metrics'>).metrics) pushMeasure({ kind: 'metric', metric }, i);
        pending = null;
        break;
      case 'attribute': {
        const attribute = (s as S<'attribute'>).attribute;
        const n = nextContent(i);
        const cmp = sense(n);
        const num = sense(nextContent(n));
        if (cmp?.t === 'cmp' && num?.t === 'number') {
          f.filters.push({ kind: 'compare', attribute, op: cmp.op, value: num.value });
          consumed.add(n).add(nextContent(n));
          pending = null;
          break;
        }
        const fn = aggregateFor(attribute, pending);
        pending = null;
        pushMeasure({ kind: 'aggregate', fn, attribute }, i);
        break;
      }
      case 'agg': {
        const fn = (s as S<'agg'>).fn;
        if (fn === 'max' || fn === 'min') {
          const next = sense(nextContent(i));
          // "largest order" is a maximum of order values; "biggest revenue" is a ranking.
          const aggregable = next?.t === 'attribute' || (next?.t === 'metric' && next.metric === 'orders');
          if (!aggregable) {
            f.rank = { direction: fn === 'max' ? 'desc' : 'asc', kind: 'superlative', n: null, at: i };
            break;
          }
        }
        pending = { fn, howMany: (pending as PendingAgg | null)?.howMany ?? false };
        break;
      }
      case 'howMany':
        f.howMany = true;
        pending = { fn: 'count', howMany: true };
        break;
      case 'howMuch':
        f.howMuch = true;
        break;
      case 'dim': {
        const dim = (s as S<'dim'>).dim;
        const column = dim.kind === 'column' ? dim.column : null;
        if (column !== null && (remove || negate)) {
          f.removeColumns.push(column);
          break;
        }
        if (pending && (pending.fn === 'count' || pending.fn === 'distinct') && column !== null) {
          pushMeasure({ kind: 'distinct', column }, i);
          if (pending.fn === 'count' && column === 'product_id')
            f.measures[f.measures.length - 1]!.explicit = false;
          pending = null;
          break;
        }
        pending = null;
        const before = prevContent(i);
        if (sense(before)?.t === 'number' && !consumed.has(before)) {
          f.countBeforeDim = (sense(before) as S<'number'>).value;
          consumed.add(before);
        }
        if (column !== null && qualifiesValue(items, i, column)) break;
        if (describesAttribute(i)) break;
        const all = prevSense?.t === 'all';
        f.dims.push({ dim, at: i, plural: isPlural(lastToken(i)), all });
        break;
      }
      case 'grain':
        f.grain = { grain: (s as S<'grain'>).grain, plural: false, noun: false };
        pending = null;
        break;
      case 'grainNoun':
        if (pending?.fn === 'count') {
          pending = null;
          break;
        }
        f.grain = { grain: (s as S<'grainNoun'>).grain, plural: isPlural(lastToken(i)), noun: true };
        break;
      case 'value': {
        const v = s as S<'value'>;
        if (remove) f.removeColumns.push(v.column);
        else addValues(v.column, v.values);
        break;
      }
      case 'scope':
        f.scope = (s as S<'scope'>).eventType;
        break;
      case 'time':
        if (f.timeRange === undefined) f.timeRange = (s as S<'time'>).range;
        break;
      case 'allTime':
        f.timeRange = null;
        break;
      case 'trend':
        f.trend = true;
        break;
      case 'rank': {
        const r = s as S<'rank'>;
        let n: number | null = null;
        const next = nextContent(i);
        if (sense(next)?.t === 'number' && !consumed.has(next)) {
          n = (sense(next) as S<'number'>).value;
          consumed.add(next);
        } else if (lastNumber && lastNumber.at === prevContent(i)) n = lastNumber.value;
        // "the most" after "top": keep the cut.
        if (!(f.rank && f.rank.kind === 'top' && r.kind !== 'top'))
          f.rank = { direction: r.direction, kind: r.kind, n: n ?? f.rank?.n ?? null, at: i };
        break;
      }
      case 'rankMetric': {
        const r = s as S<'rankMetric'>;
        f.rankMetric = { measure: r.measure, direction: r.direction };
        if (f.rank === null) {
          const n = lastNumber && lastNumber.at === prevContent(i) ? lastNumber.value : null;
          f.rank = { direction: r.direction, kind: 'superlative', n, at: i };
        }
        break;
      }
      case 'number':
        lastNumber = { value: (s as S<'number'>).value, at: i };
        break;
      case 'cmp': {
        const op = (s as S<'cmp'>).op;
        const n = nextContent(i);
        const num = sense(n);
        if (num?.t !== 'number') break;
        consumed.add(n);
        const value = num.value;
        const p = prevContent(i, true);
        const before = f.measures[f.measures.length - 1];
        if (before && before.at === p && before.measure.kind === 'metric') {
          const metric = before.measure.metric;
          if (metric === 'orders') {
            f.filters.push({ kind: 'compare', attribute: 'order_value', op, value });
            // "revenue for orders over $50": here "orders" only names what is filtered.
            const said = sense(prevContent(before.at));
            if (said?.t === 'prep' || said?.t === 'only') f.measures.pop();
          } else f.havings.push({ metric, op, value });
        } else if (before && before.at === p && before.measure.kind === 'aggregate') {
          f.measures.pop();
          f.filters.push({ kind: 'compare', attribute: before.measure.attribute, op, value });
        } else pendingHaving = { op, value };
        break;
      }
      case 'discounted':
        f.filters.push({
          kind: 'compare',
          attribute: 'discount',
          op: (s as S<'discounted'>).has ? '>' : '=',
          value: 0,
        });
        break;
      case 'by':
      case 'per':
      case 'each':
        break;
      case 'negate':
        negate = true;
        continue;
      case 'remove':
        remove = true;
        continue;
      case 'only':
        if (!seenContent) f.cue = true;
        break;
      case 'also':
        f.also = true;
        if (!seenContent) f.cue = true;
        break;
      case 'instead':
        f.instead = true;
        if (!seenContent) f.cue = true;
        break;
      case 'followup':
        if (!seenContent) f.cue = true;
        break;
      case 'and':
        if (!seenContent && i === 0) f.cue = true;
        if (negate && (sense(nextContent(i))?.t === 'value' || sense(nextContent(i))?.t === 'negate'))
          continue;
        break;
      case 'ref':
        f.ref = true;
        break;
      case 'all':
        break;
      case 'showAll':
        f.showAll = true;
        break;
      case 'collapse':
        f.collapse = true;
        break;
      case 'table': {
        f.table = (s as S<'table'>).table;
        if (f.table === 'quarantine_events') f.quality = true;
        break;
      }
      case 'quality':
        f.quality = true;
        break;
      case 'compare':
        f.compare = true;
        break;
      case 'corr':
        f.corr = true;
        break;
      case 'unsupported':
        f.unsupported ??= {
          topic: (s as S<'unsupported'>).topic,
          reason: (s as S<'unsupported'>).reason,
          suggestion: (s as S<'unsupported'>).suggestion,
        };
        break;
      case 'wh':
        f.wh = true;
        break;
      case 'identifier':
        f.unknownIdentifiers.push((s as { name: string }).name);
        break;
      case 'unknown': {
        const w = item.tokens[0]!.text;
        const before = items[i - 1]?.tokens[0]?.lower;
        const after = items[i + 1]?.tokens[0]?.lower;
        const named = ['table', 'column', 'field'];
        if (before !== undefined && named.includes(before)) f.unknownNamed.push({ name: w, kind: before });
        else if (after !== undefined && named.includes(after)) f.unknownNamed.push({ name: w, kind: after });
        else if (captureValue(items, i, f)) break;
        else {
          f.unknown.push(w);
          if (prevSense?.t === 'prep' || prevSense?.t === 'by' || prevSense?.t === 'per')
            f.unknownAfterPreposition.push(w);
        }
        break;
      }
      case 'stop': {
        // "the orders table": a name said as a table that is not one.
        const t = item.tokens[0]!.lower;
        const p = items[i - 1];
        if (
          (t === 'table' || t === 'tables') &&
          p &&
          !['table', 'stop', 'prep', 'unknown', 'quality'].includes(p.sense.t)
        )
          f.unknownNamed.push({ name: p.tokens.map((x) => x.text).join(' '), kind: 'table' });
        break;
      }
      case 'prep':
      case 'filterWord':
        break;
    }
    // Negation reaches over a list of values ("not mobile or tablet") and no further; removal
    // ("remove the country filter") lasts to the end of the question.
    if (s.t !== 'value' && s.t !== 'and' && s.t !== 'stop' && s.t !== 'prep' && s.t !== 'filterWord')
      negate = false;
  }
  if (remove && f.removeColumns.length === 0) f.removeAll = true;
  if (items[0]?.tokens[0]?.lower === 'where' && f.dims.length === 0)
    f.dims.push({ dim: { kind: 'column', column: 'country' }, at: 0, plural: true, all: false });
  finish(f);
  return f;
}

/** "average revenue" is the average order value; "number of sales" is orders; "largest order" a max. */
function measureWithAggregate(metric: MetricId, pending: PendingAgg | null): Measure {
  if (!pending) return { kind: 'metric', metric };
  const orderLike = metric === 'revenue' || metric === 'orders' || metric === 'avg_order_value';
  switch (pending.fn) {
    case 'avg':
      if (metric === 'revenue' || metric === 'orders') return { kind: 'metric', metric: 'avg_order_value' };
      if (metric === 'units') return { kind: 'metric', metric: 'basket_size' };
      return { kind: 'metric', metric };
    case 'max':
    case 'min':
    case 'median':
      return orderLike
        ? { kind: 'aggregate', fn: pending.fn, attribute: 'order_value' }
        : { kind: 'metric', metric };
    case 'count':
      return { kind: 'metric', metric: metric === 'revenue' ? 'orders' : metric };
    default:
      return { kind: 'metric', metric };
  }
}

function aggregateFor(attribute: string, pending: PendingAgg | null): AggregateFn {
  if (pending && pending.fn !== 'count' && pending.fn !== 'distinct') return pending.fn;
  if (pending?.fn === 'count') return 'sum';
  return attribute === 'price' || attribute === 'order_value' || attribute === 'discount_rate'
    ? 'avg'
    : 'sum';
}

/** A dimension word next to a value of its own column ("tablet devices", "the UK market"). */
function qualifiesValue(items: Item[], i: number, column: string): boolean {
  for (const j of [i - 1, i + 1, i + 2]) {
    const s = items[j]?.sense;
    if (j === i + 2 && items[i + 1]?.sense.t !== 'stop') continue;
    if (s?.t === 'value' && s.column === column) return true;
  }
  return false;
}

/** Columns whose values are open-ended names ("the widgets category", "the tiktok referrer"). */
const CAPTURABLE = new Set(['category_id', 'referrer']);

/** An unknown word beside a dimension word becomes that column's value ("the widgets category"). */
function captureValue(items: Item[], i: number, f: Frame): boolean {
  for (const j of [i + 1, i - 1]) {
    const s = items[j]?.sense;
    if (s?.t !== 'dim' || s.dim.kind !== 'column' || !CAPTURABLE.has(s.dim.column)) continue;
    const raw = items[i]!.tokens[0]!.text;
    const column = s.dim.column;
    const v =
      column === 'country' || column === 'currency'
        ? raw.toUpperCase()
        : column === 'category_id'
          ? raw.toLowerCase().replaceAll('-', '_')
          : raw.toLowerCase();
    f.filters.push({ kind: 'values', column, values: [v], negated: false });
    // The dimension word only qualified the value.
    const at = f.dims.findIndex((d) => d.at === j);
    if (at >= 0) f.dims.splice(at, 1);
    else items[j] = { ...items[j]!, sense: { t: 'stop' } };
    return true;
  }
  return false;
}

/** Clean-ups that need the whole question. */
function finish(f: Frame): void {
  const rankByMeasure = f.rankBy === null ? undefined : f.measures[f.rankBy];
  // "brought in the most money", "how engaged are users": one measure said twice.
  f.measures = f.measures.filter(
    (m, i) => f.measures.findIndex((x) => sameMeasure(x.measure, m.measure)) === i,
  );
  // "revenue from mobile users": "users" qualified the value.
  if (f.measures.length > 1)
    f.measures = f.measures.filter((m) => !m.qualifier || f.measures.every((x) => x.qualifier));
  // "the 5 countries with the most views", "show 5 products by revenue".
  if (f.countBeforeDim !== null) {
    if (f.rank === null) f.rank = { direction: 'desc', kind: 'top', n: f.countBeforeDim, at: -1 };
    else if (f.rank.n === null) f.rank.n = f.countBeforeDim;
  }
  // "average basket size for purchases": an event noun after a preposition scopes the other measure.
  if (f.measures.length > 1) {
    for (const m of [...f.measures]) {
      if (m.scopeNoun === null || f.measures.length < 2) continue;
      f.scope ??= m.scopeNoun;
      f.measures.splice(f.measures.indexOf(m), 1);
    }
  }
  if (rankByMeasure !== undefined) {
    const index = f.measures.indexOf(rankByMeasure);
    f.rankBy = index >= 0 ? index : null;
  }
  // "how many products were sold" counts units; "how many distinct products" counts products.
  for (const m of f.measures) {
    if (
      m.measure.kind === 'distinct' &&
      m.measure.column === 'product_id' &&
      !m.explicit &&
      f.scope === 'purchase'
    ) {
      m.measure = { kind: 'metric', metric: 'units' };
      f.scope = null;
    }
    m.explicit = true;
  }
  if (f.corr) {
    const attributes = f.measures.map((m) => attributeOf(m.measure)).filter((a): a is string => a !== null);
    const [x, y] = attributes;
    if (x !== undefined && y !== undefined) {
      const first = f.measures[0]!;
      const scoped =
        attributes.includes('order_value') ||
        f.measures.some((m) => m.measure.kind === 'metric' && m.measure.metric === 'units');
      f.measures = [
        { measure: { kind: 'correlation', x, y }, at: first.at, explicit: true, scopeNoun: null },
      ];
      if (scoped) f.scope ??= 'purchase';
      f.rankBy = null;
    }
  }
  if (f.rankMetric) {
    const wanted = f.rankMetric.measure;
    const index = f.measures.findIndex((m) => sameMeasure(m.measure, wanted));
    if (index >= 0) f.rankBy ??= index;
    else if (f.rankBy === null) {
      // "most viewed products" with a scope word for the same event type needs no second scope.
      f.measures.unshift({ measure: wanted, at: f.rank?.at ?? 0, explicit: true, scopeNoun: null });
      f.rankBy = 0;
    }
  }
}

function attributeOf(m: Measure): string | null {
  if (m.kind === 'aggregate') return m.attribute;
  if (m.kind !== 'metric') return null;
  if (m.metric === 'revenue' || m.metric === 'avg_order_value' || m.metric === 'orders') return 'order_value';
  if (m.metric === 'units' || m.metric === 'basket_size') return 'quantity';
  return null;
}
