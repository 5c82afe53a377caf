// The live settings of the extension: one model, a signal when the user changes them.
import { type ISignal, Signal } from '@lumino/signaling';
import { DEFAULT_SETTINGS, type LakehouseSettings } from './settings';

export class SettingsModel {
  private current: LakehouseSettings = DEFAULT_SETTINGS;
  private readonly changedSignal = new Signal<this, LakehouseSettings>(this);

  /** The settings now in force. */
  get value(): LakehouseSettings {
    return this.current;
  }

  /** Emits the new settings after each change. */
  get changed(): ISignal<this, LakehouseSettings> {
    return this.changedSignal;
  }

  /** Replaces the settings and emits `changed`. */
  update(next: LakehouseSettings): void {
    this.current = next;
    this.changedSignal.emit(next);
  }
}
