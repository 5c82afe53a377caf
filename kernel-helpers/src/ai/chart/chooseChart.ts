// Chart choice from a result's shape (pure): a time column and measures → line; one category
// and measures → bar; two measures alone → scatter; one row with one value → big number;
// anything else → null (the UI shows the table). Vega-Lite v5 with inline, capped data.
import {
  type ChartInput,
  type ChartOptions,
  VEGA_LITE_SCHEMA,
  type VegaFieldDef,
  type VegaLiteSpec,
} from './VegaLiteSpec.js';

type Role = 'temporal' | 'quantitative' | 'nominal' | 'ordinal';

interface Column {
  name: string;
  role: Role;
  /** d3-format for measures, d3-time-format for time. */
  format: string | undefined;
  title: string;
}

const DEFAULT_MAX_POINTS = 5_000;
/** Bars beyond this many categories make a table more useful than a chart. */
const MAX_BARS = 50;
/** More categories than this, or longer labels, lay the bars out horizontally. */
const HORIZONTAL_AFTER = 8;
const LONG_LABEL = 12;

const TEMPORAL_TYPE = /^(TIMESTAMP|DATE|DATETIME)/i;
const NUMERIC_TYPE =
  /^(TINYINT|SMALLINT|INTEGER|INT|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|REAL|DOUBLE|DECIMAL|NUMERIC)/i;
const INTEGER_TYPE =
  /^(TINYINT|SMALLINT|INTEGER|INT|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)/i;
/** Integer columns that label rows rather than measure them. */
const ORDINAL_NAME = /(^|_)(id|partition|hour_of_day|day_number|number|year|month_number|dow|code|offset)$/i;
const RATE_NAME = /(rate|ratio|share|pct|percent|conversion|corr)/i;
const MONEY_NAME = /(revenue|gmv|price|value|sales|spend|amount|discount|per_user|per_customer)/i;
const SECONDS_NAME = /(seconds|latency)/i;

function humanise(name: string): string {
  const words = name.replaceAll('_', ' ').trim();
  return words.length === 0 ? name : words[0]!.toUpperCase() + words.slice(1);
}

function classify(column: { name: string; type: string }, rows: readonly Record<string, unknown>[]): Column {
  const { name, type } = column;
  const title = humanise(name);
  if (TEMPORAL_TYPE.test(type)) return { name, role: 'temporal', format: timeFormat(name, rows), title };
  if (NUMERIC_TYPE.test(type)) {
    if (INTEGER_TYPE.test(type) && ORDINAL_NAME.test(name))
      return { name, role: 'ordinal', format: undefined, title };
    return {
      name,
      role: 'quantitative',
      format: numberFormat(name, type, rows),
      title: SECONDS_NAME.test(name) ? `${title} (s)` : title,
    };
  }
  return { name, role: 'nominal', format: undefined, title };
}

function numberFormat(name: string, type: string, rows: readonly Record<string, unknown>[]): string {
  if (RATE_NAME.test(name)) return '.1%';
  if (SECONDS_NAME.test(name)) return ',.1f';
  // Prices are in each event's own currency, so money is shown without a currency symbol.
  if (MONEY_NAME.test(name)) return ',.2f';
  if (INTEGER_TYPE.test(type)) return ',d';
  const integral = rows.every((r) => {
    const v = r[name];
    return v === null || v === undefined || Number.isInteger(Number(v));
  });
  return integral ? ',d' : ',.2f';
}

/** The d3 time format that shows the values' precision (days, hours or minutes). */
function timeFormat(name: string, rows: readonly Record<string, unknown>[]): string {
  let minutes = false;
  let hours = false;
  let years = new Set<number>();
  for (const r of rows) {
    const ms = Date.parse(String(r[name]));
    if (Number.isNaN(ms)) continue;
    const d = new Date(ms);
    years = years.add(d.getUTCFullYear());
    if (d.getUTCMinutes() !== 0 || d.getUTCSeconds() !== 0) minutes = true;
    else if (d.getUTCHours() !== 0) hours = true;
  }
  const day = years.size > 1 ? '%Y-%m-%d' : '%b %d';
  if (minutes) return `${day} %H:%M`;
  if (hours) return `${day} %H:00`;
  return day;
}

/** A text or tooltip channel: the number format sits on the field. */
function fieldDef(c: Column, extra: Partial<VegaFieldDef> = {}): VegaFieldDef {
  return {
    field: c.name,
    type: c.role,
    title: c.title,
    ...(c.format !== undefined ? { format: c.format } : {}),
    ...extra,
  };
}

/** An x or y channel: the number format sits on the axis. */
function axisDef(c: Column, extra: Partial<VegaFieldDef> = {}): VegaFieldDef {
  const axis = { ...(c.format !== undefined ? { format: c.format } : {}), ...(extra.axis ?? {}) };
  return {
    field: c.name,
    type: c.role,
    title: c.title,
    ...extra,
    ...(Object.keys(axis).length > 0 ? { axis } : {}),
  };
}

function tooltip(columns: Column[]): VegaFieldDef[] {
  return columns.map((c) => fieldDef(c));
}

/** Rows with numeric strings (big integers, decimals) as numbers, capped at `max`. */
function values(
  rows: readonly Record<string, unknown>[],
  columns: Column[],
  max: number,
): Record<string, unknown>[] {
  const numeric = columns.filter((c) => c.role === 'quantitative' || c.role === 'ordinal').map((c) => c.name);
  return rows.slice(0, max).map((row) => {
    const out: Record<string, unknown> = { ...row };
    for (const n of numeric) {
      const v = row[n];
      if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) out[n] = Number(v);
    }
    return out;
  });
}

function titleOf(
  options: ChartOptions,
  fallback: string,
  total: number,
  shown: number,
): VegaLiteSpec['title'] {
  const text = (options.title ?? options.question ?? fallback).trim().replace(/\?$/, '');
  return shown < total
    ? { text, subtitle: `first ${shown.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} rows` }
    : text;
}

/** Measures drawn together share the first measure's format; the others go to the tooltip. */
function plotted(measures: Column[]): Column[] {
  const first = measures[0];
  return first ? measures.filter((m) => m.format === first.format) : [];
}

/**
 * A Vega-Lite v5 spec for `result`, or null when a table shows it better (no rows, several
 * categories, no measure, ...). Pure: the same input always gives the same spec.
 */
export function chooseChart(result: ChartInput, options: ChartOptions = {}): VegaLiteSpec | null {
  const rows = result.rows;
  if (rows.length === 0 || result.columns.length === 0) return null;
  const max = Math.max(1, options.maxPoints ?? DEFAULT_MAX_POINTS);
  const columns = result.columns.map((c) => classify(c, rows));
  const measures = columns.filter((c) => c.role === 'quantitative');
  const times = columns.filter((c) => c.role === 'temporal');
  const categories = columns.filter((c) => c.role === 'nominal' || c.role === 'ordinal');
  const base = { $schema: VEGA_LITE_SCHEMA } as const;

  // One value: a big number (with the row's label, if it has one).
  if (rows.length === 1 && measures.length === 1 && columns.length <= 2) {
    const m = measures[0]!;
    const label = columns.find((c) => c !== m);
    const labelValue = label ? String(rows[0]![label.name]) : undefined;
    return {
      ...base,
      title: {
        text: titleOf(options, m.title, 1, 1) as string,
        ...(label ? { subtitle: `${label.title}: ${labelValue}` } : {}),
      },
      data: { values: values(rows, columns, 1) },
      mark: { type: 'text', fontSize: 48, fontWeight: 'bold', align: 'center', baseline: 'middle' },
      encoding: { text: fieldDef(m), tooltip: tooltip(columns) },
      width: 'container',
      height: 100,
    };
  }
  if (measures.length === 0) return null;

  // A time column and measures: a line per measure (same format) or per category.
  if (times.length >= 1 && categories.length <= 1) {
    const x = times[0]!;
    const shown = Math.min(rows.length, max);
    const xDef = axisDef(x, { axis: { labelAngle: 0 } });
    const lines = plotted(measures);
    const title = titleOf(options, `${lines.map((m) => m.title).join(', ')} over time`, rows.length, shown);
    const data = { values: values(rows, columns, max) };
    if (categories.length === 1) {
      const m = lines[0]!;
      const color = categories[0]!;
      return {
        ...base,
        title,
        data,
        mark: { type: 'line', point: rows.length <= 60, interpolate: 'monotone' },
        encoding: {
          x: xDef,
          y: axisDef(m),
          color: { field: color.name, type: 'nominal', title: color.title },
          tooltip: tooltip(columns),
        },
        width: 'container',
      };
    }
    if (lines.length === 1) {
      const m = lines[0]!;
      return {
        ...base,
        title,
        data,
        mark: { type: 'line', point: rows.length <= 60, interpolate: 'monotone' },
        encoding: { x: xDef, y: axisDef(m), tooltip: tooltip(columns) },
        width: 'container',
      };
    }
    const format = lines[0]!.format;
    const y: VegaFieldDef = {
      field: 'value',
      type: 'quantitative',
      title: 'Value',
      ...(format ? { axis: { format } } : {}),
    };
    return {
      ...base,
      title,
      data,
      transform: [{ fold: lines.map((m) => m.name), as: ['measure', 'value'] }],
      mark: { type: 'line', point: rows.length <= 60, interpolate: 'monotone' },
      encoding: {
        x: xDef,
        y,
        color: { field: 'measure', type: 'nominal', title: 'Measure', sort: lines.map((m) => m.name) },
        tooltip: [
          fieldDef(x),
          { field: 'measure', type: 'nominal', title: 'Measure' },
          { field: 'value', type: 'quantitative', title: 'Value', ...(format ? { format } : {}) },
        ],
      },
      width: 'container',
    };
  }

  // One category and measures: bars sorted by the measure (ordinal categories keep their order).
  if (times.length === 0 && categories.length === 1) {
    if (rows.length > MAX_BARS) return null;
    const c = categories[0]!;
    const bars = plotted(measures);
    const m = bars[0]!;
    const labels = rows.map((r) => String(r[c.name] ?? ''));
    const horizontal =
      c.role === 'nominal' && (rows.length > HORIZONTAL_AFTER || labels.some((l) => l.length > LONG_LABEL));
    const catAxis = c.role === 'ordinal' ? 'ascending' : horizontal ? '-x' : '-y';
    const title = titleOf(
      options,
      `${bars.map((b) => b.title).join(', ')} by ${c.title.toLowerCase()}`,
      rows.length,
      rows.length,
    );
    const data = { values: values(rows, columns, max) };
    const cat = axisDef(c, {
      sort: catAxis,
      axis: horizontal ? { labelLimit: 200 } : { labelAngle: labels.some((l) => l.length > 3) ? -40 : 0 },
    });
    const size = horizontal ? { height: { step: 20 } } : {};
    if (bars.length === 1) {
      return {
        ...base,
        title,
        data,
        mark: { type: 'bar', tooltip: true },
        encoding: horizontal
          ? { y: cat, x: axisDef(m), tooltip: tooltip(columns) }
          : { x: cat, y: axisDef(m), tooltip: tooltip(columns) },
        width: 'container',
        ...size,
      };
    }
    // Several measures with one format: grouped bars.
    const value: VegaFieldDef = {
      field: 'value',
      type: 'quantitative',
      title: 'Value',
      ...(m.format ? { axis: { format: m.format } } : {}),
    };
    const sortBy = c.role === 'ordinal' ? 'ascending' : { field: m.name, order: 'descending' };
    const grouped = { ...cat, sort: sortBy };
    const measure = { field: 'measure', type: 'nominal', title: 'Measure', sort: bars.map((b) => b.name) };
    return {
      ...base,
      title,
      data,
      transform: [{ fold: bars.map((b) => b.name), as: ['measure', 'value'] }],
      mark: { type: 'bar', tooltip: true },
      encoding: horizontal
        ? {
            y: grouped,
            x: value,
            yOffset: { field: 'measure', sort: bars.map((b) => b.name) },
            color: measure,
          }
        : {
            x: grouped,
            y: value,
            xOffset: { field: 'measure', sort: bars.map((b) => b.name) },
            color: measure,
          },
      width: 'container',
      ...size,
    };
  }

  // Two measures and nothing else: a scatter plot.
  if (times.length === 0 && categories.length === 0 && measures.length === 2 && rows.length > 1) {
    const [a, b] = measures as [Column, Column];
    const shown = Math.min(rows.length, max);
    return {
      ...base,
      title: titleOf(options, `${b.title} against ${a.title.toLowerCase()}`, rows.length, shown),
      data: { values: values(rows, columns, max) },
      mark: { type: 'point', filled: true, opacity: 0.7 },
      encoding: {
        x: axisDef(a, { scale: { zero: false } }),
        y: axisDef(b, { scale: { zero: false } }),
        tooltip: tooltip(columns),
      },
      width: 'container',
    };
  }
  return null;
}
