// The subset of Vega-Lite v5 that chooseChart produces, typed loosely enough for vega-embed.

export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

export type VegaFieldType = 'quantitative' | 'temporal' | 'nominal' | 'ordinal';

export interface VegaFieldDef {
  field: string;
  type: VegaFieldType;
  title?: string;
  format?: string;
  timeUnit?: string;
  sort?: unknown;
  axis?: Record<string, unknown> | null;
  legend?: Record<string, unknown> | null;
  scale?: Record<string, unknown>;
  aggregate?: string;
}

/** A single-view Vega-Lite v5 spec with inline data. */
export interface VegaLiteSpec {
  $schema: typeof VEGA_LITE_SCHEMA;
  title: string | { text: string; subtitle?: string };
  description?: string;
  data: { values: Record<string, unknown>[] };
  mark: { type: 'line' | 'bar' | 'point' | 'text'; [key: string]: unknown };
  encoding: Record<string, VegaFieldDef | VegaFieldDef[] | Record<string, unknown>>;
  transform?: Record<string, unknown>[];
  width?: number | 'container' | { step: number };
  height?: number | 'container' | { step: number };
  autosize?: { type: 'fit' | 'fit-x' | 'fit-y' | 'pad' | 'none'; contains?: 'content' | 'padding' };
}

/** The table the chart is chosen for: result columns (name, DuckDB type) and rows. */
export interface ChartInput {
  columns: readonly { name: string; type: string }[];
  rows: readonly Record<string, unknown>[];
}

export interface ChartOptions {
  /** The chart's title (default: the question, else one made from the columns). */
  title?: string;
  /** The question asked: the title when none is given. */
  question?: string;
  /** Rows drawn at most (default 5,000); the rest are left out and said in the subtitle. */
  maxPoints?: number;
}
