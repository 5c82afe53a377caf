// Plan → one line of plain English: what is computed, over which table, grouped how, with
// which filters, over which time range, in which order.
import { measureAlias, measureLabel } from './measureInfo.js';
import type { Dimension, Filter, Plan, TimeRange } from './Plan.js';

const COLUMN_WORDS: Readonly<Record<string, string>> = {
  device_type: 'device type',
  category_id: 'category',
  product_id: 'product',
  user_id: 'user',
  session_id: 'session',
  event_type: 'event type',
  ua: 'user agent',
  kafka_partition: 'Kafka partition',
  source_partition: 'source partition',
};

function dimensionWords(d: Dimension): string {
  switch (d.kind) {
    case 'column':
      return COLUMN_WORDS[d.column] ?? d.column.replaceAll('_', ' ');
    case 'time':
      return d.grain;
    case 'hour_of_day':
      return 'hour of day';
    case 'day_of_week':
      return 'day of week';
    case 'reason_code':
      return 'rejection code';
  }
}

function filterWords(f: Filter, plan: Plan): string {
  switch (f.kind) {
    case 'values': {
      const column = COLUMN_WORDS[f.column] ?? f.column.replaceAll('_', ' ');
      const values = f.values.join(' or ');
      return `${column} ${f.negated ? 'is not' : 'is'} ${values}`;
    }
    case 'compare':
      return `${f.attribute === 'order_value' ? 'order value' : f.attribute.replaceAll('_', ' ')} ${f.op} ${f.value}`;
    case 'having': {
      const m = plan.measures[f.measure];
      return `${m ? measureAlias(m) : 'the measure'} ${f.op} ${f.value}`;
    }
  }
}

const pad = (n: number) => String(n).padStart(2, '0');
const day = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
const minute = (d: Date) => `${day(d)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
const UNIT_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000, week: 7 * 86_400_000 } as const;

/** Words for a time range; with `now`, the instants it resolves to. */
export function timeRangeWords(range: TimeRange, now?: Date): string {
  const midnight = now
    ? new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()))
    : undefined;
  switch (range.kind) {
    case 'today':
      return midnight ? `today (since ${minute(midnight)})` : 'today (since UTC midnight)';
    case 'yesterday':
      return midnight
        ? `yesterday (${day(new Date(midnight.getTime() - UNIT_MS.day))}, UTC)`
        : 'yesterday (the previous UTC day)';
    case 'days_ago':
      return midnight
        ? `on ${day(new Date(midnight.getTime() - range.days * UNIT_MS.day))} (UTC)`
        : `the UTC day ${range.days} days ago`;
    case 'last': {
      const unit = range.amount === 1 ? range.unit : `${range.unit}s`;
      const words = `in the last ${range.amount === 1 ? '' : `${range.amount} `}${unit}`;
      if (!now) return words;
      const since =
        range.unit === 'month'
          ? new Date(
              Date.UTC(
                now.getUTCFullYear(),
                now.getUTCMonth() - range.amount,
                now.getUTCDate(),
                now.getUTCHours(),
                now.getUTCMinutes(),
              ),
            )
          : new Date(now.getTime() - range.amount * UNIT_MS[range.unit]);
      return `${words} (since ${minute(since)})`;
    }
    case 'this':
      return `this ${range.unit} so far`;
    case 'on':
      return `on ${range.date} (UTC)`;
    case 'since':
      return `since ${range.date} (UTC)`;
    case 'between':
      return `from ${range.from} to ${range.to} (UTC, inclusive)`;
  }
}

function capitalise(s: string): string {
  return s.length === 0 ? s : s[0]!.toUpperCase() + s.slice(1);
}

function list(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/** One line describing what `plan` computes. */
export function explainPlan(plan: Plan, now?: Date): string {
  const parts: string[] = [];
  let head = list(plan.measures.map(measureLabel));
  if (plan.dimensions.length > 0) {
    const time = plan.dimensions.filter((d) => d.kind === 'time');
    const other = plan.dimensions.filter((d) => d.kind !== 'time');
    if (time.length > 0) head += ` per ${time.map(dimensionWords).join(' and ')}`;
    if (other.length > 0) head += ` by ${other.map(dimensionWords).join(' and ')}`;
  }
  parts.push(`${capitalise(head)} from ${plan.source}`);
  const filters = plan.filters.map((f) => filterWords(f, plan));
  if (filters.length > 0) parts.push(`where ${filters.join(' and ')}`);
  parts.push(plan.timeRange ? timeRangeWords(plan.timeRange, now) : 'over all time');
  if (plan.order?.by === 'measure' && plan.dimensions.length > 0) {
    const m = plan.measures[plan.order.measure];
    const by = m ? measureLabel(m).split(' (')[0] : 'the measure';
    const cut = plan.limit === null ? '' : plan.limit === 1 ? ', first only' : `, top ${plan.limit}`;
    parts.push(`${plan.order.direction === 'desc' ? 'highest' : 'lowest'} ${by} first${cut}`);
  } else if (plan.order?.by === 'dimensions') {
    parts.push(`in time order${plan.limit === null ? '' : `, first ${plan.limit}`}`);
  } else if (plan.limit !== null) parts.push(`at most ${plan.limit} rows`);
  return `${parts.join(', ')}.`;
}
