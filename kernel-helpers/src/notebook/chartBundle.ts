// A chart as a display bundle: the Vega-Lite v5 spec (JupyterLab draws it) and a one-line
// text description for front ends without a Vega renderer. Pure.
import type { VegaLiteSpec } from '../ai/chart/VegaLiteSpec.js';
import { MIME_TYPES } from './MIME_TYPES.js';
import type { MimeBundle } from './MimeBundle.js';

const MARK_WORDS: Record<string, string> = {
  line: 'Line chart',
  bar: 'Bar chart',
  point: 'Scatter plot',
  text: 'Big number',
};

/** The title of a spec as plain text. */
function chartTitle(spec: VegaLiteSpec): string {
  const t = spec.title;
  if (typeof t === 'string') return t;
  return t.subtitle ? `${t.text} (${t.subtitle})` : t.text;
}

/** "Line chart: Revenue over time (24 points)". */
function describeChart(spec: VegaLiteSpec): string {
  const kind = MARK_WORDS[spec.mark.type] ?? `${spec.mark.type} chart`;
  const n = spec.data.values.length;
  return `${kind}: ${chartTitle(spec)} (${n.toLocaleString('en-US')} ${n === 1 ? 'point' : 'points'})`;
}

/** The bundle of a chart: `application/vnd.vegalite.v5+json` and `text/plain`. */
export function chartBundle(spec: VegaLiteSpec): MimeBundle {
  return { [MIME_TYPES.text]: describeChart(spec), [MIME_TYPES.vegaLite]: spec };
}
