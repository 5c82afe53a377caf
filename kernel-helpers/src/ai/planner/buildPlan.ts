// Frame (+ the previous turn's Plan) → Plan: defaults, follow-up edits, the table that answers
// it (gold_kpis for per-minute series, quarantine_events for data quality, silver_events
// otherwise), and a check that every column it needs is in that table's schema.
import { measureColumns, measureLabel, measureScope, sameMeasure } from './measureInfo.js';
import { METRICS } from './metrics.js';
import type {
  Dimension,
  Filter,
  Measure,
  MetricId,
  Order,
  Plan,
  PlanEventType,
  TimeGrain,
  TimeRange,
} from './Plan.js';
import type { PlannerContext, TableSchema } from './PlannerContext.js';
import type { Frame } from './readQuestion.js';
import { findTable, hasColumn, isNumericType, TABLE_ROLES, timeColumnOf } from './tableRoles.js';

export type BuildResult =
  | { success: true; plan: Plan; followUp: boolean }
  | { success: false; reason: string; suggestions: string[] };

/** A plan before its table is chosen. */
interface Draft {
  measures: Measure[];
  dims: Dimension[];
  filters: Filter[];
  timeRange: TimeRange | null;
  order: Order | null;
  limit: number | null;
  /** A table the question named, or the quarantine/bronze table its measures live in. */
  table: string | null;
  /** Dimensions and filters carried over from the previous turn (dropped if the new table lacks them). */
  inherited: Set<Dimension | Filter>;
}

export const EXAMPLE_QUESTIONS = [
  "What's our revenue trend in the last 24 hours?",
  'Top 5 countries by page views today',
  'How many unique users visited in the last hour?',
  'Which products have the highest cart abandonment rate?',
  'Are there any data quality issues in the last hour?',
];

const fail = (reason: string, suggestions: string[] = EXAMPLE_QUESTIONS.slice(0, 3)): BuildResult => ({
  success: false,
  reason,
  suggestions,
});

/** Builds the Plan for `frame`, as a follow-up of the last turn when it reads as one. Pure. */
export function buildPlan(frame: Frame, context: PlannerContext): BuildResult {
  if (frame.unknownIdentifiers.length > 0) {
    const names = frame.unknownIdentifiers.map((n) => `'${n}'`).join(', ');
    return fail(
      `The lakehouse has no column or table named ${names}. Tables: ${tableList(context.tables)}.`,
      columnSuggestions(context.tables),
    );
  }
  if (frame.unknownNamed.length > 0) {
    const { name, kind } = frame.unknownNamed[0]!;
    return fail(
      `There is no ${kind} '${name}' in the lakehouse. Tables: ${tableList(context.tables)}.`,
      columnSuggestions(context.tables),
    );
  }
  if (frame.unsupported) {
    return fail(`I can't answer that: ${frame.unsupported.reason}.`, [
      frame.unsupported.suggestion,
      ...EXAMPLE_QUESTIONS.filter((q) => q !== frame.unsupported!.suggestion).slice(0, 2),
    ]);
  }
  const previous = lastPlan(context);
  const followUp =
    previous !== null &&
    (frame.cue ||
      frame.ref ||
      (frame.measures.length === 0 && !frame.quality && !frame.table && !frame.howMuch));
  if (frame.unknownAfterPreposition.length > 0) {
    const words = frame.unknownAfterPreposition.map((w) => `'${w}'`).join(', ');
    return fail(
      `I don't know what ${words} refers to in this data: it is not a country, device, referrer, currency, category, product or time range I recognise.`,
    );
  }
  let draft: Draft | BuildResult;
  if (followUp) draft = mergeFollowUp(previous!, frame);
  else if (frame.removeAll || frame.removeColumns.length > 0) {
    return fail(
      frame.table !== null || previous === null
        ? 'The assistant only reads the lakehouse: it does not drop, delete or change data, and there is no earlier answer whose filters could be removed.'
        : 'There is nothing to remove: ask the question again without that filter.',
    );
  } else {
    if (frame.cue && previous === null && frame.measures.length === 0)
      return fail(
        'This reads like a follow-up, but there is no earlier question in this conversation to refine.',
      );
    draft = freshDraft(frame);
  }
  if ('success' in draft) return draft;
  const resolved = resolve(draft, context.tables);
  if (!resolved.success) return resolved;
  return { success: true, plan: resolved.plan, followUp };
}

function lastPlan(context: PlannerContext): Plan | null {
  for (let i = context.conversation.length - 1; i >= 0; i--) {
    const plan = context.conversation[i]?.plan;
    if (plan) return plan;
  }
  return null;
}

// ------------------------------------------------------------------ a fresh question

function defaultMeasure(frame: Frame): MetricId | null {
  if (frame.scope === 'purchase') return frame.howMuch ? 'revenue' : 'units';
  if (frame.scope === 'page_view') return 'page_views';
  if (frame.scope === 'add_to_cart') return 'cart_adds';
  if (frame.howMuch) return 'revenue';
  if (frame.quality || frame.table === TABLE_ROLES.quarantine) return 'quarantined';
  if (frame.table === TABLE_ROLES.bronze) return 'records';
  if (frame.unknown.length > 0) return null;
  // A ranking without a measure: products and categories by units sold, anything else by revenue.
  if (frame.rank && frame.rank.kind !== 'sort' && frame.dims.length > 0) {
    const main = [...frame.dims].sort((a, b) => a.at - b.at)[0]!.dim;
    const column = main.kind === 'column' ? main.column : '';
    return column === 'product_id' || column === 'category_id' ? 'units' : 'revenue';
  }
  if (frame.dims.length > 0 || frame.grain || frame.table) return 'events';
  return null;
}

function freshDraft(frame: Frame): Draft | BuildResult {
  let measures = frame.measures.map((m) => m.measure);
  let scope = frame.scope;
  if (measures.length === 0) {
    const metric = defaultMeasure(frame);
    if (metric === null) {
      const unknown =
        frame.unknown.length > 0 ? ` (I don't know ${frame.unknown.map((w) => `'${w}'`).join(', ')})` : '';
      return fail(
        `I couldn't find anything to measure in the question${unknown}. Ask for a measure such as revenue, orders, average order value, conversion rate, active users, page views or data quality issues.`,
      );
    }
    measures = [{ kind: 'metric', metric }];
    if (METRICS[metric].scope === scope) scope = null;
  }
  const quarantine = frame.quality || frame.table === TABLE_ROLES.quarantine;
  if (quarantine && measures.every(isCountLike)) measures = [{ kind: 'metric', metric: 'quarantined' }];
  const table =
    frame.table ??
    (measures.every((m) => m.kind === 'metric' && m.metric === 'quarantined')
      ? TABLE_ROLES.quarantine
      : measures.every((m) => m.kind === 'metric' && m.metric === 'records')
        ? TABLE_ROLES.bronze
        : null);
  const dims: Dimension[] = [];
  const grain = frame.grain?.grain ?? (frame.trend ? autoGrain(frame.timeRange ?? null) : null);
  if (grain) dims.push({ kind: 'time', grain });
  for (const d of frame.dims) if (!dims.some((x) => sameDim(x, d.dim))) dims.push(d.dim);
  if (table === TABLE_ROLES.quarantine && dims.length === 0 && !frame.howMany)
    dims.push({ kind: 'column', column: 'reason' });
  const filters: Filter[] = frame.filters.map((x) => ({ ...x }));
  addCompareDims(frame, filters, dims);
  addScope(filters, measures, scope);
  for (const h of frame.havings) {
    let index = measures.findIndex((m) => m.kind === 'metric' && m.metric === h.metric);
    if (index < 0) {
      measures.push({ kind: 'metric', metric: h.metric });
      index = measures.length - 1;
    }
    filters.push({ kind: 'having', measure: index, op: h.op, value: h.value });
  }
  const { order, limit } = orderAndLimit(frame, measures, dims, null, null);
  return {
    measures,
    dims,
    filters,
    timeRange: frame.timeRange ?? null,
    order,
    limit: frame.showAll ? null : limit,
    table,
    inherited: new Set(),
  };
}

function isCountLike(m: Measure): boolean {
  return m.kind === 'metric' && ['events', 'quarantined', 'records'].includes(m.metric);
}

/** The bucket for "trend" / "over time": minutes within a few hours, hours within a few days, else days. */
export function autoGrain(range: TimeRange | null): TimeGrain {
  if (range === null) return 'day';
  switch (range.kind) {
    case 'today':
    case 'yesterday':
    case 'days_ago':
    case 'on':
      return 'hour';
    case 'this':
      return range.unit === 'hour' ? 'minute' : range.unit === 'year' ? 'month' : 'day';
    case 'last': {
      const hours = { minute: 1 / 60, hour: 1, day: 24, week: 168, month: 720 }[range.unit] * range.amount;
      return hours <= 3 ? 'minute' : hours <= 72 ? 'hour' : hours <= 24 * 120 ? 'day' : 'week';
    }
    case 'since':
    case 'between':
      return 'day';
  }
}

function sameDim(a: Dimension, b: Dimension): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'column' && b.kind === 'column') return a.column === b.column;
  if (a.kind === 'time' && b.kind === 'time') return true;
  return true;
}

/** "mobile vs desktop": a filter with several values of a column also groups by it. */
function addCompareDims(frame: Frame, filters: Filter[], dims: Dimension[]): void {
  if (!frame.compare) return;
  for (const f of filters)
    if (
      f.kind === 'values' &&
      !f.negated &&
      f.values.length > 1 &&
      !dims.some((d) => d.kind === 'column' && d.column === f.column)
    )
      dims.push({ kind: 'column', column: f.column });
}

/**
 * Adds an event-type filter for a scope word ("added to cart", "for purchases") unless a measure
 * already means one event type (then it is redundant, or contradicts the measure's definition).
 */
function addScope(filters: Filter[], measures: Measure[], scope: PlanEventType | null): void {
  for (let i = filters.length - 1; i >= 0; i--) {
    const f = filters[i]!;
    if (f.kind === 'values' && f.column === 'event_type' && scope !== null) filters.splice(i, 1);
  }
  if (scope === null) return;
  const scopes = measures.map(measureScope);
  if (scopes.some((s) => s !== null)) return;
  filters.push({ kind: 'values', column: 'event_type', values: [scope], negated: false });
}

function orderAndLimit(
  frame: Frame,
  measures: Measure[],
  dims: Dimension[],
  previousOrder: Order | null,
  previousLimit: number | null,
): { order: Order | null; limit: number | null } {
  // Hours, weekdays and time buckets have a natural order; countries and products are ranked.
  const isOrdinal = (d: Dimension) =>
    d.kind === 'time' || d.kind === 'hour_of_day' || d.kind === 'day_of_week';
  const categorical = dims.filter((d) => !isOrdinal(d));
  const hasTime = dims.some(isOrdinal);
  if (frame.rank && measures.length > 0 && dims.length > 0) {
    const after = frame.measures.findIndex((m) => m.at > frame.rank!.at);
    let index = frame.rankBy ?? (after >= 0 ? after : 0);
    if (frame.rankMetric && frame.rankBy === null) {
      const byMetric = measures.findIndex((m) => sameMeasure(m, frame.rankMetric!.measure));
      if (byMetric >= 0) index = byMetric;
    }
    index = Math.min(index, measures.length - 1);
    const main = [...frame.dims].sort((a, b) => a.at - b.at)[0];
    const plural = main ? main.plural : frame.grain ? frame.grain.plural : !frame.wh;
    const singularAsked = main !== undefined || frame.grain !== null || frame.wh;
    let limit = frame.rank.n;
    if (limit === null) {
      if (frame.rank.kind === 'sort') limit = previousLimit;
      else if (frame.rank.kind === 'top') limit = plural || !singularAsked ? (previousLimit ?? 10) : 1;
      else limit = plural || !singularAsked ? null : 1;
    }
    // "worst abandonment" is the highest abandonment rate.
    const target = measures[index]!;
    const flip =
      frame.rank.kind === 'judgement' &&
      target.kind === 'metric' &&
      METRICS[target.metric].higherIsWorse === true;
    const direction = flip ? (frame.rank.direction === 'asc' ? 'desc' : 'asc') : frame.rank.direction;
    return { order: { by: 'measure', measure: index, direction }, limit };
  }
  if (previousOrder) return { order: previousOrder, limit: previousLimit };
  if (categorical.length > 0 && !hasTime && measures.length > 0)
    return { order: { by: 'measure', measure: 0, direction: 'desc' }, limit: previousLimit };
  if (hasTime) return { order: { by: 'dimensions' }, limit: previousLimit };
  return { order: null, limit: previousLimit };
}

// ------------------------------------------------------------------ a follow-up

function mergeFollowUp(prev: Plan, frame: Frame): Draft | BuildResult {
  const special = prev.source === TABLE_ROLES.quarantine || prev.source === TABLE_ROLES.bronze;
  let measures = prev.measures.map((m) => ({ ...m }) as Measure);
  let filters: Filter[] = prev.filters.map((f) => structuredClone(f));
  let dims: Dimension[] = prev.dimensions.map((d) => ({ ...d }));
  let table = special ? prev.source : null;
  let previousOrder = prev.order;
  let previousLimit = prev.limit;
  // "what about tablet users?": users that only qualify a value do not replace the measure.
  const newMeasures = frame.measures.filter((m) => !m.qualifier).map((m) => m.measure);
  if (newMeasures.length > 0) {
    if (frame.also) {
      for (const m of newMeasures) if (!measures.some((x) => sameMeasure(x, m))) measures.push(m);
    } else {
      measures = newMeasures;
      filters = filters.filter(
        (f) => f.kind !== 'having' && !(f.kind === 'values' && f.column === 'event_type'),
      );
      if (previousOrder?.by === 'measure') previousOrder = { ...previousOrder, measure: 0 };
      if (
        measures.some((m) => !(m.kind === 'metric' && (m.metric === 'quarantined' || m.metric === 'records')))
      )
        table = frame.table;
    }
  }
  if (frame.table) table = frame.table;
  // Dimensions: "break it down by device" adds; "by country instead" replaces.
  const newDims = frame.dims.filter((d) => !d.all).map((d) => d.dim);
  if (newDims.length > 0) {
    if (frame.instead) dims = dims.filter((d) => d.kind === 'time');
    for (const d of newDims) if (!dims.some((x) => sameDim(x, d))) dims.push(d);
  }
  if (frame.collapse) dims = [];
  const grain =
    frame.grain?.grain ??
    (frame.trend && !dims.some((d) => d.kind === 'time')
      ? autoGrain(frame.timeRange ?? prev.timeRange)
      : null);
  if (grain) dims = [{ kind: 'time', grain }, ...dims.filter((d) => d.kind !== 'time')];
  // Filters: a new value for a column replaces that column's filter ("now for the UK"), or joins
  // it with "also" / "too".
  for (const f of frame.filters) {
    if (f.kind === 'values') {
      const same = filters.find(
        (x): x is Extract<Filter, { kind: 'values' }> =>
          x.kind === 'values' && x.column === f.column && x.negated === f.negated,
      );
      if (frame.also && same) {
        for (const v of f.values) if (!same.values.includes(v)) same.values.push(v);
      } else {
        filters = filters.filter((x) => !(x.kind === 'values' && x.column === f.column));
        filters.push({ ...f, values: [...f.values] });
      }
    } else if (f.kind === 'compare') {
      filters = filters.filter((x) => !(x.kind === 'compare' && x.attribute === f.attribute));
      filters.push(f);
    }
  }
  const removed = new Set([
    ...frame.removeColumns,
    ...frame.dims
      .filter((d) => d.all && d.dim.kind === 'column')
      .map((d) => (d.dim as { column: string }).column),
  ]);
  if (frame.removeAll)
    filters = filters.filter(
      (f) => f.kind === 'having' || (f.kind === 'values' && f.column === 'event_type'),
    );
  for (const column of removed) {
    const before = filters.length;
    filters = filters.filter(
      (f) =>
        !(
          (f.kind === 'values' || f.kind === 'compare') &&
          ('column' in f ? f.column : f.attribute) === column
        ),
    );
    if (filters.length === before) dims = dims.filter((d) => !(d.kind === 'column' && d.column === column));
  }
  addCompareDims(frame, filters, dims);
  const scope = frame.scope ?? scopeOf(filters);
  addScope(filters, measures, scope);
  for (const h of frame.havings) {
    let index = measures.findIndex((m) => m.kind === 'metric' && m.metric === h.metric);
    if (index < 0) {
      measures.push({ kind: 'metric', metric: h.metric });
      index = measures.length - 1;
    }
    filters.push({ kind: 'having', measure: index, op: h.op, value: h.value });
  }
  const hadCategorical = prev.dimensions.some((d) => d.kind !== 'time');
  if (!hadCategorical && dims.some((d) => d.kind !== 'time') && previousOrder?.by !== 'measure')
    previousOrder = null;
  if (previousOrder?.by === 'measure' && previousOrder.measure >= measures.length)
    previousOrder = { ...previousOrder, measure: 0 };
  if (dims.length === 0) {
    previousOrder = null;
    previousLimit = null;
  }
  const { order, limit } = orderAndLimit(frame, measures, dims, previousOrder, previousLimit);
  const inherited = new Set<Dimension | Filter>([
    ...dims.filter((d) => prev.dimensions.some((p) => JSON.stringify(p) === JSON.stringify(d))),
    ...filters.filter((f) => prev.filters.some((p) => JSON.stringify(p) === JSON.stringify(f))),
  ]);
  return {
    measures,
    dims,
    filters,
    timeRange: frame.timeRange === undefined ? prev.timeRange : frame.timeRange,
    order,
    limit: frame.showAll ? null : limit,
    table,
    inherited,
  };
}

function scopeOf(filters: Filter[]): PlanEventType | null {
  const f = filters.find(
    (x) => x.kind === 'values' && x.column === 'event_type' && !x.negated && x.values.length === 1,
  );
  return f && f.kind === 'values' ? (f.values[0] as PlanEventType) : null;
}

// ------------------------------------------------------------------ the table and its columns

function goldColumns(measures: Measure[]): string[] | null {
  const columns: string[] = [];
  for (const m of measures) {
    if (m.kind !== 'metric') return null;
    const gold = METRICS[m.metric].gold;
    if (!gold) return null;
    for (const c of gold) if (!columns.includes(c)) columns.push(c);
  }
  return columns;
}

function goldAnswers(draft: Draft, gold: TableSchema | undefined): boolean {
  if (!gold) return false;
  const only = draft.dims.length === 1 ? draft.dims[0] : undefined;
  if (!only || only.kind !== 'time' || only.grain !== 'minute') return false;
  if (draft.filters.length > 0) return false;
  const columns = goldColumns(draft.measures);
  return columns !== null && [...columns, 'window_start', 'window_end'].every((c) => hasColumn(gold, c));
}

/** Measures said in words meant for the events table, read on the quarantine or bronze table. */
function countsOn(table: string, measures: Measure[]): Measure[] | null {
  const metric: MetricId = table === TABLE_ROLES.quarantine ? 'quarantined' : 'records';
  if (!measures.every(isCountLike)) return null;
  return [{ kind: 'metric', metric }];
}

function resolve(
  draft: Draft,
  tables: readonly TableSchema[],
): { success: true; plan: Plan } | { success: false; reason: string; suggestions: string[] } {
  let measures = draft.measures;
  let source: string;
  const explicit = draft.table;
  if (explicit === TABLE_ROLES.quarantine || explicit === TABLE_ROLES.bronze) {
    const counted = countsOn(explicit, measures);
    if (!counted)
      return fail(
        `${explicit} holds ${explicit === TABLE_ROLES.quarantine ? 'rejected records with their reason' : 'raw Kafka records'}; it has no ${measures.map((m) => measureLabel(m).split(' (')[0]).join(' or ')}. Ask about the number of ${explicit === TABLE_ROLES.quarantine ? 'quarantined records by reason' : 'raw records by partition'} instead.`,
        ['Are there any data quality issues in the last hour?', 'How many events were quarantined today?'],
      );
    measures = counted;
    source = explicit;
  } else if (explicit === TABLE_ROLES.gold) {
    source = TABLE_ROLES.gold;
  } else if (explicit !== null && explicit !== TABLE_ROLES.events) {
    source = explicit;
  } else {
    source =
      !explicit && goldAnswers(draft, findTable(tables, TABLE_ROLES.gold))
        ? TABLE_ROLES.gold
        : TABLE_ROLES.events;
  }
  const schema = findTable(tables, source);
  if (!schema)
    return fail(
      `The lakehouse has no table ${source} to answer this from. Tables: ${tableList(tables)}.`,
      EXAMPLE_QUESTIONS.slice(0, 2),
    );
  let dims = draft.dims.map((d) =>
    source === TABLE_ROLES.bronze && d.kind === 'column' && d.column === 'source_partition'
      ? ({ kind: 'column', column: 'kafka_partition' } as Dimension)
      : d,
  );
  let filters = draft.filters;
  if (source === TABLE_ROLES.gold) {
    if (dims.length === 0) dims = [{ kind: 'time', grain: 'minute' }];
    if (!goldAnswers({ ...draft, dims, measures }, schema)) {
      return fail(
        'gold_kpis holds one row of KPIs per minute (total_events, page_views, cart_adds, orders, gmv, active_users, conversion_rate, avg_order_value, ...) without countries, devices or other dimensions; ask per minute, or ask without naming the table.',
        [
          'How many events per minute are we processing?',
          "What's the conversion rate trend in the last hour?",
        ],
      );
    }
  }
  const timeColumn = timeColumnOf(schema);
  // Carried-over dimensions and filters the new table lacks are dropped; said ones fail below.
  const missing = (column: string) => !hasColumn(schema, column);
  dims = dims.filter((d) => !(draft.inherited.has(d) && d.kind === 'column' && missing(d.column)));
  filters = filters.filter(
    (f) =>
      !(
        draft.inherited.has(f) &&
        ((f.kind === 'values' && missing(f.column)) || (f.kind === 'compare' && missing(f.attribute)))
      ),
  );
  const plan: Plan = {
    source: schema.name,
    timeColumn,
    measures,
    dimensions: dims,
    filters,
    timeRange: draft.timeRange,
    order: draft.order,
    limit: draft.limit,
  };
  if (plan.order?.by === 'measure' && plan.order.measure >= measures.length)
    plan.order = { ...plan.order, measure: 0 };
  if (plan.dimensions.length === 0 && plan.order?.by === 'dimensions') plan.order = null;
  const problem = checkColumns(plan, schema);
  if (problem) return fail(problem, columnSuggestions(tables));
  return { success: true, plan };
}

/** Why the plan can't run on `schema` (a missing column or time column), or null. */
function checkColumns(plan: Plan, schema: TableSchema): string | null {
  const needs: [column: string, what: string][] = [];
  if (plan.source === TABLE_ROLES.gold) {
    for (const c of goldColumns(plan.measures) ?? []) needs.push([c, 'the per-minute KPIs']);
  } else {
    for (const m of plan.measures) {
      const label = measureLabel(m).split(' (')[0]!;
      for (const c of measureColumns(m)) needs.push([c, label]);
      if (m.kind === 'aggregate' && m.attribute !== 'order_value') {
        const col = schema.columns.find((x) => x.name.toLowerCase() === m.attribute.toLowerCase());
        if (col && !isNumericType(col.type))
          return `${schema.name}.${col.name} is not numeric, so it has no ${label}.`;
      }
    }
    for (const d of plan.dimensions)
      if (d.kind === 'column') needs.push([d.column, `a breakdown by ${d.column}`]);
    for (const d of plan.dimensions)
      if (d.kind === 'reason_code') needs.push(['reason', 'a breakdown by rejection code']);
  }
  for (const f of plan.filters) {
    if (f.kind === 'values') needs.push([f.column, `the filter on ${f.column}`]);
    if (f.kind === 'compare')
      for (const c of f.attribute === 'order_value' ? ['price', 'quantity'] : [f.attribute])
        needs.push([c, `the filter on ${f.attribute.replaceAll('_', ' ')}`]);
  }
  if (plan.source !== TABLE_ROLES.gold && plan.measures.some((m) => measureScope(m) !== null))
    needs.push(['event_type', 'the event types of the measures']);
  for (const [column, what] of needs)
    if (!hasColumn(schema, column))
      return `${schema.name} has no column '${column}', which ${what} needs. Its columns: ${schema.columns.map((c) => c.name).join(', ')}.`;
  const usesTime =
    plan.timeRange !== null || plan.dimensions.some((d) => d.kind !== 'column' && d.kind !== 'reason_code');
  if (usesTime && plan.timeColumn === null)
    return `${schema.name} has no timestamp column, so it can't be filtered or bucketed by time.`;
  return null;
}

function tableList(tables: readonly TableSchema[]): string {
  return tables.length === 0 ? '(none)' : tables.map((t) => t.name).join(', ');
}

function columnSuggestions(tables: readonly TableSchema[]): string[] {
  const events = findTable(tables, TABLE_ROLES.events);
  const out = [...EXAMPLE_QUESTIONS.slice(0, 2)];
  if (events) out.push(`Columns of ${events.name}: ${events.columns.map((c) => c.name).join(', ')}`);
  return out;
}
