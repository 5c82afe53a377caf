// Services the extension's plugins share.
import { Token } from '@lumino/coreutils';
import type { AiSqlRunner } from './AiSqlRunner';
import type { SettingsModel } from './SettingsModel';

/** The extension's live settings. */
export const ILakehouseSettings = new Token<SettingsModel>(
  '@rt-lakehouse/extension:ILakehouseSettings',
  'RT-Lakehouse settings',
);

/** Runs AI SQL cells. */
export const IAiSqlRunner = new Token<AiSqlRunner>(
  '@rt-lakehouse/extension:IAiSqlRunner',
  'Runs AI SQL cells',
);
