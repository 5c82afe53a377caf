// The assistant service's alerting: the AlertMonitor of kernel-helpers evaluated every
// ALERT_EVAL_INTERVAL_S over the gathered signals, its firing/resolved changes posted to
// ALERT_WEBHOOK_URL (by the monitor), and Prometheus metrics of the alerts and the signals.
import {
  type Alert,
  AlertMonitor,
  type AlertSignals,
  type AlertThresholds,
  type Logger,
} from '@rt-lakehouse/kernel-helpers';
import { Counter, Gauge, type Registry } from 'prom-client';

export interface AlertServiceOptions {
  thresholds: AlertThresholds;
  gather: () => Promise<AlertSignals>;
  /** Seconds between evaluations. */
  everySeconds: number;
  webhookUrl?: string | undefined;
  logger: Logger;
  registry: Registry;
  now?: () => number;
}

export interface AlertsSnapshot {
  enabled: boolean;
  evaluatedAt: string | null;
  everySeconds: number;
  thresholds: AlertThresholds;
  signals: {
    conversionRate: number | null;
    processingLagSeconds: number | null;
    errorRate: number | null;
    downSeconds: Record<string, number>;
  };
  active: Alert[];
  recent: Alert[];
}

export class AlertService {
  private readonly monitor: AlertMonitor;
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> = Promise.resolve();
  private evaluatedAt: string | null = null;
  private signals: AlertSignals = {};
  private readonly activeGauge: Gauge<'alert' | 'severity'>;
  private readonly transitions: Counter<'alert' | 'state'>;
  private readonly evaluations: Counter<'outcome'>;
  private readonly signalGauge: Gauge<'signal'>;
  private readonly now: () => number;
  private downSignals = new Set<string>();

  constructor(private readonly options: AlertServiceOptions) {
    this.now = options.now ?? Date.now;
    const registers = [options.registry];
    this.activeGauge = new Gauge({
      name: 'assistant_alert_active',
      help: 'Alerts firing now (1), by alert id and severity',
      labelNames: ['alert', 'severity'],
      registers,
    });
    this.transitions = new Counter({
      name: 'assistant_alert_transitions_total',
      help: 'Alerts that fired or resolved, by alert id and new state',
      labelNames: ['alert', 'state'],
      registers,
    });
    this.evaluations = new Counter({
      name: 'assistant_alert_evaluations_total',
      help: 'Rounds of the alert rules, by outcome (ok, failed)',
      labelNames: ['outcome'],
      registers,
    });
    this.signalGauge = new Gauge({
      name: 'assistant_alert_signal',
      help: 'Latest value of each signal the alert rules judge (conversion_rate, processing_lag_seconds, error_rate, down_seconds:<service>)',
      labelNames: ['signal'],
      registers,
    });
    this.monitor = new AlertMonitor({
      thresholds: options.thresholds,
      gather: async () => {
        try {
          this.signals = await options.gather();
          this.evaluations.inc({ outcome: 'ok' });
          return this.signals;
        } catch (error) {
          this.evaluations.inc({ outcome: 'failed' });
          throw error;
        }
      },
      logger: options.logger,
      ...(options.webhookUrl ? { webhookUrl: options.webhookUrl } : {}),
      now: this.now,
    });
  }

  /** Evaluates now, then every `everySeconds` (never two rounds at once). */
  start(): void {
    if (this.timer) return;
    void this.evaluate();
    this.timer = setInterval(() => void this.evaluate(), this.options.everySeconds * 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.round;
  }

  /** One round: gather, judge, update history, metrics and webhook. Never throws. */
  evaluate(): Promise<void> {
    this.round = this.round.then(async () => {
      const before = new Map(this.monitor.alerts().active.map((a) => [a.id, a]));
      await this.monitor.evaluate();
      this.evaluatedAt = new Date(this.now()).toISOString();
      this.afterRound(before);
    });
    return this.round;
  }

  snapshot(): AlertsSnapshot {
    const { active, recent } = this.monitor.alerts();
    const s = this.signals;
    return {
      enabled: true,
      evaluatedAt: this.evaluatedAt,
      everySeconds: this.options.everySeconds,
      thresholds: {
        ALERT_CONVERSION_RATE_MIN: this.options.thresholds.ALERT_CONVERSION_RATE_MIN,
        ALERT_PROCESSING_LAG_MAX_S: this.options.thresholds.ALERT_PROCESSING_LAG_MAX_S,
        ALERT_ERROR_RATE_MAX: this.options.thresholds.ALERT_ERROR_RATE_MAX,
        ALERT_SERVICE_DOWNTIME_MAX_S: this.options.thresholds.ALERT_SERVICE_DOWNTIME_MAX_S,
      },
      signals: {
        conversionRate: s.conversionRate ?? null,
        processingLagSeconds: s.processingLagSeconds ?? null,
        errorRate: s.errorRate ?? null,
        downSeconds: s.downSeconds ?? {},
      },
      active,
      recent,
    };
  }

  private afterRound(before: Map<string, Alert>): void {
    const active = this.monitor.alerts().active;
    const now = new Set(active.map((a) => a.id));
    for (const a of active) {
      this.activeGauge.set({ alert: a.id, severity: a.severity }, 1);
      if (!before.has(a.id)) this.transitions.inc({ alert: a.id, state: 'firing' });
    }
    for (const [id, a] of before) {
      if (now.has(id)) continue;
      this.activeGauge.set({ alert: id, severity: a.severity }, 0);
      this.transitions.inc({ alert: id, state: 'resolved' });
    }
    const s = this.signals;
    const set = (signal: string, value: number | undefined) => {
      if (value === undefined) this.signalGauge.remove({ signal });
      else this.signalGauge.set({ signal }, value);
    };
    set('conversion_rate', s.conversionRate);
    set('processing_lag_seconds', s.processingLagSeconds);
    set('error_rate', s.errorRate);
    const down = new Set<string>();
    for (const [service, seconds] of Object.entries(s.downSeconds ?? {})) {
      down.add(`down_seconds:${service}`);
      set(`down_seconds:${service}`, seconds);
    }
    for (const signal of this.downSignals) if (!down.has(signal)) set(signal, undefined);
    this.downSignals = down;
  }
}
