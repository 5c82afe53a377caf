// The extension's settings (schema/plugin.json), read once per change into a typed object.
import type { ISettingRegistry } from '@jupyterlab/settingregistry';

export interface LakehouseSettings {
  assistantUrl: string;
  token: string;
  maxRows: number;
  requestTimeoutSeconds: number;
  sidebarRefreshSeconds: number;
  kpiMinRenderIntervalMs: number;
  kpiReconnectMaxSeconds: number;
}

/** The defaults of schema/plugin.json (used until the registry answers, or without one). */
export const DEFAULT_SETTINGS: LakehouseSettings = {
  assistantUrl: '',
  token: '',
  maxRows: 1000,
  requestTimeoutSeconds: 120,
  sidebarRefreshSeconds: 10,
  kpiMinRenderIntervalMs: 250,
  kpiReconnectMaxSeconds: 30,
};

/** The typed settings of a loaded settings object (composite: user values over defaults). */
export function settingsFrom(settings: ISettingRegistry.ISettings): LakehouseSettings {
  const c = settings.composite as Partial<Record<keyof LakehouseSettings, unknown>>;
  const str = (v: unknown, d: string) => (typeof v === 'string' ? v.trim() : d);
  const num = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) ? v : d);
  return {
    assistantUrl: str(c.assistantUrl, DEFAULT_SETTINGS.assistantUrl),
    token: str(c.token, DEFAULT_SETTINGS.token),
    maxRows: num(c.maxRows, DEFAULT_SETTINGS.maxRows),
    requestTimeoutSeconds: num(c.requestTimeoutSeconds, DEFAULT_SETTINGS.requestTimeoutSeconds),
    sidebarRefreshSeconds: num(c.sidebarRefreshSeconds, DEFAULT_SETTINGS.sidebarRefreshSeconds),
    kpiMinRenderIntervalMs: num(c.kpiMinRenderIntervalMs, DEFAULT_SETTINGS.kpiMinRenderIntervalMs),
    kpiReconnectMaxSeconds: num(c.kpiReconnectMaxSeconds, DEFAULT_SETTINGS.kpiReconnectMaxSeconds),
  };
}
