// Makes an answer's Vega-Lite spec interactive for the view: tooltips on the marks, and
// zoom/pan (an interval selection bound to the scales) when the x axis is continuous, and a
// fixed width.

type Spec = Record<string, unknown>;

/**
 * A copy of `spec` with tooltips and, for continuous x, scale-bound zoom. A `container` width
 * becomes `width` pixels: the view may be drawn before it is attached, when a container
 * measures 0.
 */
export function interactiveChartSpec(spec: Spec, width: number): Spec {
  const copy = structuredClone(spec) as Spec;
  if (copy['width'] === 'container') copy['width'] = width;
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
  return copy;
}
