// The outputs an AI SQL cell writes: ordinary `display_data` bundles, so saved notebooks,
// nbconvert exports and collaborators all see the answer. The rich view reads ANSWER_MIME; the
// Vega-Lite spec and HTML/plain-text fallbacks are there for every other reader.
import type { Answer, AsOf } from './contract';

export const ANSWER_MIME = 'application/vnd.rtlakehouse.answer+json';
export const KPI_MIME = 'application/vnd.rtlakehouse.kpi+json';
export const VEGALITE_MIME = 'application/vnd.vegalite.v5+json';

/** The answer view's payload: an answer, or an error that says what to try. */
export type AnswerPayload =
  | { version: 1; kind: 'answer'; source: 'question' | 'sql'; answer: Answer; asOf?: AsOf }
  | {
      version: 1;
      kind: 'error';
      question: string;
      sql?: string;
      error: { code: string; message: string; suggestions: string[]; retriable: boolean };
    };

/** A display_data output (nbformat v4). */
export interface DisplayData {
  output_type: 'display_data';
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

/** How many rows the HTML fallback shows (the rich view pages through all of them). */
export const HTML_ROWS = 50;

/** The output bundle of an answer. */
export function answerOutput(answer: Answer, source: 'question' | 'sql', asOf?: AsOf): DisplayData {
  const payload: AnswerPayload = { version: 1, kind: 'answer', source, answer, ...(asOf ? { asOf } : {}) };
  const data: Record<string, unknown> = {
    [ANSWER_MIME]: payload,
    'text/html': answerHtml(answer),
    'text/plain': answerText(answer),
  };
  const metadata: Record<string, unknown> = {};
  if (answer.chart) {
    data[VEGALITE_MIME] = answer.chart;
    metadata[VEGALITE_MIME] = { embed_options: { renderer: 'svg' } };
  }
  return { output_type: 'display_data', data, metadata };
}

/** The output bundle of a question that could not be answered (or a service that is down). */
export function errorOutput(
  question: string,
  error: { code: string; message: string; suggestions?: string[]; retriable?: boolean },
  sql?: string,
): DisplayData {
  const suggestions = error.suggestions ?? [];
  const payload: AnswerPayload = {
    version: 1,
    kind: 'error',
    question,
    ...(sql ? { sql } : {}),
    error: { code: error.code, message: error.message, suggestions, retriable: error.retriable ?? false },
  };
  const tips = suggestions.length ? `\nTry: ${suggestions.join(' | ')}` : '';
  return {
    output_type: 'display_data',
    data: {
      [ANSWER_MIME]: payload,
      'text/html': `<div class="rtl-answer-error"><strong>${escapeHtml(error.code)}</strong>: ${escapeHtml(error.message)}${
        suggestions.length ? `<ul>${suggestions.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ul>` : ''
      }</div>`,
      'text/plain': `${error.code}: ${error.message}${tips}`,
    },
    metadata: {},
  };
}

/** Escapes text for HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A cell value as text (objects and lists as JSON). */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function answerHtml(answer: Answer): string {
  const head = answer.columns.map((c) => `<th>${escapeHtml(c.name)}</th>`).join('');
  const body = answer.rows
    .slice(0, HTML_ROWS)
    .map(
      (row) =>
        `<tr>${answer.columns.map((c) => `<td>${escapeHtml(cellText(row[c.name]))}</td>`).join('')}</tr>`,
    )
    .join('\n');
  const total = answer.totalRows ?? answer.rowCount;
  const shown = Math.min(HTML_ROWS, answer.rows.length);
  return [
    '<div class="rtl-answer-fallback">',
    `<p><strong>${escapeHtml(answer.question)}</strong> — ${escapeHtml(answer.explanation)} (${answer.path})</p>`,
    `<pre><code class="language-sql">${escapeHtml(answer.sql)}</code></pre>`,
    `<table class="dataframe"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`,
    `<p>${shown} of ${total} rows</p>`,
    '</div>',
  ].join('\n');
}

function answerText(answer: Answer): string {
  const lines = [answer.question, answer.sql, ''];
  lines.push(answer.columns.map((c) => c.name).join('\t'));
  for (const row of answer.rows.slice(0, 10))
    lines.push(answer.columns.map((c) => cellText(row[c.name])).join('\t'));
  lines.push(`(${answer.rowCount} of ${answer.totalRows ?? answer.rowCount} rows; ${answer.path})`);
  return lines.join('\n');
}
