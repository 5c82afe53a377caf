// How an AI SQL cell is marked: an ordinary code cell whose metadata holds
// `rtlakehouse = { kind: 'ai-sql', ... }`, so saving, export and collaboration see a code cell.
import type { ICellModel } from '@jupyterlab/cells';
import type { AnswerPath, AsOf } from './contract';

export const METADATA_KEY = 'rtlakehouse';
export const AI_SQL_KIND = 'ai-sql';

/** What an AI SQL cell keeps in its metadata (JSON, saved in the .ipynb). */
export interface AiSqlMetadata {
  kind: typeof AI_SQL_KIND;
  /** The question last asked (the cell's source is the question being edited). */
  question?: string;
  /** The SQL of the answer shown (generated, or edited and re-run). */
  sql?: string;
  /** Where the SQL shown came from. */
  source?: 'question' | 'sql';
  conversationId?: string;
  turnId?: string;
  path?: AnswerPath;
  /** Time travel: read tables at these Delta versions (or this instant); absent for latest. */
  asOf?: AsOf;
  status?: 'answered' | 'error';
  answeredAt?: string;
}

/** The AI SQL metadata of a cell model, or undefined for any other cell. */
export function aiSqlMetadataOf(model: ICellModel): AiSqlMetadata | undefined {
  if (model.type !== 'code') return undefined;
  const value = model.getMetadata(METADATA_KEY) as Partial<AiSqlMetadata> | undefined;
  return value && typeof value === 'object' && value.kind === AI_SQL_KIND
    ? (value as AiSqlMetadata)
    : undefined;
}

/** Whether a cell model is an AI SQL cell. */
export function isAiSqlCell(model: ICellModel): boolean {
  return aiSqlMetadataOf(model) !== undefined;
}

/** Merges `patch` into the cell's AI SQL metadata (keys set to undefined are removed). */
export function updateAiSqlMetadata(model: ICellModel, patch: Partial<AiSqlMetadata>): void {
  const next: Record<string, unknown> = { ...(aiSqlMetadataOf(model) ?? { kind: AI_SQL_KIND }), ...patch };
  for (const key of Object.keys(next)) if (next[key] === undefined) delete next[key];
  model.setMetadata(METADATA_KEY, next as never);
}
