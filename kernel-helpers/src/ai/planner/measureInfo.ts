// Facts about a Measure that planning, rendering and explaining share: its event scope, the
// columns it reads, its SQL alias and its words.
import { METRICS, type ValueFormat } from './metrics.js';
import type { Measure, PlanEventType } from './Plan.js';

/** The event type a measure is defined over; 'mixed' when it filters each part itself (ratios). */
export function measureScope(m: Measure): PlanEventType | null | 'mixed' {
  switch (m.kind) {
    case 'metric': {
      const def = METRICS[m.metric];
      return def.ratio ? 'mixed' : def.scope;
    }
    case 'aggregate':
      return m.attribute === 'order_value' ? 'purchase' : null;
    case 'distinct':
      return null;
    case 'per':
      return 'mixed';
    case 'correlation':
      return m.x === 'order_value' || m.y === 'order_value' ? 'purchase' : null;
  }
}

function attributeColumns(attribute: string): string[] {
  return attribute === 'order_value' ? ['price', 'quantity', 'event_type'] : [attribute];
}

/** Columns of the events table a measure reads. */
export function measureColumns(m: Measure): string[] {
  switch (m.kind) {
    case 'metric':
      return [...METRICS[m.metric].columns];
    case 'aggregate':
      return attributeColumns(m.attribute);
    case 'distinct':
      return [m.column];
    case 'per':
      return [
        ...METRICS[m.metric].columns,
        m.per === 'session' ? 'session_id' : 'user_id',
        ...(m.per === 'customer' || METRICS[m.metric].scope !== null ? ['event_type'] : []),
      ];
    case 'correlation':
      return [...attributeColumns(m.x), ...attributeColumns(m.y)];
  }
}

const PLURALS: Readonly<Record<string, string>> = {
  product_id: 'products',
  category_id: 'categories',
  user_id: 'users',
  session_id: 'sessions',
  country: 'countries',
  referrer: 'referrers',
  device_type: 'device_types',
  currency: 'currencies',
  event_type: 'event_types',
};

const FN_PREFIX: Readonly<Record<string, string>> = {
  avg: 'avg',
  sum: 'total',
  min: 'min',
  max: 'max',
  median: 'median',
};

const PER_WORD = { user: 'user', customer: 'customer', session: 'session' } as const;

/** The measure's column alias in SQL results. */
export function measureAlias(m: Measure): string {
  switch (m.kind) {
    case 'metric':
      return METRICS[m.metric].alias;
    case 'aggregate':
      return `${FN_PREFIX[m.fn]}_${m.attribute}`;
    case 'distinct':
      return `distinct_${PLURALS[m.column] ?? m.column}`;
    case 'per':
      return `${METRICS[m.metric].alias}_per_${PER_WORD[m.per]}`;
    case 'correlation':
      return `corr_${m.x}_${m.y}`;
  }
}

const FN_WORD: Readonly<Record<string, string>> = {
  avg: 'average',
  sum: 'total',
  min: 'minimum',
  max: 'maximum',
  median: 'median',
};

const attributeWords = (a: string) =>
  a === 'order_value' ? 'order value (price × quantity)' : a.replaceAll('_', ' ');

/** Plain words for a measure, with its definition ("revenue (sum of price × quantity over purchases)"). */
export function measureLabel(m: Measure): string {
  switch (m.kind) {
    case 'metric': {
      const def = METRICS[m.metric];
      return `${def.label} (${def.meaning})`;
    }
    case 'aggregate':
      return `${FN_WORD[m.fn]} ${attributeWords(m.attribute)}`;
    case 'distinct':
      return `distinct ${m.column.replace(/_id$/, '').replaceAll('_', ' ')}s`;
    case 'per':
      return `${METRICS[m.metric].label} per ${m.per === 'customer' ? 'buying user' : PER_WORD[m.per]}`;
    case 'correlation':
      return `correlation of ${attributeWords(m.x)} and ${attributeWords(m.y)}`;
  }
}

/** How the measure's values should be shown. */
export function measureFormat(m: Measure): ValueFormat {
  switch (m.kind) {
    case 'metric':
      return METRICS[m.metric].format;
    case 'aggregate':
      return m.attribute === 'price' || m.attribute === 'order_value' || m.attribute === 'discount'
        ? 'currency'
        : 'number';
    case 'distinct':
      return 'count';
    case 'per':
      return METRICS[m.metric].format === 'currency' ? 'currency' : 'number';
    case 'correlation':
      return 'number';
  }
}

/** Whether two measures are the same. */
export function sameMeasure(a: Measure, b: Measure): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
