// A result table as a display bundle: a styled HTML table with the row count and a note when
// rows were left out, and an aligned plain-text table. Pure.

import { escapeHtml } from './escapeHtml.js';
import { formatValue } from './formatValue.js';
import { MIME_TYPES } from './MIME_TYPES.js';
import type { MimeBundle } from './MimeBundle.js';

/** What a table shows: columns (with their types when known) and rows keyed by column name. */
export interface TableInput {
  columns: readonly { name: string; type?: string }[];
  rows: readonly Record<string, unknown>[];
  /** Every row of the result, when known (more than `rows.length` when the result was capped). */
  totalRows?: number | undefined;
  /** The result itself was capped (by the query's row limit) before it reached us. */
  truncated?: boolean;
}

export interface TableBundleOptions {
  /** A heading above the table. */
  title?: string;
  /** Rows drawn in HTML at most (default 50). */
  maxHtmlRows?: number;
  /** Rows written in the text table at most (default 20). */
  maxTextRows?: number;
  /** One line under the table: timings, versions, ... */
  footnote?: string;
}

const DEFAULT_HTML_ROWS = 50;
const DEFAULT_TEXT_ROWS = 20;
const MAX_CELL_CHARS = 200;
const MAX_TEXT_CELL_CHARS = 40;
const NUMERIC_TYPE =
  /^(TINYINT|SMALLINT|INTEGER|INT|BIGINT|HUGEINT|U\w*INT|FLOAT|REAL|DOUBLE|DECIMAL|NUMERIC|byte|short|integer|long|float|double|decimal)/i;

const STYLE = `<style>
.rtl-table{font-family:var(--jp-ui-font-family,system-ui,sans-serif);font-size:12px;margin:4px 0}
.rtl-table .rtl-title{font-weight:600;margin:0 0 4px}
.rtl-table .rtl-scroll{max-height:420px;overflow:auto;border:1px solid var(--jp-border-color2,#e0e0e0);border-radius:4px}
.rtl-table table{border-collapse:collapse;width:max-content;min-width:100%}
.rtl-table th{position:sticky;top:0;background:var(--jp-layout-color2,#f5f5f5);text-align:left;padding:4px 8px;border-bottom:1px solid var(--jp-border-color2,#e0e0e0)}
.rtl-table th .rtl-type{display:block;font-weight:400;color:var(--jp-ui-font-color2,#888);font-size:10px}
.rtl-table td{padding:3px 8px;border-bottom:1px solid var(--jp-border-color3,#f0f0f0);white-space:nowrap}
.rtl-table td.rtl-num{text-align:right;font-variant-numeric:tabular-nums}
.rtl-table td.rtl-null{color:var(--jp-ui-font-color3,#aaa);font-style:italic}
.rtl-table .rtl-foot{color:var(--jp-ui-font-color2,#666);margin-top:4px}
</style>`;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

const plural = (n: number, one: string, many = `${one}s`) =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** "24 rows · 3 columns", with what was left out. */
function describeRows(input: TableInput, shown: number): string {
  const have = input.rows.length;
  const total = input.totalRows ?? (input.truncated ? undefined : have);
  const parts: string[] = [];
  if (total !== undefined) parts.push(plural(total, 'row'));
  else parts.push(`more than ${plural(have, 'row')} (capped at ${have.toLocaleString('en-US')})`);
  parts.push(plural(input.columns.length, 'column'));
  if (shown < (total ?? Number.POSITIVE_INFINITY))
    parts.push(`showing the first ${shown.toLocaleString('en-US')}`);
  return parts.join(' · ');
}

function isNumericColumn(
  column: { name: string; type?: string },
  rows: readonly Record<string, unknown>[],
): boolean {
  if (column.type) return NUMERIC_TYPE.test(column.type);
  return rows.length > 0 && rows.every((r) => r[column.name] === null || typeof r[column.name] === 'number');
}

function htmlTable(input: TableInput, options: TableBundleOptions): string {
  const shown = Math.min(input.rows.length, Math.max(0, options.maxHtmlRows ?? DEFAULT_HTML_ROWS));
  const numeric = input.columns.map((c) => isNumericColumn(c, input.rows));
  const head = input.columns
    .map(
      (c) =>
        `<th>${escapeHtml(c.name)}${c.type ? `<span class="rtl-type">${escapeHtml(c.type.toLowerCase())}</span>` : ''}</th>`,
    )
    .join('');
  const body = input.rows
    .slice(0, shown)
    .map((row) => {
      const cells = input.columns.map((c, i) => {
        const value = row[c.name];
        if (value === null || value === undefined) return '<td class="rtl-null">NULL</td>';
        const text = formatValue(value);
        const clipped = clip(text, MAX_CELL_CHARS);
        const title = clipped === text ? '' : ` title="${escapeHtml(clip(text, 2_000))}"`;
        return `<td${numeric[i] ? ' class="rtl-num"' : ''}${title}>${escapeHtml(clipped)}</td>`;
      });
      return `<tr>${cells.join('')}</tr>`;
    })
    .join('\n');
  const foot = [describeRows(input, shown), options.footnote].filter(Boolean).join(' · ');
  const title = options.title ? `<div class="rtl-title">${escapeHtml(options.title)}</div>` : '';
  const empty = input.rows.length === 0 ? '<div class="rtl-foot">No rows.</div>' : '';
  return `<div class="rtl-table" data-rtl-rows="${input.rows.length}">${STYLE}${title}<div class="rtl-scroll"><table>
<thead><tr>${head}</tr></thead>
<tbody>
${body}
</tbody>
</table></div>${empty}<div class="rtl-foot">${escapeHtml(foot)}</div></div>`;
}

function textTable(input: TableInput, options: TableBundleOptions): string {
  const shown = Math.min(input.rows.length, Math.max(0, options.maxTextRows ?? DEFAULT_TEXT_ROWS));
  const names = input.columns.map((c) => c.name);
  const numeric = input.columns.map((c) => isNumericColumn(c, input.rows));
  const cells = input.rows
    .slice(0, shown)
    .map((row) => input.columns.map((c) => clip(formatValue(row[c.name]), MAX_TEXT_CELL_CHARS)));
  const widths = names.map((n, i) => Math.max(n.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => (numeric[i] ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const lines = [
    ...(options.title ? [options.title] : []),
    ...(names.length > 0 ? [line(names), widths.map((w) => '-'.repeat(w)).join('  ')] : []),
    ...cells.map(line),
    `(${[describeRows(input, shown), options.footnote].filter(Boolean).join(' · ')})`,
  ];
  return lines.join('\n');
}

/** The bundle of a table: `text/html` (styled, with the row count) and `text/plain`. */
export function tableBundle(input: TableInput, options: TableBundleOptions = {}): MimeBundle {
  return {
    [MIME_TYPES.text]: textTable(input, options),
    [MIME_TYPES.html]: htmlTable(input, options),
  };
}
