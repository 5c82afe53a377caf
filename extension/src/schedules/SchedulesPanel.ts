// The Schedules panel: firing alerts, every schedule (trigger, next fire, last run) with pause,
// resume, run now and delete, and per schedule its run history with links to the outputs (the
// executed notebook in JupyterLab or in a new tab, the .ipynb as a download).
import { Dialog, Notification, showDialog } from '@jupyterlab/apputils';
import type { Message } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';
import { formatMs, h } from '../h';
import type { SchedulesModel } from './SchedulesModel';
import { SchedulerApi } from './schedulerApi';
import type { RunRecord, SchedulerAlert, ScheduleTrigger, ScheduleView } from './schedulerContract';
import { ensureSchedulesStyle } from './schedulesStyle';
import { tableReadsText } from './tableReadsText';

export interface SchedulesPanelOptions {
  model: SchedulesModel;
  /** Opens a run's executed notebook inside JupyterLab. */
  openOutput(run: RunRecord): void;
}

/** How a trigger reads: `every 2 s`, `0 7 * * * (Europe/Berlin)`, `on commit to gold_kpis`. */
export function describeTrigger(trigger: ScheduleTrigger): string {
  if ('everySeconds' in trigger) {
    const s = trigger.everySeconds;
    return s % 3600 === 0 ? `every ${s / 3600} h` : s % 60 === 0 ? `every ${s / 60} min` : `every ${s} s`;
  }
  if ('cron' in trigger) return `cron ${trigger.cron} (${trigger.timezone ?? 'UTC'})`;
  return `on commit to ${trigger.onCommit}`;
}

const time = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString() : '—');

export class SchedulesPanel extends Widget {
  private readonly model: SchedulesModel;

  constructor(private readonly options: SchedulesPanelOptions) {
    super();
    ensureSchedulesStyle();
    this.model = options.model;
    this.addClass('rtl-Schedules');
    this.model.changed.connect(() => this.draw(), this);
    this.draw();
  }

  protected override onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this.model.start();
  }

  protected override onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    if (this.isVisible) this.model.start();
  }

  protected override onBeforeHide(msg: Message): void {
    super.onBeforeHide(msg);
    this.model.stop();
  }

  protected override onBeforeDetach(msg: Message): void {
    this.model.stop();
    super.onBeforeDetach(msg);
  }

  override dispose(): void {
    this.model.stop();
    super.dispose();
  }

  private draw(): void {
    const { schedules, alerts, error, updatedAt } = this.model.state;
    const body: (HTMLElement | null)[] = [];
    if (error)
      body.push(
        h('p', { class: 'rtl-Schedules-problem', role: 'status' }, `${error.message} (${error.code})`),
      );
    if (alerts && alerts.active.length > 0) body.push(this.alerts(alerts.active));
    if (schedules === null) body.push(error ? null : h('p', { class: 'rtl-Schedules-empty' }, 'loading…'));
    else if (schedules.length === 0)
      body.push(
        h(
          'p',
          { class: 'rtl-Schedules-empty' },
          'No schedules yet. Open a notebook and run "Schedule this notebook" (toolbar, palette or context menu).',
        ),
      );
    else body.push(h('ul', { class: 'rtl-Schedules-list' }, ...schedules.map((s) => this.schedule(s))));
    this.node.replaceChildren(
      h(
        'header',
        { class: 'rtl-Schedules-header' },
        h('h2', {}, 'Schedules'),
        h(
          'span',
          { class: 'rtl-Schedules-updated' },
          updatedAt ? `updated ${new Date(updatedAt).toLocaleTimeString()}` : '',
        ),
        h(
          'button',
          { class: 'jp-mod-styled', title: 'Refresh now', onclick: () => void this.model.refresh() },
          '↻',
        ),
      ),
      ...body.filter((e): e is HTMLElement => e !== null),
    );
  }

  private alerts(active: SchedulerAlert[]): HTMLElement {
    return h(
      'section',
      { class: 'rtl-Schedules-alerts', 'data-testid': 'schedule-alerts' },
      h('h3', {}, `Failing (${active.length})`),
      ...active.map((a) =>
        h(
          'p',
          { class: 'rtl-Schedules-alert', 'data-run-id': a.runId, role: 'alert' },
          `${a.message} `,
          h(
            'a',
            { href: SchedulerApi.outputUrl(a.runId, 'html'), target: '_blank', rel: 'noopener' },
            'output',
          ),
        ),
      ),
    );
  }

  private schedule(s: ScheduleView): HTMLElement {
    const open = this.model.opened.has(s.id);
    const status = s.activeRun?.status === 'running' ? 'running' : (s.lastRun?.status ?? 'none');
    const item = h(
      'li',
      {
        class: 'rtl-Schedules-item',
        'data-schedule-id': s.id,
        'data-enabled': String(s.enabled),
        'data-status': status,
      },
      h(
        'div',
        { class: 'rtl-Schedules-title' },
        h('span', { class: `rtl-Schedules-dot rtl-mod-${status}`, title: status }),
        h('strong', {}, s.name),
        s.enabled ? null : h('span', { class: 'rtl-Schedules-badge' }, 'paused'),
      ),
      h('div', { class: 'rtl-Schedules-meta' }, `${s.notebook} · ${describeTrigger(s.trigger)}`),
      h(
        'div',
        { class: 'rtl-Schedules-meta' },
        s.enabled && s.state.nextFireAt ? `next ${time(s.state.nextFireAt)} · ` : '',
        s.activeRun ? `${s.activeRun.status} now · ` : '',
        s.lastRun ? `last ${s.lastRun.status} ${time(s.lastRun.endedAt)}` : 'no run yet',
      ),
      h(
        'div',
        { class: 'rtl-Schedules-actions' },
        this.button('Run now', 'run', () => SchedulerApi.runNow(s.id)),
        s.enabled
          ? this.button('Pause', 'pause', () => SchedulerApi.pause(s.id))
          : this.button('Resume', 'resume', () => SchedulerApi.resume(s.id)),
        h(
          'button',
          {
            class: 'jp-mod-styled',
            'data-action': 'history',
            'aria-expanded': String(open),
            onclick: () => this.model.toggle(s.id),
          },
          open ? 'Hide runs' : 'Runs',
        ),
        this.button('Delete', 'delete', async () => {
          const answer = await showDialog({
            title: 'Delete schedule',
            body: `Delete the schedule "${s.name}" with its run history and outputs?`,
            buttons: [Dialog.cancelButton(), Dialog.warnButton({ label: 'Delete' })],
          });
          if (answer.button.accept) await SchedulerApi.remove(s.id);
        }),
      ),
    );
    if (open) item.append(this.runs(this.model.state.runs.get(s.id)));
    return item;
  }

  private button(label: string, action: string, act: () => Promise<unknown>): HTMLElement {
    return h(
      'button',
      {
        class: 'jp-mod-styled',
        'data-action': action,
        onclick: (event: Event) => {
          const target = event.currentTarget as HTMLButtonElement;
          target.disabled = true;
          void act()
            .catch((error: Error) =>
              Notification.error(`${label} failed: ${error.message}`, { autoClose: 8000 }),
            )
            .finally(() => {
              target.disabled = false;
              void this.model.refresh();
            });
        },
      },
      label,
    );
  }

  private runs(runs: RunRecord[] | undefined): HTMLElement {
    if (!runs) return h('p', { class: 'rtl-Schedules-empty' }, 'loading runs…');
    if (runs.length === 0) return h('p', { class: 'rtl-Schedules-empty' }, 'No runs yet.');
    return h(
      'ol',
      { class: 'rtl-Schedules-runs' },
      ...runs.map((run) =>
        h(
          'li',
          { class: 'rtl-Schedules-run', 'data-run-id': run.id, 'data-status': run.status },
          h(
            'div',
            { title: run.error?.message ?? run.reason ?? '' },
            h('span', { class: `rtl-Schedules-dot rtl-mod-${run.status}` }),
            h(
              'strong',
              { 'data-field': 'status' },
              run.attempt > 1 ? `${run.status} (attempt ${run.attempt})` : run.status,
            ),
            ' · ',
            h('span', { 'data-field': 'cause' }, run.cause),
            ' · ',
            h('span', { 'data-field': 'started' }, time(run.startedAt ?? run.queuedAt)),
            run.durationMs === null ? '' : ` · ${formatMs(run.durationMs)}`,
            ...readsOf(run),
          ),
          h('div', { class: 'rtl-Schedules-links' }, ...this.links(run)),
        ),
      ),
    );
  }

  private links(run: RunRecord): HTMLElement[] {
    const links: HTMLElement[] = [];
    if (run.outputs.html) {
      links.push(
        h(
          'button',
          {
            class: 'jp-mod-styled',
            'data-action': 'open-output',
            title: 'Open the executed notebook in JupyterLab',
            onclick: () => this.options.openOutput(run),
          },
          'Open',
        ),
        h(
          'a',
          {
            href: SchedulerApi.outputUrl(run.id, 'html'),
            target: '_blank',
            rel: 'noopener',
            'data-link': 'html',
          },
          'HTML',
        ),
      );
    }
    if (run.outputs.ipynb)
      links.push(
        h(
          'a',
          {
            href: SchedulerApi.outputUrl(run.id, 'ipynb'),
            download: `${run.id}.ipynb`,
            'data-link': 'ipynb',
          },
          '.ipynb',
        ),
      );
    if (run.error)
      links.push(
        h('span', { class: 'rtl-Schedules-error', title: run.error.message }, run.error.message.slice(0, 80)),
      );
    return links;
  }
}

/** ' · read orders v3' with the Delta versions the run's notebook read, or nothing. */
function readsOf(run: RunRecord): (string | HTMLElement)[] {
  const text = tableReadsText(run.tableVersions);
  return text === '' ? [] : [' · ', h('span', { 'data-field': 'reads' }, text)];
}
