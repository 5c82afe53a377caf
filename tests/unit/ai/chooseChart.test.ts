import { chooseChart } from '@rt-lakehouse/kernel-helpers';
import { describe, expect, it } from 'vitest';

const TS = 'TIMESTAMP WITH TIME ZONE';

describe('chooseChart: golden specs for each rule', () => {
  it('time + one measure → a line with a temporal x axis and a formatted y axis', () => {
    const spec = chooseChart(
      {
        columns: [
          { name: 'hour', type: TS },
          { name: 'revenue', type: 'DOUBLE' },
        ],
        rows: [
          { hour: '2026-11-27T10:00:00.000Z', revenue: 120.5 },
          { hour: '2026-11-27T11:00:00.000Z', revenue: 98.25 },
        ],
      },
      { question: "What's our revenue trend in the last 24 hours?" },
    );
    expect(spec).toMatchInlineSnapshot(`
      {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {
          "values": [
            {
              "hour": "2026-11-27T10:00:00.000Z",
              "revenue": 120.5,
            },
            {
              "hour": "2026-11-27T11:00:00.000Z",
              "revenue": 98.25,
            },
          ],
        },
        "encoding": {
          "tooltip": [
            {
              "field": "hour",
              "format": "%b %d %H:00",
              "title": "Hour",
              "type": "temporal",
            },
            {
              "field": "revenue",
              "format": ",.2f",
              "title": "Revenue",
              "type": "quantitative",
            },
          ],
          "x": {
            "axis": {
              "format": "%b %d %H:00",
              "labelAngle": 0,
            },
            "field": "hour",
            "title": "Hour",
            "type": "temporal",
          },
          "y": {
            "axis": {
              "format": ",.2f",
            },
            "field": "revenue",
            "title": "Revenue",
            "type": "quantitative",
          },
        },
        "mark": {
          "interpolate": "monotone",
          "point": true,
          "type": "line",
        },
        "title": "What's our revenue trend in the last 24 hours",
        "width": "container",
      }
    `);
  });

  it('time + several measures of one kind → lines folded into colour; others only in the tooltip', () => {
    const spec = chooseChart({
      columns: [
        { name: 'window_start', type: TS },
        { name: 'window_end', type: TS },
        { name: 'orders', type: 'BIGINT' },
        { name: 'page_views', type: 'BIGINT' },
        { name: 'conversion_rate', type: 'DOUBLE' },
      ],
      rows: [
        {
          window_start: '2026-11-27T10:00:00.000Z',
          window_end: '2026-11-27T10:01:00.000Z',
          orders: 2,
          page_views: 40,
          conversion_rate: 0.05,
        },
        {
          window_start: '2026-11-27T10:01:00.000Z',
          window_end: '2026-11-27T10:02:00.000Z',
          orders: 1,
          page_views: 38,
          conversion_rate: 0.03,
        },
      ],
    });
    expect(spec).toMatchInlineSnapshot(`
      {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {
          "values": [
            {
              "conversion_rate": 0.05,
              "orders": 2,
              "page_views": 40,
              "window_end": "2026-11-27T10:01:00.000Z",
              "window_start": "2026-11-27T10:00:00.000Z",
            },
            {
              "conversion_rate": 0.03,
              "orders": 1,
              "page_views": 38,
              "window_end": "2026-11-27T10:02:00.000Z",
              "window_start": "2026-11-27T10:01:00.000Z",
            },
          ],
        },
        "encoding": {
          "color": {
            "field": "measure",
            "sort": [
              "orders",
              "page_views",
            ],
            "title": "Measure",
            "type": "nominal",
          },
          "tooltip": [
            {
              "field": "window_start",
              "format": "%b %d %H:%M",
              "title": "Window start",
              "type": "temporal",
            },
            {
              "field": "measure",
              "title": "Measure",
              "type": "nominal",
            },
            {
              "field": "value",
              "format": ",d",
              "title": "Value",
              "type": "quantitative",
            },
          ],
          "x": {
            "axis": {
              "format": "%b %d %H:%M",
              "labelAngle": 0,
            },
            "field": "window_start",
            "title": "Window start",
            "type": "temporal",
          },
          "y": {
            "axis": {
              "format": ",d",
            },
            "field": "value",
            "title": "Value",
            "type": "quantitative",
          },
        },
        "mark": {
          "interpolate": "monotone",
          "point": true,
          "type": "line",
        },
        "title": "Orders, Page views over time",
        "transform": [
          {
            "as": [
              "measure",
              "value",
            ],
            "fold": [
              "orders",
              "page_views",
            ],
          },
        ],
        "width": "container",
      }
    `);
  });

  it('time + a category + a measure → one line per category', () => {
    const spec = chooseChart({
      columns: [
        { name: 'day', type: TS },
        { name: 'device_type', type: 'VARCHAR' },
        { name: 'conversion_rate', type: 'DOUBLE' },
      ],
      rows: [
        { day: '2026-11-26T00:00:00.000Z', device_type: 'mobile', conversion_rate: 0.04 },
        { day: '2026-11-26T00:00:00.000Z', device_type: 'desktop', conversion_rate: 0.06 },
      ],
    });
    expect(spec?.mark).toEqual({ type: 'line', point: true, interpolate: 'monotone' });
    expect(spec?.encoding.color).toEqual({ field: 'device_type', type: 'nominal', title: 'Device type' });
    expect(spec?.encoding.y).toEqual({
      field: 'conversion_rate',
      type: 'quantitative',
      title: 'Conversion rate',
      axis: { format: '.1%' },
    });
    expect((spec?.encoding.x as { axis: { format: string } }).axis.format).toBe('%b %d');
  });

  it('a category + a measure → bars sorted by the measure', () => {
    const spec = chooseChart(
      {
        columns: [
          { name: 'country', type: 'VARCHAR' },
          { name: 'total_revenue', type: 'DOUBLE' },
        ],
        rows: [
          { country: 'US', total_revenue: 1400.5 },
          { country: 'UK', total_revenue: 900 },
          { country: 'DE', total_revenue: 650.25 },
        ],
      },
      { question: 'Show me revenue by country today' },
    );
    expect(spec).toMatchInlineSnapshot(`
      {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {
          "values": [
            {
              "country": "US",
              "total_revenue": 1400.5,
            },
            {
              "country": "UK",
              "total_revenue": 900,
            },
            {
              "country": "DE",
              "total_revenue": 650.25,
            },
          ],
        },
        "encoding": {
          "tooltip": [
            {
              "field": "country",
              "title": "Country",
              "type": "nominal",
            },
            {
              "field": "total_revenue",
              "format": ",.2f",
              "title": "Total revenue",
              "type": "quantitative",
            },
          ],
          "x": {
            "axis": {
              "labelAngle": 0,
            },
            "field": "country",
            "sort": "-y",
            "title": "Country",
            "type": "nominal",
          },
          "y": {
            "axis": {
              "format": ",.2f",
            },
            "field": "total_revenue",
            "title": "Total revenue",
            "type": "quantitative",
          },
        },
        "mark": {
          "tooltip": true,
          "type": "bar",
        },
        "title": "Show me revenue by country today",
        "width": "container",
      }
    `);
  });

  it('many categories or long labels → horizontal bars; ordinal numbers keep their order', () => {
    const many = chooseChart({
      columns: [
        { name: 'category_id', type: 'VARCHAR' },
        { name: 'units', type: 'HUGEINT' },
      ],
      rows: Array.from({ length: 12 }, (_, i) => ({ category_id: `category_${i}`, units: String(100 - i) })),
    });
    expect(many?.encoding.y).toMatchObject({ field: 'category_id', type: 'nominal', sort: '-x' });
    expect(many?.encoding.x).toMatchObject({ field: 'units', type: 'quantitative', axis: { format: ',d' } });
    expect(many?.height).toEqual({ step: 20 });
    expect(many?.data.values[0]).toEqual({ category_id: 'category_0', units: 100 });
    const hours = chooseChart({
      columns: [
        { name: 'hour_of_day', type: 'BIGINT' },
        { name: 'orders', type: 'BIGINT' },
      ],
      rows: [
        { hour_of_day: 0, orders: 3 },
        { hour_of_day: 1, orders: 5 },
      ],
    });
    expect(hours?.encoding.x).toMatchObject({ field: 'hour_of_day', type: 'ordinal', sort: 'ascending' });
  });

  it('a category + several measures → grouped bars', () => {
    const spec = chooseChart({
      columns: [
        { name: 'device_type', type: 'VARCHAR' },
        { name: 'events', type: 'BIGINT' },
        { name: 'users', type: 'BIGINT' },
      ],
      rows: [
        { device_type: 'mobile', events: 56000, users: 5300 },
        { device_type: 'desktop', events: 33000, users: 3300 },
        { device_type: 'tablet', events: 9000, users: 900 },
      ],
    });
    expect(spec?.transform).toEqual([{ fold: ['events', 'users'], as: ['measure', 'value'] }]);
    expect(spec?.encoding.xOffset).toEqual({ field: 'measure', sort: ['events', 'users'] });
  });

  it('two measures without a dimension → a scatter plot', () => {
    const spec = chooseChart({
      columns: [
        { name: 'discount', type: 'DOUBLE' },
        { name: 'quantity', type: 'INTEGER' },
      ],
      rows: [
        { discount: 0, quantity: 1 },
        { discount: 5.5, quantity: 3 },
      ],
    });
    expect(spec).toMatchInlineSnapshot(`
      {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {
          "values": [
            {
              "discount": 0,
              "quantity": 1,
            },
            {
              "discount": 5.5,
              "quantity": 3,
            },
          ],
        },
        "encoding": {
          "tooltip": [
            {
              "field": "discount",
              "format": ",.2f",
              "title": "Discount",
              "type": "quantitative",
            },
            {
              "field": "quantity",
              "format": ",d",
              "title": "Quantity",
              "type": "quantitative",
            },
          ],
          "x": {
            "axis": {
              "format": ",.2f",
            },
            "field": "discount",
            "scale": {
              "zero": false,
            },
            "title": "Discount",
            "type": "quantitative",
          },
          "y": {
            "axis": {
              "format": ",d",
            },
            "field": "quantity",
            "scale": {
              "zero": false,
            },
            "title": "Quantity",
            "type": "quantitative",
          },
        },
        "mark": {
          "filled": true,
          "opacity": 0.7,
          "type": "point",
        },
        "title": "Quantity against discount",
        "width": "container",
      }
    `);
  });

  it('one row with one value → a big number, with the row label as subtitle', () => {
    expect(
      chooseChart(
        {
          columns: [{ name: 'count(DISTINCT user_id)', type: 'BIGINT' }],
          rows: [{ 'count(DISTINCT user_id)': 362 }],
        },
        {
          question: 'How many unique users visited in the last hour?',
        },
      ),
    ).toMatchInlineSnapshot(`
      {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {
          "values": [
            {
              "count(DISTINCT user_id)": 362,
            },
          ],
        },
        "encoding": {
          "text": {
            "field": "count(DISTINCT user_id)",
            "format": ",d",
            "title": "Count(DISTINCT user id)",
            "type": "quantitative",
          },
          "tooltip": [
            {
              "field": "count(DISTINCT user_id)",
              "format": ",d",
              "title": "Count(DISTINCT user id)",
              "type": "quantitative",
            },
          ],
        },
        "height": 100,
        "mark": {
          "align": "center",
          "baseline": "middle",
          "fontSize": 48,
          "fontWeight": "bold",
          "type": "text",
        },
        "title": {
          "text": "How many unique users visited in the last hour",
        },
        "width": "container",
      }
    `);
    const labelled = chooseChart({
      columns: [
        { name: 'referrer', type: 'VARCHAR' },
        { name: 'revenue', type: 'DOUBLE' },
      ],
      rows: [{ referrer: 'google', revenue: 1234.5 }],
    });
    expect(labelled?.title).toEqual({ text: 'Revenue', subtitle: 'Referrer: google' });
    expect(labelled?.encoding.text).toEqual({
      field: 'revenue',
      type: 'quantitative',
      title: 'Revenue',
      format: ',.2f',
    });
  });

  it('otherwise no chart (the table shows it)', () => {
    expect(chooseChart({ columns: [{ name: 'n', type: 'BIGINT' }], rows: [] })).toBeNull();
    expect(
      chooseChart({
        columns: [{ name: 'reason', type: 'VARCHAR' }],
        rows: [{ reason: 'x' }, { reason: 'y' }],
      }),
    ).toBeNull();
    expect(
      chooseChart({
        columns: [
          { name: 'country', type: 'VARCHAR' },
          { name: 'device_type', type: 'VARCHAR' },
          { name: 'orders', type: 'BIGINT' },
        ],
        rows: [{ country: 'US', device_type: 'mobile', orders: 3 }],
      }),
    ).toBeNull();
    const manyBars = Array.from({ length: 51 }, (_, i) => ({ product_id: `p${i}`, units: i }));
    expect(
      chooseChart({
        columns: [
          { name: 'product_id', type: 'VARCHAR' },
          { name: 'units', type: 'BIGINT' },
        ],
        rows: manyBars,
      }),
    ).toBeNull();
    expect(
      chooseChart({
        columns: [
          { name: 'orders', type: 'BIGINT' },
          { name: 'revenue', type: 'DOUBLE' },
        ],
        rows: [{ orders: 3, revenue: 10 }],
      }),
    ).toBeNull();
  });

  it('caps the inline data and says so in the subtitle', () => {
    const rows = Array.from({ length: 30 }, (_, i) => ({
      minute: new Date(Date.UTC(2026, 10, 27, 10, i)).toISOString(),
      events: i,
    }));
    const spec = chooseChart(
      {
        columns: [
          { name: 'minute', type: TS },
          { name: 'events', type: 'BIGINT' },
        ],
        rows,
      },
      { maxPoints: 10, title: 'Events per minute' },
    );
    expect(spec?.data.values).toHaveLength(10);
    expect(spec?.title).toEqual({ text: 'Events per minute', subtitle: 'first 10 of 30 rows' });
    expect((spec?.encoding.x as { axis: { format: string } }).axis.format).toBe('%b %d %H:%M');
  });
});
