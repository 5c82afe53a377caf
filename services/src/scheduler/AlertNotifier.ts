// Tells people about scheduler alerts: a JSON log line always, a webhook POST when configured
// (retried with backoff; a webhook that stays down is logged, never fatal), and a hook for other
// components (the monitor's AlertMonitor.report, the sidebar's live feed).
import type { Logger } from '@rt-lakehouse/kernel-helpers';
import type { SchedulerAlert } from './SchedulerAlert.js';

export interface AlertNotifierOptions {
  logger: Logger;
  webhookUrl?: string | undefined;
  /** Attempts per webhook delivery (default 4). */
  webhookAttempts?: number;
  /** Wait before the second attempt, doubled after each (default 500 ms). */
  webhookBackoffMs?: number;
  webhookTimeoutMs?: number;
  onAlert?: ((alert: SchedulerAlert) => void) | undefined;
  fetch?: typeof fetch;
}

export class AlertNotifier {
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly options: AlertNotifierOptions) {}

  /** Logs `alert`, calls the hook and starts the webhook delivery (not awaited: see `idle`). */
  notify(alert: SchedulerAlert): void {
    const { logger } = this.options;
    logger[alert.state === 'firing' ? 'error' : 'info'](`alert ${alert.state}`, { alert });
    try {
      this.options.onAlert?.(alert);
    } catch (error) {
      logger.warn('alert hook failed', { error: error as Error });
    }
    if (!this.options.webhookUrl) return;
    const delivery = this.deliver(this.options.webhookUrl, alert);
    this.pending.add(delivery);
    void delivery.finally(() => this.pending.delete(delivery));
  }

  /** Resolves when every webhook delivery started so far has ended. */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  private async deliver(url: string, alert: SchedulerAlert): Promise<void> {
    const send = this.options.fetch ?? fetch;
    const attempts = this.options.webhookAttempts ?? 4;
    let wait = this.options.webhookBackoffMs ?? 500;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const response = await send(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ type: 'rt-lakehouse.alert', alert }),
          signal: AbortSignal.timeout(this.options.webhookTimeoutMs ?? 5_000),
        });
        // The body is not needed; reading it frees the connection.
        await response.arrayBuffer().catch(() => undefined);
        if (response.ok) return;
        throw new Error(`the webhook answered ${response.status}`);
      } catch (error) {
        if (attempt === attempts) {
          this.options.logger.warn('alert webhook failed', {
            url,
            alertId: alert.id,
            attempts,
            error: (error as Error).message,
          });
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, wait));
        wait *= 2;
      }
    }
  }
}
