// The chart spec the AI SQL cell draws: tooltips on the marks, and zoom/pan (an interval
// selection bound to the scales) only when the x axis is continuous.
import { describe, expect, it } from 'vitest';
import { interactiveChartSpec } from '../../../extension/src/interactiveChartSpec.js';

const ZOOM = [{ name: 'rtl_zoom', select: { type: 'interval', encodings: ['x'] }, bind: 'scales' }];

function lineOverTime(): Record<string, unknown> {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    width: 'container',
    mark: { type: 'line', point: true },
    data: { values: [{ hour: '2024-01-01T00:00:00Z', revenue: 1 }] },
    encoding: {
      x: { field: 'hour', type: 'temporal' },
      y: { field: 'revenue', type: 'quantitative' },
    },
  };
}

function barByCategory(): Record<string, unknown> {
  return {
    mark: 'bar',
    data: { values: [{ country: 'US', revenue: 1 }] },
    encoding: {
      x: { field: 'country', type: 'nominal' },
      y: { field: 'revenue', type: 'quantitative' },
    },
  };
}

describe('interactiveChartSpec', () => {
  it('adds tooltips and scale-bound zoom on the x axis for a temporal x', () => {
    const spec = interactiveChartSpec(lineOverTime(), 640);
    expect(spec['params']).toEqual(ZOOM);
    expect(spec['mark']).toEqual({ type: 'line', point: true, tooltip: true });
    expect(spec['width']).toBe(640);
  });

  it('adds zoom for a quantitative x too (a scatter of two measures), but not for a binned one', () => {
    const scatter = {
      mark: 'point',
      encoding: {
        x: { field: 'orders', type: 'quantitative' },
        y: { field: 'gmv', type: 'quantitative' },
      },
    };
    expect(interactiveChartSpec(scatter, 400)['params']).toEqual(ZOOM);
    const histogram = {
      mark: 'bar',
      encoding: { x: { field: 'price', type: 'quantitative', bin: true }, y: { aggregate: 'count' } },
    };
    expect(interactiveChartSpec(histogram, 400)['params']).toBeUndefined();
  });

  it('adds tooltips but no zoom for a nominal x (a bar per category)', () => {
    const spec = interactiveChartSpec(barByCategory(), 640);
    expect(spec['params']).toBeUndefined();
    expect(spec['mark']).toEqual({ type: 'bar', tooltip: true });
  });

  it('leaves a text mark (a big number) without tooltip or zoom, and a fixed width as it is', () => {
    const spec = interactiveChartSpec(
      { mark: { type: 'text', fontSize: 40 }, width: 200, encoding: { text: { field: 'n' } } },
      640,
    );
    expect(spec['mark']).toEqual({ type: 'text', fontSize: 40 });
    expect(spec['params']).toBeUndefined();
    expect(spec['width']).toBe(200);
  });

  it('keeps params the spec already has, and never changes its input', () => {
    const own = { ...lineOverTime(), params: [{ name: 'mine', select: 'point' }] };
    expect(interactiveChartSpec(own, 640)['params']).toEqual([{ name: 'mine', select: 'point' }]);
    const input = lineOverTime();
    const before = structuredClone(input);
    interactiveChartSpec(input, 640);
    expect(input).toEqual(before);
  });
});
