// Makes an answer's Vega-Lite spec interactive for the view: tooltips on the marks, and
// zoom/pan (an interval selection bound to the scales) when the x axis is continuous.

type Spec = Record<string, unknown>;

/** A copy of `spec` with tooltips and, for continuous x, scale-bound zoom. */
export function interactiveChartSpec(spec: Spec): Spec {
  const copy = structuredClone(spec) as Spec;
  const mark = copy['mark'];
  const markType =
    typeof mark === 'string' ? mark : ((mark as Spec | undefined)?.['type'] as string | undefined);
  if (markType && markType !== 'text') {
    copy['mark'] =
      typeof mark === 'string' ? { type: mark, tooltip: true } : { tooltip: true, ...(mark as Spec) };
  }
  const x = (copy['encoding'] as Spec | undefined)?.['x'] as Spec | undefined;
  const continuous = x && (x['type'] === 'temporal' || x['type'] === 'quantitative') && !x['bin'];
  if (continuous && markType !== 'text' && !copy['params']) {
    copy['params'] = [{ name: 'rtl_zoom', select: { type: 'interval', encodings: ['x'] }, bind: 'scales' }];
  }
  if (copy['width'] === undefined) copy['width'] = 'container';
  return copy;
}
