// The AI SQL cell: a code cell whose editor holds the question, with a bar that names it,
// runs it, shows a spinner and the elapsed time, and picks the Delta version to read (time
// travel). Its outputs are the answer bundles, drawn by the answer renderer.
import { CodeCell } from '@jupyterlab/cells';
import { StaticNotebook } from '@jupyterlab/notebook';
import type { PanelLayout } from '@lumino/widgets';
import { Widget } from '@lumino/widgets';
import { AiService } from './AiService';
import type { AiSqlRunner, RunRequest, RunState } from './AiSqlRunner';
import { aiSqlMetadataOf, updateAiSqlMetadata } from './aiSqlMetadata';
import { formatMs, h } from './h';

/** The DOM event the answer view sends up to its cell ("re-run this SQL", "retry"). */
export const AI_ACTION_EVENT = 'rtl-ai-action';

export interface AiActionDetail {
  action: 'rerun-sql' | 'retry';
  sql?: string;
  /** Set by the cell that handled it. */
  handled: boolean;
}

/** The table whose history the version selector offers before any answer names tables. */
const DEFAULT_TIME_TRAVEL_TABLE = 'silver_events';

export class AiSqlCell extends CodeCell {
  private readonly bar: AiSqlBar;

  constructor(
    options: CodeCell.IOptions,
    private readonly runner: AiSqlRunner,
  ) {
    super(options);
    this.addClass('rtl-AiSqlCell');
    this.bar = new AiSqlBar(this);
    this.runner.stateChanged.connect(this.onRunState, this);
    this.node.addEventListener(AI_ACTION_EVENT, this.onAction as EventListener);
    this.model.metadataChanged.connect(() => this.bar.refresh(), this);
  }

  /** Runs the cell: asks its question (or re-runs edited SQL). */
  run(request: RunRequest = { type: 'question' }): Promise<boolean> {
    return this.runner.run(this.model, this.notebookModel(), request);
  }

  /** The run state of this cell. */
  get runState(): RunState {
    return this.runner.stateOf(this.model.sharedModel.getId());
  }

  protected override initializeDOM(): void {
    const first = this.placeholder;
    super.initializeDOM();
    if (first) {
      (this.layout as PanelLayout).insertWidget(1, this.bar);
    }
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.node.removeEventListener(AI_ACTION_EVENT, this.onAction as EventListener);
    this.runner.stateChanged.disconnect(this.onRunState, this);
    super.dispose();
  }

  private notebookModel() {
    let parent = this.parent;
    while (parent && !(parent instanceof StaticNotebook)) parent = parent.parent;
    return parent instanceof StaticNotebook ? parent.model : null;
  }

  private onRunState(_: AiSqlRunner, state: RunState): void {
    if (state.cellId === this.model.sharedModel.getId()) this.bar.showRunState(state);
  }

  private readonly onAction = (event: CustomEvent<AiActionDetail>) => {
    const detail = event.detail;
    if (detail.action === 'rerun-sql' && detail.sql) {
      detail.handled = true;
      void this.run({ type: 'sql', sql: detail.sql });
    } else if (detail.action === 'retry') {
      detail.handled = true;
      void this.run(detail.sql ? { type: 'sql', sql: detail.sql } : { type: 'question' });
    }
  };
}

/** The bar above the question: badge, run button, status, time travel. */
class AiSqlBar extends Widget {
  private readonly status = h('span', { class: 'rtl-AiSqlBar-status', 'data-testid': 'ai-status' });
  private readonly path = h('span', { class: 'rtl-AiSqlBar-path' });
  private readonly versions = h('select', {
    class: 'rtl-AiSqlBar-asOf',
    title: 'Time travel: read the tables as of a Delta version',
    'aria-label': 'Delta version',
  });
  private timer: number | undefined;
  private versionsLoaded = false;

  constructor(private readonly cell: AiSqlCell) {
    super();
    this.addClass('rtl-AiSqlBar');
    const run = h(
      'button',
      {
        class: 'rtl-AiSqlBar-run jp-mod-styled',
        title: 'Ask (Shift-Enter)',
        'aria-label': 'Ask the question',
        onclick: () => void this.cell.run(),
      },
      '▶ Ask',
    );
    this.versions.addEventListener('focus', () => void this.loadVersions());
    this.versions.addEventListener('mousedown', () => void this.loadVersions());
    this.versions.addEventListener('change', () => this.onVersionChosen());
    this.node.append(
      h('span', { class: 'rtl-AiSqlBar-badge' }, 'AI SQL'),
      run,
      this.status,
      this.path,
      h('span', { class: 'rtl-AiSqlBar-spacer' }),
      h('label', { class: 'rtl-AiSqlBar-asOfLabel' }, 'Data as of ', this.versions),
    );
    this.refresh();
    this.showRunState(cell.runState);
  }

  /** Shows what the metadata says: path of the last answer, the chosen version. */
  refresh(): void {
    const meta = aiSqlMetadataOf(this.cell.model);
    this.path.textContent =
      meta?.status === 'answered' && meta.path
        ? `answered by the ${meta.path === 'llm' ? 'LLM' : meta.path}`
        : '';
    this.path.dataset['path'] = meta?.path ?? '';
    const asOf = meta?.asOf;
    const value = asOf && typeof asOf === 'object' ? JSON.stringify(asOf) : '';
    if (![...this.versions.options].some((o) => o.value === value)) {
      this.versions.append(h('option', { value }, value ? describeAsOf(asOf) : 'latest'));
    }
    this.versions.value = value;
  }

  showRunState(state: RunState): void {
    window.clearInterval(this.timer);
    this.timer = undefined;
    this.toggleClass('rtl-mod-running', state.running);
    if (state.running && state.startedAt !== undefined) {
      const startedAt = state.startedAt;
      const tick = () => {
        this.status.textContent = `working… ${formatMs(Date.now() - startedAt)}`;
      };
      tick();
      this.timer = window.setInterval(tick, 100);
    } else {
      this.status.textContent = '';
    }
  }

  override dispose(): void {
    window.clearInterval(this.timer);
    super.dispose();
  }

  private async loadVersions(): Promise<void> {
    if (this.versionsLoaded) return;
    this.versionsLoaded = true;
    const meta = aiSqlMetadataOf(this.cell.model);
    const answerTables = this.answerTables();
    const table = answerTables[0] ?? DEFAULT_TIME_TRAVEL_TABLE;
    try {
      const history = await AiService.tableHistory(table, 30);
      const current = this.versions.value;
      this.versions.replaceChildren(h('option', { value: '' }, 'latest'));
      for (const entry of history) {
        const asOf = { [table]: entry.version };
        const label = `${table} v${entry.version} · ${entry.timestamp.replace('T', ' ').slice(0, 19)} · ${entry.operation ?? ''}`;
        this.versions.append(h('option', { value: JSON.stringify(asOf) }, label));
      }
      if (current && ![...this.versions.options].some((o) => o.value === current)) {
        this.versions.append(h('option', { value: current }, describeAsOf(meta?.asOf)));
      }
      this.versions.value = current;
    } catch (error) {
      this.versionsLoaded = false;
      this.versions.title = `Versions could not be loaded: ${(error as Error).message}`;
    }
  }

  private answerTables(): string[] {
    const output = this.cell.model.outputs.get(0)?.data['application/vnd.rtlakehouse.answer+json'] as
      | { kind?: string; answer?: { tableVersions?: Record<string, number> } }
      | undefined;
    return Object.keys(output?.answer?.tableVersions ?? {});
  }

  private onVersionChosen(): void {
    const value = this.versions.value;
    const asOf = value ? (JSON.parse(value) as Record<string, number>) : undefined;
    updateAiSqlMetadata(this.cell.model, { asOf });
    void this.cell.run();
  }
}

function describeAsOf(asOf: unknown): string {
  if (!asOf) return 'latest';
  if (typeof asOf === 'string') return asOf;
  return Object.entries(asOf as Record<string, number>)
    .map(([table, version]) => `${table} v${version}`)
    .join(', ');
}
