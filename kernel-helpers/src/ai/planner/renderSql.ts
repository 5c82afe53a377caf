// Plan → SQL (DuckDB dialect, one SELECT the engine's guard accepts). Pure and deterministic:
// the same Plan always renders the same text. Identifiers are quoted when they need it and
// every literal is escaped or checked, so a Plan from anywhere renders safe SQL.
import { measureAlias, measureScope } from './measureInfo.js';
import { METRICS, type RatioPart } from './metrics.js';
import type { Dimension, Filter, Measure, Plan, PlanEventType, TimeRange } from './Plan.js';
import { TABLE_ROLES } from './tableRoles.js';

const RESERVED = new Set([
  'order',
  'group',
  'select',
  'from',
  'where',
  'table',
  'user',
  'limit',
  'having',
  'by',
  'to',
  'end',
]);
const GRAINS = new Set(['minute', 'hour', 'day', 'week', 'month']);
const FNS = new Set(['avg', 'sum', 'min', 'max', 'median']);
const OPS = new Set(['>', '>=', '<', '<=', '=']);
const INTERVAL_UNITS = { minute: 'MINUTE', hour: 'HOUR', day: 'DAY', week: 'DAY', month: 'MONTH' } as const;
const THIS_UNITS = new Set(['hour', 'week', 'month', 'year']);

/** A SQL identifier, double-quoted unless it is a plain lower-case name. */
export function quoteIdent(name: string): string {
  if (/^[a-z_][a-z0-9_]*$/.test(name) && !RESERVED.has(name)) return name;
  return `"${name.replaceAll('"', '""')}"`;
}

const literal = (v: string) => `'${v.replaceAll("'", "''")}'`;

function number(v: number): string {
  if (!Number.isFinite(v)) throw new RangeError(`plan: ${v} is not a finite number`);
  return String(v);
}

function positiveInteger(v: number, what: string): number {
  if (!Number.isInteger(v) || v < 1)
    throw new RangeError(`plan: ${what} must be a positive integer, got ${v}`);
  return v;
}

function date(v: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(v)))
    throw new RangeError(`plan: bad date ${v}`);
  return `DATE '${v}'`;
}

function grain(g: string): string {
  if (!GRAINS.has(g)) throw new RangeError(`plan: unknown time grain ${g}`);
  return g;
}

const filterOn = (scope: PlanEventType | null) =>
  scope === null ? '' : ` FILTER (WHERE event_type = ${literal(scope)})`;

function ratioPart(p: RatioPart): string {
  return `${p.aggregate}${filterOn(p.scope)}`;
}

/** The aggregate SQL of a measure; `where` is the event type the WHERE clause already restricts to. */
function measureSql(m: Measure, where: PlanEventType | null): string {
  const scope = measureScope(m);
  const own = scope === null || scope === 'mixed' || scope === where ? null : scope;
  switch (m.kind) {
    case 'metric': {
      const def = METRICS[m.metric];
      if (def.ratio) {
        const r = def.ratio;
        return `${r.oneMinus ? '1 - ' : ''}${ratioPart(r.numerator)} / ${ratioPart(r.denominator)}`;
      }
      return `${def.aggregate}${filterOn(own)}`;
    }
    case 'aggregate': {
      if (!FNS.has(m.fn)) throw new RangeError(`plan: unknown aggregate ${m.fn}`);
      const expr = m.attribute === 'order_value' ? 'price * quantity' : quoteIdent(m.attribute);
      return `${m.fn}(${expr})${filterOn(own)}`;
    }
    case 'distinct':
      return `count(DISTINCT ${quoteIdent(m.column)})`;
    case 'per': {
      const def = METRICS[m.metric];
      const numerator = def.ratio
        ? measureSql({ kind: 'metric', metric: m.metric }, null)
        : `${def.aggregate}${filterOn(def.scope === where ? null : def.scope)}`;
      const denominator =
        m.per === 'session'
          ? 'count(DISTINCT session_id)'
          : `count(DISTINCT user_id)${m.per === 'customer' && where !== 'purchase' ? filterOn('purchase') : ''}`;
      return `${numerator} / ${denominator}`;
    }
    case 'correlation': {
      const x = m.x === 'order_value' ? 'price * quantity' : quoteIdent(m.x);
      const y = m.y === 'order_value' ? 'price * quantity' : quoteIdent(m.y);
      return `corr(${x}, ${y})${filterOn(own)}`;
    }
  }
}

/** The WHERE condition of a time range on `column`. */
export function timeRangeSql(range: TimeRange, column: string): string {
  const c = quoteIdent(column);
  switch (range.kind) {
    case 'today':
      return `${c} >= current_date`;
    case 'yesterday':
      return `${c} >= current_date - INTERVAL 1 DAY AND ${c} < current_date`;
    case 'days_ago': {
      const n = positiveInteger(range.days, 'days');
      return `${c} >= current_date - INTERVAL ${n} DAY AND ${c} < current_date - INTERVAL ${n - 1} DAY`;
    }
    case 'last': {
      const unit = INTERVAL_UNITS[range.unit];
      if (!unit) throw new RangeError(`plan: unknown time unit ${range.unit}`);
      const n = positiveInteger(range.amount, 'amount') * (range.unit === 'week' ? 7 : 1);
      return `${c} >= now() - INTERVAL ${n} ${unit}`;
    }
    case 'this':
      if (!THIS_UNITS.has(range.unit)) throw new RangeError(`plan: unknown unit ${range.unit}`);
      return range.unit === 'hour'
        ? `${c} >= date_trunc('hour', now())`
        : `${c} >= date_trunc('${range.unit}', current_date)`;
    case 'on':
      return `${c} >= ${date(range.date)} AND ${c} < ${date(range.date)} + INTERVAL 1 DAY`;
    case 'since':
      return `${c} >= ${date(range.date)}`;
    case 'between':
      return `${c} >= ${date(range.from)} AND ${c} < ${date(range.to)} + INTERVAL 1 DAY`;
  }
}

function filterSql(f: Exclude<Filter, { kind: 'having' }>): string {
  if (f.kind === 'compare') {
    if (!OPS.has(f.op)) throw new RangeError(`plan: unknown comparison ${f.op}`);
    const expr = f.attribute === 'order_value' ? 'price * quantity' : quoteIdent(f.attribute);
    return `${expr} ${f.op} ${number(f.value)}`;
  }
  const c = quoteIdent(f.column);
  if (f.values.length === 0) throw new RangeError(`plan: filter on ${f.column} has no values`);
  if (f.values.length === 1) return `${c} ${f.negated ? '<>' : '='} ${literal(f.values[0]!)}`;
  return `${c} ${f.negated ? 'NOT IN' : 'IN'} (${f.values.map(literal).join(', ')})`;
}

interface DimSql {
  select: string[];
  /** GROUP BY / ORDER BY keys: names for columns, positions for expressions. */
  keys: string[];
}

function dimensionSql(d: Dimension, time: string | null, position: number): DimSql {
  const t = () => {
    if (time === null) throw new RangeError('plan: a time dimension needs a time column');
    return quoteIdent(time);
  };
  switch (d.kind) {
    case 'column':
      return { select: [quoteIdent(d.column)], keys: [quoteIdent(d.column)] };
    case 'time':
      return { select: [`date_trunc('${grain(d.grain)}', ${t()}) AS ${d.grain}`], keys: [String(position)] };
    case 'hour_of_day':
      return { select: [`hour(${t()}) AS hour_of_day`], keys: [String(position)] };
    case 'day_of_week':
      return {
        select: [`isodow(${t()}) AS day_number`, `dayname(${t()}) AS day_of_week`],
        keys: [String(position), String(position + 1)],
      };
    case 'reason_code':
      return { select: ["split_part(reason, ':', 1) AS code"], keys: [String(position)] };
  }
}

/** The WHERE restriction to one event type shared by every measure, if any. */
function sharedScope(plan: Plan): PlanEventType | null {
  if (plan.filters.some((f) => f.kind === 'values' && f.column === 'event_type')) return null;
  const scopes = plan.measures.map(measureScope);
  const first = scopes[0];
  if (first === undefined || first === null || first === 'mixed') return null;
  return scopes.every((s) => s === first) ? first : null;
}

function uniqueAliases(measures: Measure[]): string[] {
  const seen = new Map<string, number>();
  return measures.map((m) => {
    const alias = measureAlias(m);
    const n = (seen.get(alias) ?? 0) + 1;
    seen.set(alias, n);
    return n === 1 ? alias : `${alias}_${n}`;
  });
}

/** The SQL of a plan. @throws RangeError when the plan holds a value no SQL can be rendered for. */
export function renderSql(plan: Plan): string {
  if (plan.measures.length === 0) throw new RangeError('plan: no measures');
  if (plan.limit !== null) positiveInteger(plan.limit, 'limit');
  return plan.source === TABLE_ROLES.gold ? renderGold(plan) : renderAggregate(plan);
}

function renderGold(plan: Plan): string {
  const columns: string[] = [];
  const first: string[] = [];
  for (const m of plan.measures) {
    const gold = m.kind === 'metric' ? METRICS[m.metric].gold : null;
    if (!gold) throw new RangeError('plan: a gold_kpis plan needs metrics with per-minute columns');
    first.push(gold[0]!);
    for (const c of gold) if (!columns.includes(c)) columns.push(c);
  }
  const time = plan.timeColumn ?? 'window_start';
  const lines = [
    `SELECT window_start, window_end, ${columns.map(quoteIdent).join(', ')}`,
    `FROM ${quoteIdent(plan.source)}`,
  ];
  if (plan.timeRange) lines.push(`WHERE ${timeRangeSql(plan.timeRange, time)}`);
  if (plan.order?.by === 'measure') {
    const key = first[plan.order.measure] ?? first[0]!;
    lines.push(
      `ORDER BY ${quoteIdent(key)} ${plan.order.direction === 'asc' ? 'ASC' : 'DESC'}, window_start`,
    );
  } else lines.push('ORDER BY window_start');
  if (plan.limit !== null) lines.push(`LIMIT ${plan.limit}`);
  return lines.join('\n');
}

function renderAggregate(plan: Plan): string {
  const where = sharedScope(plan);
  const dims: DimSql[] = [];
  let position = 1;
  for (const d of plan.dimensions) {
    const sql = dimensionSql(d, plan.timeColumn, position);
    dims.push(sql);
    position += sql.select.length;
  }
  const aliases = uniqueAliases(plan.measures);
  const measures = plan.measures.map((m, i) => `${measureSql(m, where)} AS ${aliases[i]}`);
  const select = [...dims.flatMap((d) => d.select), ...measures];
  const conditions: string[] = [];
  if (where !== null) conditions.push(`event_type = ${literal(where)}`);
  for (const f of plan.filters) if (f.kind !== 'having') conditions.push(filterSql(f));
  if (plan.timeRange) {
    if (plan.timeColumn === null) throw new RangeError('plan: a time range needs a time column');
    conditions.push(timeRangeSql(plan.timeRange, plan.timeColumn));
  }
  const having: string[] = [];
  for (const m of plan.measures) {
    if (m.kind !== 'metric') continue;
    const ratio = METRICS[m.metric].ratio;
    if (ratio?.positiveDenominator) {
      const h = `${ratioPart(ratio.denominator)} > 0`;
      if (!having.includes(h)) having.push(h);
    }
  }
  for (const f of plan.filters) {
    if (f.kind !== 'having') continue;
    const m = plan.measures[f.measure];
    if (!m || !OPS.has(f.op)) throw new RangeError('plan: a HAVING filter names no measure');
    having.push(`${measureSql(m, where)} ${f.op} ${number(f.value)}`);
  }
  const lines = [`SELECT ${select.join(', ')}`, `FROM ${quoteIdent(plan.source)}`];
  if (conditions.length > 0) lines.push(`WHERE ${conditions.join(' AND ')}`);
  const keys = dims.flatMap((d) => d.keys);
  if (keys.length > 0) {
    const allColumns = plan.dimensions.every((d) => d.kind === 'column');
    lines.push(
      `GROUP BY ${allColumns ? keys.join(', ') : dims.flatMap((d, i) => d.keys.map((_, k) => String(ordinal(dims, i) + k))).join(', ')}`,
    );
  }
  if (having.length > 0) lines.push(`HAVING ${having.join(' AND ')}`);
  const order = plan.order;
  if (order?.by === 'measure') {
    const alias = aliases[order.measure] ?? aliases[0]!;
    lines.push(`ORDER BY ${[`${alias} ${order.direction === 'asc' ? 'ASC' : 'DESC'}`, ...keys].join(', ')}`);
  } else if (order?.by === 'dimensions' && keys.length > 0) lines.push(`ORDER BY ${keys.join(', ')}`);
  if (plan.limit !== null) lines.push(`LIMIT ${plan.limit}`);
  return lines.join('\n');
}

function ordinal(dims: DimSql[], index: number): number {
  let p = 1;
  for (let i = 0; i < index; i++) p += dims[i]!.select.length;
  return p;
}
