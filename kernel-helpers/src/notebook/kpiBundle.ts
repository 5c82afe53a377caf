// A KPI widget as a display bundle: its configuration for the extension's live widget, and a
// static HTML and text snapshot of the values for every other front end (and for the saved
// notebook, e.g. a scheduled run). Pure.
import { escapeHtml } from './escapeHtml.js';
import { KPI_METRICS, type KpiFormat, type KpiMetric } from './KPI_METRICS.js';
import type { KpiSnapshot } from './KpiSnapshot.js';
import type { KpiWidgetConfig } from './KpiWidgetConfig.js';
import { MIME_TYPES } from './MIME_TYPES.js';
import type { MimeBundle } from './MimeBundle.js';

const STYLE = `<style>
.rtl-kpis{font-family:var(--jp-ui-font-family,system-ui,sans-serif)}
.rtl-kpis .rtl-title{font-weight:600;font-size:13px;margin:0 0 6px}
.rtl-kpis .rtl-cards{display:flex;flex-wrap:wrap;gap:8px}
.rtl-kpis .rtl-card{border:1px solid var(--jp-border-color2,#e0e0e0);border-radius:6px;padding:8px 12px;min-width:120px}
.rtl-kpis .rtl-card.rtl-warn{border-color:#e0a100;background:rgba(224,161,0,.08)}
.rtl-kpis .rtl-card.rtl-critical{border-color:#d9534f;background:rgba(217,83,79,.08)}
.rtl-kpis .rtl-label{font-size:11px;color:var(--jp-ui-font-color2,#666)}
.rtl-kpis .rtl-value{font-size:22px;font-weight:600;font-variant-numeric:tabular-nums}
.rtl-kpis .rtl-foot{font-size:11px;color:var(--jp-ui-font-color2,#666);margin-top:6px}
</style>`;

/** A KPI value as shown: counts with separators, money with two decimals, rates as percents. */
export function formatKpi(value: number | null, format: KpiFormat): string {
  if (value === null || !Number.isFinite(value)) return '–';
  if (format === 'percent') return `${(value * 100).toFixed(2)}%`;
  if (format === 'money')
    return value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return Math.round(value).toLocaleString('en-US');
}

/** The level of `metric`'s value against its threshold, as the extension's widget judges it. */
export function kpiLevel(
  config: KpiWidgetConfig,
  metric: KpiMetric,
  value: number | null,
): 'ok' | 'warn' | 'critical' {
  const t = config.thresholds?.[metric];
  if (!t || value === null) return 'ok';
  const bad = (limit: number | undefined) =>
    limit !== undefined && (t.direction === 'below' ? value < limit : value > limit);
  if (bad(t.critical)) return 'critical';
  if (bad(t.warn)) return 'warn';
  return 'ok';
}

function footnote(snapshot: KpiSnapshot): string {
  if (snapshot.version === null)
    return 'gold_kpis does not exist yet: start the pipelines or seed the lakehouse.';
  const latest = snapshot.latest ? `newest window ${snapshot.latest.window_start}` : 'no windows yet';
  return `last ${snapshot.minutes} min · gold_kpis v${snapshot.version} · ${latest} · snapshot at ${snapshot.generatedAt}`;
}

/**
 * The bundle of a KPI widget: `application/vnd.rtlakehouse.kpi+json` (the configuration, which
 * the extension renders as a live widget), `text/html` (cards with the snapshot's values) and
 * `text/plain`.
 */
export function kpiBundle(config: KpiWidgetConfig, snapshot: KpiSnapshot): MimeBundle {
  const cards = config.metrics.map((id) => {
    const def = KPI_METRICS[id];
    const value = snapshot.values[id];
    return { id, label: def.label, text: formatKpi(value, def.format), level: kpiLevel(config, id, value) };
  });
  const title = config.title ?? `Live KPIs · last ${config.minutes} min`;
  const html = `<div class="rtl-kpis" data-rtl-kind="kpis">${STYLE}<div class="rtl-title">${escapeHtml(title)}</div>
<div class="rtl-cards">${cards
    .map(
      (c) =>
        `<div class="rtl-card${c.level === 'ok' ? '' : ` rtl-${c.level}`}" data-metric="${c.id}"><div class="rtl-label">${escapeHtml(c.label)}</div><div class="rtl-value">${escapeHtml(c.text)}</div></div>`,
    )
    .join('')}</div>
<div class="rtl-foot">${escapeHtml(footnote(snapshot))}</div></div>`;
  const text = [
    `${title} — ${cards.map((c) => `${c.label}: ${c.text}${c.level === 'ok' ? '' : ` (${c.level})`}`).join(' | ')}`,
    `(${footnote(snapshot)})`,
  ].join('\n');
  return { [MIME_TYPES.text]: text, [MIME_TYPES.html]: html, [MIME_TYPES.kpi]: config };
}
