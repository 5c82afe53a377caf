import {
  type Answer,
  aiSqlCellSource,
  answerBundle,
  chartBundle,
  chooseChart,
  formatKpi,
  formatValue,
  kpiBundle,
  kpiLevel,
  kpiSnapshotFromWindows,
  kpiWidgetConfigSchema,
  MIME_TYPES,
  parseAiSqlCellSource,
  tableBundle,
} from '@rt-lakehouse/kernel-helpers';
import { describe, expect, it } from 'vitest';

const columns = [
  { name: 'country', type: 'VARCHAR' },
  { name: 'revenue', type: 'DOUBLE' },
];

describe('tableBundle', () => {
  it('has HTML with the row count and escaped cells, and an aligned text table', () => {
    const b = tableBundle({
      columns,
      rows: [
        { country: '<UK>', revenue: 0.1 + 0.2 },
        { country: 'US', revenue: null },
      ],
    });
    const html = b[MIME_TYPES.html] as string;
    expect(html).toContain('data-rtl-rows="2"');
    expect(html).toContain('&lt;UK&gt;');
    expect(html).not.toContain('<UK>');
    expect(html).toContain('<td class="rtl-num">0.3</td>');
    expect(html).toContain('<td class="rtl-null">NULL</td>');
    expect(b[MIME_TYPES.text]).toMatchInlineSnapshot(`
      "country  revenue
      -------  -------
      <UK>         0.3
      US          NULL
      (2 rows · 2 columns)"
    `);
  });

  it('says when rows were left out, by the display cap and by the query cap', () => {
    const rows = Array.from({ length: 60 }, (_, i) => ({ country: `c${i}`, revenue: i }));
    const shown = tableBundle({ columns, rows, totalRows: 60 });
    expect(shown[MIME_TYPES.html]).toContain('60 rows · 2 columns · showing the first 50');
    expect(shown[MIME_TYPES.text]).toContain('(60 rows · 2 columns · showing the first 20)');
    const capped = tableBundle({ columns, rows: rows.slice(0, 10), truncated: true, totalRows: undefined });
    expect(capped[MIME_TYPES.text]).toContain('more than 10 rows (capped at 10)');
  });

  it('says an empty result has no rows', () => {
    const b = tableBundle({ columns, rows: [] });
    expect(b[MIME_TYPES.html]).toContain('data-rtl-rows="0"');
    expect(b[MIME_TYPES.html]).toContain('No rows.');
  });

  it('formats values: floats without binary noise, big integers as text, objects as JSON', () => {
    expect(formatValue(0.1 + 0.2)).toBe('0.3');
    expect(formatValue(12345678901234567890n)).toBe('12345678901234567890');
    expect(formatValue({ a: [1, 2] })).toBe('{"a":[1,2]}');
    expect(formatValue(new Date(Date.UTC(2026, 0, 2)))).toBe('2026-01-02T00:00:00.000Z');
    expect(formatValue(undefined)).toBe('NULL');
  });
});

describe('chart and answer bundles', () => {
  const result = {
    columns: [
      { name: 'hour', type: 'TIMESTAMP WITH TIME ZONE' },
      { name: 'revenue', type: 'DOUBLE' },
    ],
    rows: [
      { hour: '2026-11-27T10:00:00.000Z', revenue: 1 },
      { hour: '2026-11-27T11:00:00.000Z', revenue: 2 },
    ],
  };
  const spec = chooseChart(result, { question: 'Revenue trend?' })!;

  it('a chart is Vega-Lite v5 with a one-line text description', () => {
    const b = chartBundle(spec);
    expect(b[MIME_TYPES.vegaLite]).toBe(spec);
    expect(b[MIME_TYPES.text]).toBe('Line chart: Revenue trend (2 points)');
  });

  it("an answer carries the extension's payload, its chart, HTML and text", () => {
    const answer: Answer = {
      conversationId: 'c1',
      turnId: 't1',
      question: 'Revenue trend?',
      sql: 'SELECT 1',
      columns: result.columns,
      rows: result.rows,
      rowCount: 2,
      totalRows: 2,
      truncated: false,
      chart: spec,
      explanation: 'Revenue per hour.',
      path: 'planner',
      verifiedExample: undefined,
      tableVersions: { silver_events: 4 },
      timings: { retrieveMs: 0, generateMs: 1, executeMs: 2, totalMs: 3 },
    };
    const b = answerBundle(answer, 'sql');
    expect(b[MIME_TYPES.answer]).toEqual({ version: 1, kind: 'answer', source: 'sql', answer });
    expect(b[MIME_TYPES.vegaLite]).toBe(spec);
    expect(b[MIME_TYPES.html]).toContain('<code class="language-sql">SELECT 1</code>');
    expect(b[MIME_TYPES.text]).toContain('silver_events@v4');
    expect(Object.keys(answerBundle({ ...answer, chart: null }))).not.toContain(MIME_TYPES.vegaLite);
  });
});

describe('KPI widget', () => {
  const window = (minute: number, over: Record<string, number | null> = {}) => ({
    window_start: new Date(Date.UTC(2026, 10, 27, 10, minute)).toISOString(),
    total_events: 100,
    orders: 2,
    gmv: 50.5,
    active_users: 40,
    conversion_rate: 0.05,
    ...over,
  });
  const now = new Date(Date.UTC(2026, 10, 27, 10, 30));

  it('sums the windows of the range and reads per-minute metrics from the newest window', () => {
    const s = kpiSnapshotFromWindows([window(25), window(29, { conversion_rate: 0.01 }), window(1)], {
      minutes: 10,
      now,
      version: 7,
    });
    expect(s.series.map((w) => w.window_start)).toEqual([window(25).window_start, window(29).window_start]);
    expect(s.values).toEqual({
      events: 200,
      orders: 4,
      revenue: 101,
      avg_order_value: 25.25,
      conversion_rate: 0.01,
      active_users: 40,
    });
  });

  it('has no values without windows', () => {
    const s = kpiSnapshotFromWindows([], { minutes: 10, now, version: null });
    expect(s.values.avg_order_value).toBeNull();
    expect(s.values.conversion_rate).toBeNull();
  });

  it('judges thresholds as the extension does, and shows the level in the snapshot', () => {
    const config = kpiWidgetConfigSchema.parse({
      minutes: 10,
      metrics: ['conversion_rate', 'events'],
      thresholds: {
        conversion_rate: { warn: 0.02, critical: 0.005, direction: 'below' },
        events: { warn: 150 },
      },
    });
    expect(kpiLevel(config, 'conversion_rate', 0.01)).toBe('warn');
    expect(kpiLevel(config, 'conversion_rate', 0.001)).toBe('critical');
    expect(kpiLevel(config, 'events', 200)).toBe('warn');
    expect(kpiLevel(config, 'events', null)).toBe('ok');
    const s = kpiSnapshotFromWindows([window(29, { conversion_rate: 0.01 })], {
      minutes: 10,
      now,
      version: 3,
    });
    const b = kpiBundle(config, s);
    expect(b[MIME_TYPES.kpi]).toBe(config);
    expect(b[MIME_TYPES.html]).toContain('rtl-card rtl-warn" data-metric="conversion_rate"');
    expect(b[MIME_TYPES.text]).toContain('Conversion (last min): 1.00% (warn)');
  });

  it('refuses an unknown metric or an unknown key', () => {
    expect(kpiWidgetConfigSchema.safeParse({ minutes: 5, metrics: ['gmv'] }).success).toBe(false);
    expect(kpiWidgetConfigSchema.safeParse({ minutes: 5, metrics: ['events'], apiPath: '/x' }).success).toBe(
      false,
    );
  });

  it('formats counts, money and percents', () => {
    expect(formatKpi(12345.6, 'count')).toBe('12,346');
    expect(formatKpi(12345.6, 'money')).toBe('12,345.60');
    expect(formatKpi(0.01234, 'percent')).toBe('1.23%');
    expect(formatKpi(null, 'count')).toBe('–');
  });
});

describe('AI SQL cell source', () => {
  it('round-trips a question, with and without reviewed SQL', () => {
    const q = 'What\'s "our" revenue\ntoday?';
    expect(aiSqlCellSource({ question: q })).toBe(`await ask(${JSON.stringify(q)})`);
    expect(parseAiSqlCellSource(aiSqlCellSource({ question: q }))).toEqual({ question: q });
    const sql = "SELECT 'a\\b' AS x";
    expect(parseAiSqlCellSource(aiSqlCellSource({ question: q, sql }))).toEqual({ question: q, sql });
  });

  it('does not read code or a bare question as an AI cell source', () => {
    expect(parseAiSqlCellSource('What is our revenue?')).toBeUndefined();
    expect(parseAiSqlCellSource('await ask("a"); await sql("b")')).toBeUndefined();
  });
});
