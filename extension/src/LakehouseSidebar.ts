// The lakehouse sidebar: services, alerts, pipelines (lag, rows/s, freshness, last batch), tables with
// their schemas and Delta history, quarantine counts and schedules. It polls only while shown.
import type { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import type { Message } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';
import type { Alerts, HealthCheck, Schedule, TableInfo } from './contract';
import { formatMs, formatNumber, h } from './h';
import type { Fetched, LakehouseModel, LakehouseState } from './LakehouseModel';

export class LakehouseSidebar extends Widget {
  private readonly openTables = new Set<string>();
  private readonly closedSections = new Set<string>();

  constructor(
    private readonly model: LakehouseModel,
    _rendermime: IRenderMimeRegistry,
  ) {
    super();
    this.addClass('rtl-Sidebar');
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

  private draw(): void {
    const state = this.model.state;
    const updated = state.updatedAt ? new Date(state.updatedAt).toLocaleTimeString() : 'never';
    this.node.replaceChildren(
      h(
        'header',
        { class: 'rtl-Sidebar-header' },
        h('h2', {}, 'RT-Lakehouse'),
        h('span', { class: 'rtl-Sidebar-updated' }, `updated ${updated}`),
        h(
          'button',
          { class: 'jp-mod-styled', title: 'Refresh now', onclick: () => void this.model.refresh() },
          '↻',
        ),
      ),
      this.section('Services', 'services', this.services(state)),
      this.section('Alerts', 'alerts', this.alerts(state)),
      this.section('Pipelines', 'pipelines', this.pipelines(state)),
      this.section('Tables', 'tables', this.tables(state)),
      this.section('Quarantine', 'quarantine', this.quarantine(state)),
      this.section('Schedules', 'schedules', this.schedules(state)),
    );
  }

  private section(title: string, key: string, body: HTMLElement): HTMLElement {
    const details = h('details', {
      class: 'rtl-Sidebar-section',
      'data-section': key,
      open: !this.closedSections.has(key),
    });
    details.addEventListener('toggle', () => {
      if (details.open) this.closedSections.delete(key);
      else this.closedSections.add(key);
    });
    details.append(h('summary', {}, title), body);
    return details;
  }

  private services(state: LakehouseState): HTMLElement {
    const health = state.health;
    if (!health) return loading();
    if (!health.ok) return problem(health);
    const checks = Object.entries(health.value.checks) as [string, HealthCheck][];
    return h(
      'ul',
      { class: 'rtl-Sidebar-list' },
      h(
        'li',
        { 'data-service': 'assistant API', 'data-status': health.value.status },
        dot(health.value.status),
        `assistant API: ${health.value.status} (up ${formatNumber(health.value.uptimeSeconds, 0)} s)`,
      ),
      ...checks.map(([name, check]) =>
        h(
          'li',
          { 'data-service': name, 'data-status': check.status },
          dot(check.status),
          `${name}: ${check.status}`,
        ),
      ),
    );
  }

  /** Firing alerts of the assistant's monitor, then the last few resolved ones. */
  private alerts(state: LakehouseState): HTMLElement {
    const alerts = state.alerts;
    if (!alerts) return loading();
    if (!alerts.ok) return problem(alerts);
    if (!alerts.value.enabled) return h('p', { class: 'rtl-Sidebar-empty' }, 'Alerts are off.');
    const item = (a: Alerts['active'][number]) =>
      h(
        'li',
        { 'data-alert': a.id, 'data-state': a.state, title: `since ${new Date(a.since).toLocaleString()}` },
        dot(a.state === 'resolved' ? 'ok' : a.severity === 'critical' ? 'down' : 'degraded'),
        a.state === 'resolved' ? `resolved: ${a.message}` : a.message,
      );
    return h(
      'ul',
      { class: 'rtl-Sidebar-list' },
      ...(alerts.value.active.length === 0
        ? [h('li', { class: 'rtl-Sidebar-empty' }, 'No alert firing.')]
        : alerts.value.active.map(item)),
      ...alerts.value.recent.slice(0, 3).map(item),
    );
  }

  private pipelines(state: LakehouseState): HTMLElement {
    const pipelines = state.pipelines;
    if (!pipelines) return loading();
    if (!pipelines.ok) return problem(pipelines);
    if (pipelines.value.length === 0) return h('p', { class: 'rtl-Sidebar-empty' }, 'No pipelines running.');
    return h(
      'table',
      { class: 'rtl-Sidebar-table' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...['pipeline', 'state', 'lag', 'rows/s', 'freshness', 'last batch'].map((c) => h('th', {}, c)),
        ),
      ),
      h(
        'tbody',
        {},
        ...pipelines.value.map((p) =>
          h(
            'tr',
            { title: p.error ?? '' },
            h('td', {}, p.name),
            h(
              'td',
              {},
              dot(
                p.state === 'running' || p.state === 'idle' || p.state === 'committing'
                  ? 'ok'
                  : p.state === 'failed'
                    ? 'down'
                    : 'unknown',
              ),
              p.state,
            ),
            h('td', { class: 'rtl-num' }, p.lag === null ? '–' : formatNumber(p.lag, 0)),
            h('td', { class: 'rtl-num' }, p.rowsPerSecond === null ? '–' : formatNumber(p.rowsPerSecond, 0)),
            h('td', { class: 'rtl-num' }, p.freshnessMs === null ? '–' : formatMs(p.freshnessMs)),
            h('td', {}, p.lastBatchAt ? new Date(p.lastBatchAt).toLocaleTimeString() : '–'),
          ),
        ),
      ),
    );
  }

  private tables(state: LakehouseState): HTMLElement {
    const tables = state.tables;
    if (!tables) return loading();
    if (!tables.ok) return problem(tables);
    if (tables.value.length === 0) return h('p', { class: 'rtl-Sidebar-empty' }, 'No tables yet.');
    return h('div', { class: 'rtl-Sidebar-tables' }, ...tables.value.map((t) => this.table(t)));
  }

  private table(table: TableInfo): HTMLElement {
    const details = h('details', {
      class: 'rtl-Sidebar-tableItem',
      'data-table': table.name,
      open: this.openTables.has(table.name),
    });
    details.addEventListener('toggle', () => {
      if (details.open) {
        this.openTables.add(table.name);
        if (!this.model.history(table.name)) void this.model.reloadHistory(table.name);
      } else {
        this.openTables.delete(table.name);
      }
    });
    const rows = table.rowCount === null ? '' : ` · ${formatNumber(table.rowCount, 0)} rows`;
    const summary = h(
      'summary',
      {},
      h('strong', {}, table.name),
      h('span', { class: 'rtl-Sidebar-meta' }, ` v${table.version}${rows} · ${table.numFiles} files`),
    );
    const schema = h(
      'table',
      { class: 'rtl-Sidebar-table rtl-Sidebar-schema' },
      h(
        'tbody',
        {},
        ...table.columns.map((c) =>
          h(
            'tr',
            {},
            h('td', {}, c.name),
            h('td', { class: 'rtl-Sidebar-type' }, c.type + (c.nullable ? '' : ' not null')),
          ),
        ),
      ),
    );
    const history = this.model.history(table.name);
    let historyView: HTMLElement;
    if (!history) historyView = loading();
    else if (!history.ok) historyView = problem(history);
    else
      historyView = h(
        'table',
        { class: 'rtl-Sidebar-table rtl-Sidebar-history' },
        h('thead', {}, h('tr', {}, h('th', {}, 'version'), h('th', {}, 'time'), h('th', {}, 'operation'))),
        h(
          'tbody',
          {},
          ...history.value.map((e) =>
            h(
              'tr',
              {},
              h('td', { class: 'rtl-num' }, String(e.version)),
              h('td', {}, e.timestamp.replace('T', ' ').slice(0, 19)),
              h('td', {}, e.operation ?? ''),
            ),
          ),
        ),
      );
    details.append(
      summary,
      table.error ? h('p', { class: 'rtl-Sidebar-problem' }, table.error) : '',
      h('div', { class: 'rtl-Sidebar-sub' }, 'Schema'),
      schema,
      h(
        'div',
        { class: 'rtl-Sidebar-sub' },
        'Delta history ',
        h(
          'button',
          {
            class: 'jp-mod-styled rtl-Sidebar-mini',
            onclick: () => void this.model.reloadHistory(table.name),
          },
          '↻',
        ),
      ),
      historyView,
    );
    return details;
  }

  private quarantine(state: LakehouseState): HTMLElement {
    const quarantine = state.quarantine;
    if (!quarantine) return loading();
    if (!quarantine.ok) return problem(quarantine);
    const total = quarantine.value.reduce((s, q) => s + q.count, 0);
    if (total === 0)
      return h(
        'p',
        { class: 'rtl-Sidebar-empty', 'data-testid': 'quarantine-total' },
        'Nothing quarantined.',
      );
    return h(
      'div',
      {},
      h('p', { 'data-testid': 'quarantine-total' }, `${formatNumber(total, 0)} records quarantined`),
      h(
        'ul',
        { class: 'rtl-Sidebar-list' },
        ...quarantine.value.map((q) => h('li', {}, `${q.reason}: ${formatNumber(q.count, 0)}`)),
      ),
    );
  }

  private schedules(state: LakehouseState): HTMLElement {
    const schedules = state.schedules;
    if (!schedules) return loading();
    if (!schedules.ok) {
      return schedules.code === 'HTTP_404' || schedules.code === 'NOT_FOUND'
        ? h('p', { class: 'rtl-Sidebar-empty' }, 'The scheduler API is not available on this service.')
        : problem(schedules);
    }
    if (schedules.value.length === 0) return h('p', { class: 'rtl-Sidebar-empty' }, 'No schedules.');
    return h(
      'ul',
      { class: 'rtl-Sidebar-list' },
      ...schedules.value.map((s) => {
        const state = scheduleState(s);
        const trigger = s.cron ?? (s.intervalSeconds ? `every ${s.intervalSeconds} s` : '');
        const lastRun = s.lastRun ? ` · last run ${s.lastRun.status}` : '';
        const next =
          state === 'paused' || !s.nextRunAt ? '' : ` · next ${new Date(s.nextRunAt).toLocaleTimeString()}`;
        return h(
          'li',
          { 'data-schedule': s.id, 'data-state': state, title: s.notebook ?? '' },
          dot(state === 'failed' ? 'down' : state === 'paused' ? 'unknown' : 'ok'),
          h('strong', {}, s.name ?? s.notebook ?? s.id),
          ` · ${trigger} · `,
          h('span', { class: 'rtl-Sidebar-state' }, state),
          lastRun + next,
        );
      }),
    );
  }
}

/** What a schedule is doing: paused, running a notebook now, failed on its last run, or active. */
function scheduleState(s: Schedule): 'paused' | 'running' | 'failed' | 'active' {
  if (s.enabled === false) return 'paused';
  if (s.activeRun) return 'running';
  if (s.lastRun?.status === 'failed') return 'failed';
  return 'active';
}

function loading(): HTMLElement {
  return h('p', { class: 'rtl-Sidebar-empty' }, 'loading…');
}

function problem(fetched: Extract<Fetched<unknown>, { ok: false }>): HTMLElement {
  return h('p', { class: 'rtl-Sidebar-problem', role: 'status' }, `${fetched.error} (${fetched.code})`);
}

function dot(status: string): HTMLElement {
  const level = status === 'ok' ? 'ok' : status === 'degraded' || status === 'unknown' ? 'warn' : 'down';
  return h('span', { class: `rtl-Dot rtl-mod-${level}`, 'aria-label': status });
}
