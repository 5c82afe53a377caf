// A live KPI subscription: opens the server-sent KPI stream, keeps the newest snapshot (and
// the last one in localStorage, for viewing offline), reconnects with backoff when the stream
// breaks, and stops for good when disposed.
import type { IDisposable } from '@lumino/disposable';
import { type ISignal, Signal } from '@lumino/signaling';
import { AiService } from './AiService';
import type { Kpis } from './contract';
import type { SettingsModel } from './SettingsModel';

/** The subscription's state: `live` after a snapshot arrived on the open stream. */
export type KpiStatus = 'connecting' | 'live' | 'reconnecting' | 'stopped';

export class KpiModel implements IDisposable {
  private abort = new AbortController();
  private snapshotValue: Kpis | null;
  private statusValue: KpiStatus = 'connecting';
  private errorValue = '';
  private updates = 0;
  private disposed = false;
  private readonly changedSignal = new Signal<this, void>(this);

  constructor(
    private readonly range: { minutes: number },
    private readonly settings: SettingsModel,
  ) {
    this.snapshotValue = this.loadCached();
    void this.loop();
  }

  /** Emits when the snapshot, the status or the error changes. */
  get changed(): ISignal<this, void> {
    return this.changedSignal;
  }

  get snapshot(): Kpis | null {
    return this.snapshotValue;
  }

  get status(): KpiStatus {
    return this.statusValue;
  }

  /** Why the stream is not live, when it is not. */
  get error(): string {
    return this.errorValue;
  }

  /** Snapshots received from the stream so far. */
  get updateCount(): number {
    return this.updates;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Stops the subscription (aborts the open request); no request is made after this. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.abort.abort();
    this.statusValue = 'stopped';
    Signal.clearData(this);
  }

  private async loop(): Promise<void> {
    let attempt = 0;
    while (!this.disposed) {
      try {
        await AiService.streamKpis(
          { minutes: this.range.minutes, series: true },
          {
            onSnapshot: (kpis) => {
              attempt = 0;
              this.snapshotValue = kpis;
              this.updates++;
              this.errorValue = '';
              this.statusValue = 'live';
              this.store(kpis);
              this.changedSignal.emit();
            },
            onServiceError: (error) => {
              this.errorValue = `${error.code}: ${error.message}`;
              this.changedSignal.emit();
            },
          },
          this.abort.signal,
        );
        if (this.disposed) return;
        this.errorValue = 'the stream ended';
      } catch (error) {
        if (this.disposed) return;
        this.errorValue = (error as Error).message;
      }
      attempt++;
      this.statusValue = 'reconnecting';
      this.changedSignal.emit();
      const maxMs = this.settings.value.kpiReconnectMaxSeconds * 1000;
      await this.sleep(Math.min(maxMs, 500 * 2 ** Math.min(attempt, 10)));
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.abort.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private get cacheKey(): string {
    return `rtlakehouse:kpis:${this.range.minutes}`;
  }

  private loadCached(): Kpis | null {
    try {
      const text = window.localStorage.getItem(this.cacheKey);
      return text ? (JSON.parse(text) as Kpis) : null;
    } catch {
      return null;
    }
  }

  private store(kpis: Kpis): void {
    try {
      window.localStorage.setItem(this.cacheKey, JSON.stringify(kpis));
    } catch {
      // Storage full or disabled: the widget still works, only offline viewing is lost.
    }
  }
}
