// What the assistant answers: the contract between the assistant core, the HTTP service, the
// CLI, the notebook helpers and the JupyterLab extension.
import type { JsonValue } from '../../engine/jsonValueFromDuckDb.js';
import type { VegaLiteSpec } from '../chart/VegaLiteSpec.js';

/** Which path produced the SQL. */
export type AnswerPath = 'planner' | 'llm';

/** A finished answer to one question (one turn of a conversation). */
export interface Answer {
  /** The conversation this turn belongs to (pass it back to ask a follow-up). */
  conversationId: string;
  /** Id of this turn, for feedback ("this is right") and follow-ups. */
  turnId: string;
  question: string;
  sql: string;
  columns: { name: string; type: string }[];
  /** Rows, capped; `rowCount` is how many are here, `totalRows` the full count when known. */
  rows: Record<string, JsonValue>[];
  rowCount: number;
  totalRows: number | undefined;
  truncated: boolean;
  /** A Vega-Lite v5 spec, or null when a table is the best view. */
  chart: VegaLiteSpec | null;
  /** One line: what was computed, over what, with which filters and time range. */
  explanation: string;
  path: AnswerPath;
  /** The verified example this answer rests on, when retrieval found one. */
  verifiedExample: { id: string; question: string } | undefined;
  /** Delta versions of the tables the query read (time travel reproduces the answer). */
  tableVersions: Record<string, number>;
  timings: { retrieveMs: number; generateMs: number; executeMs: number; totalMs: number };
  /** Attempts by the LLM path (with the errors that led to repairs), when it was used. */
  attempts?: { sql: string; error?: string }[];
  /** Why the LLM path was not used or fell back to the planner, when that happened. */
  fallbackReason?: string;
}

/** A question the assistant could not answer: what went wrong and what to try. */
export interface Unanswerable {
  conversationId: string;
  question: string;
  /** Stable code: UNANSWERABLE, SQL_*, QUERY_* (from the engine), LLM_*. */
  code: string;
  reason: string;
  suggestions: string[];
  sql?: string;
}

export type AskResult = { success: true; answer: Answer } | { success: false; error: Unanswerable };
