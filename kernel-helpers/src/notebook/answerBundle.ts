// An assistant answer as a display bundle: the Answer itself for the RT-Lakehouse extension's
// renderer, its chart as Vega-Lite, and HTML and text views (question, explanation, SQL,
// table, timings) for every other front end. Pure.
import type { Answer } from '../ai/assistant/Answer.js';
import { chartBundle } from './chartBundle.js';
import { escapeHtml } from './escapeHtml.js';
import { MIME_TYPES } from './MIME_TYPES.js';
import type { MimeBundle } from './MimeBundle.js';
import { tableBundle } from './tableBundle.js';

const STYLE = `<style>
.rtl-answer{font-family:var(--jp-ui-font-family,system-ui,sans-serif);font-size:13px}
.rtl-answer .rtl-q{font-weight:600;margin:2px 0}
.rtl-answer .rtl-why{color:var(--jp-ui-font-color1,#333);margin:2px 0 6px}
.rtl-answer pre{background:var(--jp-cell-editor-background,#f7f7f7);padding:6px 8px;border-radius:4px;font-size:12px;white-space:pre-wrap;margin:4px 0}
.rtl-answer .rtl-meta{color:var(--jp-ui-font-color2,#666);font-size:11px;margin-top:2px}
</style>`;

function meta(answer: Answer): string {
  const versions = Object.entries(answer.tableVersions)
    .map(([t, v]) => `${t}@v${v}`)
    .join(', ');
  const parts = [
    `${answer.path === 'llm' ? 'LLM' : 'embedded planner'}`,
    `${Math.round(answer.timings.totalMs)} ms`,
    ...(versions ? [versions] : []),
    ...(answer.verifiedExample ? [`verified example: ${answer.verifiedExample.question}`] : []),
    ...(answer.fallbackReason ? [`fell back: ${answer.fallbackReason}`] : []),
  ];
  return parts.join(' · ');
}

/** What `application/vnd.rtlakehouse.answer+json` holds (the extension's AnswerPayload). */
export interface AnswerPayload {
  version: 1;
  kind: 'answer';
  /** `question`: the SQL was generated; `sql`: it was given (reviewed or edited) and run as is. */
  source: 'question' | 'sql';
  answer: Answer;
}

/**
 * The bundle of an answer: `application/vnd.rtlakehouse.answer+json` (an AnswerPayload), its chart
 * as `application/vnd.vegalite.v5+json` when it has one, `text/html` and `text/plain`.
 */
export function answerBundle(answer: Answer, source: 'question' | 'sql' = 'question'): MimeBundle {
  const payload: AnswerPayload = { version: 1, kind: 'answer', source, answer };
  const table = tableBundle(answer, { maxHtmlRows: 20, maxTextRows: 10 });
  const chart = answer.chart ? chartBundle(answer.chart) : undefined;
  const html = `<div class="rtl-answer" data-rtl-kind="answer">${STYLE}
<div class="rtl-q">${escapeHtml(answer.question)}</div>
<div class="rtl-why">${escapeHtml(answer.explanation)}</div>
<pre><code class="language-sql">${escapeHtml(answer.sql)}</code></pre>
${table[MIME_TYPES.html] as string}
<div class="rtl-meta">${escapeHtml(meta(answer))}</div></div>`;
  const text = [
    answer.question,
    answer.explanation,
    '',
    answer.sql,
    '',
    table[MIME_TYPES.text],
    ...(chart ? [chart[MIME_TYPES.text]] : []),
    meta(answer),
  ].join('\n');
  return {
    [MIME_TYPES.text]: text,
    [MIME_TYPES.html]: html,
    ...(answer.chart ? { [MIME_TYPES.vegaLite]: answer.chart } : {}),
    [MIME_TYPES.answer]: payload,
  };
}
