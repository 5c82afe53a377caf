// The live KPI widget (KPI_MIME). The output holds only its configuration (title, range,
// metrics, thresholds); the widget subscribes to the KPI stream itself, draws tiles with
// sparklines and threshold colours, shows the last snapshot while offline, and ends its
// subscription when disposed. It never writes to the notebook.
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';
import { KPI_MIME } from './answerBundle';
import { h } from './h';
import { KpiModel } from './KpiModel';
import { type KpiThreshold, kpiLevelOf } from './kpiLevel';
import {
  DEFAULT_KPI_METRICS,
  formatKpi,
  isKpiMetricName,
  KPI_METRICS,
  type KpiMetricName,
} from './kpiMetrics';
import type { SettingsModel } from './SettingsModel';
import { sparklineSvg } from './sparklineSvg';

export type { KpiThreshold } from './kpiLevel';

/** What a KPI output holds. */
export interface KpiConfig {
  title?: string;
  /** The range the totals and sparklines cover (default 60 minutes). */
  minutes?: number;
  metrics?: string[];
  thresholds?: Record<string, KpiThreshold>;
}

export class KpiWidget extends Widget implements IRenderMime.IRenderer {
  private model: KpiModel | null = null;
  private config: KpiConfig = {};
  private lastDraw = 0;
  private pending: number | undefined;

  constructor(private readonly settings: SettingsModel) {
    super();
    this.addClass('rtl-Kpi');
  }

  /** The live subscription (null before the first render). */
  get subscription(): KpiModel | null {
    return this.model;
  }

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const config = (model.data[KPI_MIME] ?? {}) as KpiConfig;
    const minutes = Math.max(1, Math.min(10_080, Math.round(Number(config.minutes ?? 60)) || 60));
    if (!this.model || this.model.isDisposed || minutes !== (this.config.minutes ?? 60)) {
      this.model?.dispose();
      this.model = new KpiModel({ minutes }, this.settings);
      this.model.changed.connect(this.scheduleDraw, this);
    }
    this.config = { ...config, minutes };
    this.draw();
  }

  override dispose(): void {
    if (this.isDisposed) return;
    window.clearTimeout(this.pending);
    this.model?.dispose();
    this.model = null;
    super.dispose();
  }

  private scheduleDraw(): void {
    const wait = this.settings.value.kpiMinRenderIntervalMs - (Date.now() - this.lastDraw);
    if (wait <= 0) {
      this.draw();
      return;
    }
    if (this.pending === undefined) {
      this.pending = window.setTimeout(() => {
        this.pending = undefined;
        this.draw();
      }, wait);
    }
  }

  private draw(): void {
    this.lastDraw = Date.now();
    const model = this.model;
    if (!model) return;
    const kpis = model.snapshot;
    const names = (this.config.metrics ?? DEFAULT_KPI_METRICS).filter(isKpiMetricName) as KpiMetricName[];
    const tiles = names.map((name) => {
      const metric = KPI_METRICS[name];
      const value = kpis ? metric.value(kpis) : null;
      const level = kpiLevelOf(value, this.config.thresholds?.[name]);
      const series = kpis?.series?.map((w) => metric.point(w)) ?? [];
      return h(
        'div',
        {
          class: `rtl-Kpi-tile rtl-mod-${level}`,
          'data-metric': name,
          title: level === 'ok' ? metric.label : `${metric.label}: ${level}`,
        },
        h('div', { class: 'rtl-Kpi-label' }, metric.label),
        h('div', { class: 'rtl-Kpi-value', 'data-testid': `kpi-${name}` }, formatKpi(value, metric.format)),
        sparklineSvg(series),
      );
    });
    const status = model.status;
    const live = status === 'live';
    const when = kpis ? new Date(kpis.generatedAt).toLocaleTimeString() : '';
    const statusText = live
      ? `live · updated ${when} · gold_kpis v${kpis?.version ?? '–'}`
      : kpis
        ? `${status === 'stopped' ? 'stopped' : 'offline'} · last snapshot ${when}${model.error ? ` · ${model.error}` : ''}`
        : `${status}…${model.error ? ` ${model.error}` : ''}`;
    this.node.replaceChildren(
      h(
        'div',
        { class: 'rtl-Kpi-header' },
        h(
          'span',
          { class: 'rtl-Kpi-title' },
          this.config.title ?? `Live KPIs · last ${this.config.minutes} min`,
        ),
        h(
          'span',
          { class: `rtl-Kpi-status rtl-mod-${live ? 'live' : 'offline'}`, 'data-testid': 'kpi-status' },
          statusText,
        ),
      ),
      h('div', { class: 'rtl-Kpi-tiles' }, ...tiles),
    );
    this.node.dataset['updates'] = String(model.updateCount);
  }
}

/** The renderer factory for KPI_MIME. */
export function createKpiRendererFactory(settings: SettingsModel): IRenderMime.IRendererFactory {
  return {
    safe: true,
    mimeTypes: [KPI_MIME],
    defaultRank: 0,
    createRenderer: () => new KpiWidget(settings),
  };
}
