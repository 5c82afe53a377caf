// The rich view of an AI SQL answer (ANSWER_MIME): question and explanation, which path
// answered, the SQL (editable, re-runnable), the chart (JupyterLab's own Vega-Lite renderer,
// SVG, tooltips and zoom), the table, CSV download and "this is right". Errors show the
// service's message, suggestions and a retry.

import type { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { MimeModel } from '@jupyterlab/rendermime';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Panel, Widget } from '@lumino/widgets';
import { AiService } from './AiService';
import { AI_ACTION_EVENT, type AiActionDetail } from './AiSqlCell';
import { AnswerTable } from './AnswerTable';
import { ANSWER_MIME, type AnswerPayload, VEGALITE_MIME } from './answerBundle';
import type { Answer } from './contract';
import { csvFromRows } from './csvFromRows';
import { formatMs, formatNumber, h } from './h';
import { interactiveChartSpec } from './interactiveChartSpec';

export class AnswerRenderer extends Panel implements IRenderMime.IRenderer {
  constructor(private readonly rendermime: () => IRenderMimeRegistry | null) {
    super();
    this.addClass('rtl-Answer');
  }

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const payload = model.data[ANSWER_MIME] as unknown as AnswerPayload | undefined;
    this.clear();
    if (!payload || typeof payload !== 'object') {
      this.addWidget(
        block(h('div', { class: 'rtl-Answer-error' }, 'This answer output is empty or malformed.')),
      );
      return;
    }
    if (payload.kind === 'error') {
      this.renderError(payload);
      return;
    }
    await this.renderAnswer(payload.answer, payload.source);
  }

  private clear(): void {
    for (const widget of [...this.widgets]) widget.dispose();
  }

  private async renderAnswer(answer: Answer, source: 'question' | 'sql'): Promise<void> {
    const t = answer.timings;
    const badge = h(
      'span',
      {
        class: `rtl-Answer-path rtl-mod-${answer.path}`,
        'data-testid': 'answer-path',
        title: 'Which path answered',
      },
      answer.path === 'llm' ? 'LLM' : 'planner',
    );
    const header = h(
      'div',
      { class: 'rtl-Answer-header' },
      badge,
      h('span', { class: 'rtl-Answer-explanation' }, source === 'sql' ? 'Your SQL' : answer.explanation),
      h(
        'span',
        {
          class: 'rtl-Answer-timings',
          title: `retrieve ${t.retrieveMs} ms · generate ${t.generateMs} ms · execute ${t.executeMs} ms`,
        },
        formatMs(t.totalMs),
      ),
    );
    const notes: HTMLElement[] = [];
    if (answer.verifiedExample) {
      notes.push(
        h(
          'div',
          { class: 'rtl-Answer-note' },
          `Based on the verified example “${answer.verifiedExample.question}”`,
        ),
      );
    }
    if (answer.fallbackReason)
      notes.push(h('div', { class: 'rtl-Answer-note' }, `Planner fallback: ${answer.fallbackReason}`));
    const versions = Object.entries(answer.tableVersions);
    if (versions.length) {
      notes.push(
        h(
          'div',
          { class: 'rtl-Answer-note' },
          `Read ${versions.map(([name, v]) => `${name} v${v}`).join(', ')}`,
        ),
      );
    }
    this.addWidget(block(header, ...notes));
    this.addWidget(this.sqlEditor(answer.sql, answer.question));
    if (answer.chart) this.addWidget(await this.chart(answer.chart));
    this.addWidget(new AnswerTable(answer));
    this.addWidget(this.actions(answer));
  }

  private sqlEditor(sql: string, question: string): Widget {
    const editor = h('textarea', {
      class: 'rtl-Answer-sql',
      spellcheck: 'false',
      'aria-label': 'SQL',
      rows: Math.min(14, Math.max(3, sql.split('\n').length + 1)),
    });
    editor.value = sql;
    const status = h('span', { class: 'rtl-Answer-sqlStatus' });
    const run = h(
      'button',
      {
        class: 'jp-mod-styled jp-mod-accept rtl-Answer-runSql',
        title: 'Run this SQL (Ctrl-Enter in the editor)',
        onclick: () => void this.rerun(editor.value, question, status),
      },
      'Run SQL',
    );
    editor.addEventListener('keydown', (event) => {
      // Keep notebook shortcuts (A, B, D D, Shift-Enter...) out of the SQL editor.
      event.stopPropagation();
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        void this.rerun(editor.value, question, status);
      }
    });
    return block(
      h(
        'details',
        { class: 'rtl-Answer-sqlBlock', open: true },
        h('summary', {}, 'SQL'),
        editor,
        h('div', { class: 'rtl-Answer-sqlBar' }, run, status),
      ),
    );
  }

  /** Asks the cell to re-run the SQL; outside an AI SQL cell, runs it here and redraws. */
  private async rerun(sql: string, question: string, status: HTMLElement): Promise<void> {
    const detail: AiActionDetail = { action: 'rerun-sql', sql, handled: false };
    this.node.dispatchEvent(new CustomEvent(AI_ACTION_EVENT, { detail, bubbles: true }));
    if (detail.handled) return;
    status.textContent = 'running…';
    try {
      const answer = await AiService.sql({ sql, question });
      this.clear();
      await this.renderAnswer(answer, 'sql');
    } catch (error) {
      status.textContent = (error as Error).message;
    }
  }

  private async chart(spec: Record<string, unknown>): Promise<Widget> {
    const rendermime = this.rendermime();
    const container = new Panel();
    container.addClass('rtl-Answer-chart');
    if (!rendermime || !rendermime.mimeTypes.includes(VEGALITE_MIME)) {
      container.addWidget(
        block(h('div', { class: 'rtl-Answer-note' }, 'No Vega-Lite renderer is installed: see the table.')),
      );
      return container;
    }
    const renderer = rendermime.createRenderer(VEGALITE_MIME);
    container.addWidget(renderer);
    const model = new MimeModel({
      data: { [VEGALITE_MIME]: interactiveChartSpec(spec, this.chartWidth()) as never },
      metadata: {
        [VEGALITE_MIME]: {
          embed_options: {
            renderer: 'svg',
            actions: { export: true, source: false, compiled: false, editor: false },
          },
        },
      },
    });
    try {
      await renderer.renderModel(model);
    } catch (error) {
      container.addWidget(
        block(
          h('div', { class: 'rtl-Answer-note' }, `The chart could not be drawn: ${(error as Error).message}`),
        ),
      );
    }
    return container;
  }

  /** The chart's width: the output area's, less the prompt and the chart's actions menu. */
  private chartWidth(): number {
    const area = this.node.closest('.jp-OutputArea') as HTMLElement | null;
    const width = area?.clientWidth ?? this.node.clientWidth;
    return width > 320 ? Math.min(1200, width - 160) : 640;
  }

  private actions(answer: Answer): Widget {
    const feedbackStatus = h('span', {
      class: 'rtl-Answer-feedbackStatus',
      'data-testid': 'feedback-status',
    });
    const csv = h(
      'button',
      {
        class: 'jp-mod-styled rtl-Answer-csv',
        title: answer.truncated ? `Download the ${answer.rowCount} rows loaded as CSV` : 'Download as CSV',
        onclick: () => downloadCsv(answer),
      },
      '⇩ CSV',
    );
    const right = h(
      'button',
      {
        class: 'jp-mod-styled rtl-Answer-right',
        title: 'Record this question and SQL as a verified example',
        onclick: async () => {
          right.disabled = true;
          feedbackStatus.textContent = 'recording…';
          try {
            await AiService.feedback(answer.turnId);
            feedbackStatus.textContent = 'Recorded as a verified example';
          } catch (error) {
            right.disabled = false;
            feedbackStatus.textContent = `Not recorded: ${(error as Error).message}`;
          }
        },
      },
      '✓ This is right',
    );
    return block(
      h(
        'div',
        { class: 'rtl-Answer-actions' },
        csv,
        right,
        feedbackStatus,
        h('span', { class: 'rtl-spacer' }),
        h('span', { class: 'rtl-Answer-count' }, `${formatNumber(answer.totalRows ?? answer.rowCount)} rows`),
      ),
    );
  }

  private renderError(payload: Extract<AnswerPayload, { kind: 'error' }>): void {
    const { error } = payload;
    const retry = h(
      'button',
      {
        class: 'jp-mod-styled jp-mod-accept rtl-Answer-retry',
        onclick: () => {
          const detail: AiActionDetail = {
            action: 'retry',
            ...(payload.sql ? { sql: payload.sql } : {}),
            handled: false,
          };
          this.node.dispatchEvent(new CustomEvent(AI_ACTION_EVENT, { detail, bubbles: true }));
        },
      },
      '↻ Retry',
    );
    const suggestions = error.suggestions.length
      ? h(
          'div',
          { class: 'rtl-Answer-suggestions' },
          'Try: ',
          ...error.suggestions.map((s) => h('code', {}, s)),
        )
      : null;
    this.addWidget(
      block(
        h(
          'div',
          { class: 'rtl-Answer-error', role: 'alert', 'data-testid': 'answer-error' },
          h('strong', {}, titleOf(error.code)),
          h('div', { class: 'rtl-Answer-errorMessage' }, error.message),
          h('div', { class: 'rtl-Answer-errorCode' }, error.code),
          suggestions,
          payload.question || payload.sql ? retry : null,
        ),
      ),
    );
    if (payload.sql) this.addWidget(this.sqlEditor(payload.sql, payload.question));
  }
}

/** A plain DOM block as a widget. */
function block(...children: HTMLElement[]): Widget {
  const widget = new Widget();
  widget.node.append(...children);
  return widget;
}

const ERROR_TITLES: Record<string, string> = {
  EMPTY_QUESTION: 'No question yet',
  SERVICE_UNREACHABLE: 'The assistant service is not reachable',
  SERVICE_DOWN: 'The assistant service is down',
  TIMEOUT: 'No answer in time',
  UNANSWERABLE: 'This question cannot be answered from the lakehouse',
  UNAUTHORIZED: 'Not authorised',
  INVALID_TOKEN: 'Not authorised: the API token is not valid',
  VALIDATION_FAILED: 'The request was not valid',
};

function titleOf(code: string): string {
  const title = ERROR_TITLES[code];
  if (title) return title;
  if (code.startsWith('SQL_')) return 'This SQL is not allowed';
  if (code.startsWith('QUERY_')) return 'The query failed';
  if (code.startsWith('LLM_')) return 'The language model failed';
  return 'The question could not be answered';
}

function downloadCsv(answer: Answer): void {
  const blob = new Blob([csvFromRows(answer.columns, answer.rows)], { type: 'text/csv' });
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: `answer-${answer.turnId}.csv` });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The renderer factory for ANSWER_MIME (rank 0: preferred over the HTML fallback). */
export function createAnswerRendererFactory(
  rendermime: () => IRenderMimeRegistry | null,
): IRenderMime.IRendererFactory {
  return {
    safe: true,
    mimeTypes: [ANSWER_MIME],
    defaultRank: 0,
    createRenderer: () => new AnswerRenderer(rendermime),
  };
}
