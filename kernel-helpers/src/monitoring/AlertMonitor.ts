// Runs the alert rules continuously: gathers signals, tracks each alert's life (firing →
// resolved), keeps recent history, logs each change and posts it to a webhook when configured.
import type { Logger } from '../logger.js';
import { noopLogger } from '../noopLogger.js';
import {
  type AlertFinding,
  type AlertSignals,
  type AlertThresholds,
  evaluateAlertRules,
} from './alertRules.js';

/** An alert as the API and the sidebar show it. */
export interface Alert {
  id: string;
  severity: 'warning' | 'critical';
  state: 'firing' | 'resolved';
  message: string;
  value: number | undefined;
  threshold: number;
  since: string;
  resolvedAt?: string;
  /** Where it came from: a rule of the monitor, or another component (e.g. the scheduler). */
  source: string;
}

export interface AlertMonitorOptions {
  thresholds: AlertThresholds;
  /** Gathers the signals of one round; a throw is logged and the round skipped. */
  gather: () => Promise<AlertSignals>;
  everyMs?: number;
  webhookUrl?: string;
  logger?: Logger;
  /** Most resolved alerts kept. */
  historySize?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

export class AlertMonitor {
  private readonly active = new Map<string, Alert>();
  private readonly history: Alert[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly logger: Logger;
  private readonly now: () => number;
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly options: AlertMonitorOptions) {
    this.logger = options.logger ?? noopLogger;
    this.now = options.now ?? Date.now;
  }

  /** Evaluates now, then every `everyMs` (default 15 s). */
  start(): void {
    if (this.timer) return;
    void this.evaluate();
    this.timer = setInterval(() => void this.evaluate(), this.options.everyMs ?? 15_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Active alerts first (newest first), then resolved ones. */
  alerts(): { active: Alert[]; recent: Alert[] } {
    const byTime = (a: Alert, b: Alert) => b.since.localeCompare(a.since);
    return { active: [...this.active.values()].sort(byTime), recent: [...this.history].reverse() };
  }

  /** Raises (or resolves) an alert from elsewhere, e.g. a failed scheduled run. */
  report(finding: AlertFinding, source: string): void {
    this.apply([finding], source, false);
  }

  /** One round: gather, evaluate, update. Never throws. */
  evaluate(): Promise<void> {
    const round = this.running.then(async () => {
      let signals: AlertSignals;
      try {
        signals = await this.options.gather();
      } catch (error) {
        this.logger.warn('alert signals unavailable', { error: (error as Error).message });
        return;
      }
      this.apply(evaluateAlertRules(signals, this.options.thresholds), 'rules', true);
    });
    this.running = round;
    return round;
  }

  private apply(findings: AlertFinding[], source: string, complete: boolean): void {
    const seen = new Set<string>();
    const at = new Date(this.now()).toISOString();
    for (const f of findings) {
      seen.add(f.id);
      const current = this.active.get(f.id);
      if (f.firing && !current) {
        const alert: Alert = {
          id: f.id,
          severity: f.severity,
          state: 'firing',
          message: f.message,
          value: f.value,
          threshold: f.threshold,
          since: at,
          source,
        };
        this.active.set(f.id, alert);
        this.notify(alert);
      } else if (f.firing && current) {
        current.value = f.value;
        current.message = f.message;
      } else if (!f.firing && current) {
        this.resolve(current, at, f.message);
      }
    }
    // A rule whose signal disappeared (a service back and absent from downSeconds) resolves.
    if (complete) {
      for (const alert of [...this.active.values()]) {
        if (alert.source === source && !seen.has(alert.id))
          this.resolve(alert, at, `${alert.message} — cleared`);
      }
    }
  }

  private resolve(alert: Alert, at: string, message: string): void {
    this.active.delete(alert.id);
    const resolved: Alert = { ...alert, state: 'resolved', resolvedAt: at, message };
    this.history.push(resolved);
    if (this.history.length > (this.options.historySize ?? 200)) this.history.shift();
    this.notify(resolved);
  }

  private notify(alert: Alert): void {
    this.logger[alert.state === 'firing' ? 'error' : 'info'](`alert ${alert.state}`, { alert });
    const url = this.options.webhookUrl;
    if (!url) return;
    const send = this.options.fetch ?? fetch;
    void (async () => {
      for (let attempt = 1; attempt <= 3; attempt++) {
        try {
          const response = await send(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ type: 'rt-lakehouse.alert', alert }),
            signal: AbortSignal.timeout(5_000),
          });
          if (response.ok) return;
          throw new Error(`webhook answered ${response.status}`);
        } catch (error) {
          if (attempt === 3)
            this.logger.warn('alert webhook failed', { url, error: (error as Error).message });
          else await new Promise((r) => setTimeout(r, 500 * attempt));
        }
      }
    })();
  }
}
