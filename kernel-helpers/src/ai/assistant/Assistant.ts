// The assistant port: what the HTTP service, the CLI and the notebook helpers call.
import type { Answer, AskResult } from './Answer.js';

export interface AskOptions {
  /** Continue this conversation (follow-ups refine its last question). */
  conversationId?: string;
  /** Row cap for the answer (the engine's cap applies too). */
  maxRows?: number;
  /** Time limit for the query (ms). */
  timeoutMs?: number;
  /** Read tables as of these Delta versions (time travel), by table name. */
  asOfVersions?: Record<string, number>;
  /** Force a path (default: the LLM when configured, the planner otherwise and as fallback). */
  path?: 'planner' | 'llm';
  /**
   * Knowledge-base example ids retrieval must leave out (replayVerifiedExamples uses it, so an
   * example cannot answer its own question).
   */
  excludeExamples?: string[];
}

export interface SqlOptions {
  maxRows?: number;
  timeoutMs?: number;
  /** Attach the SQL run to a conversation as a turn (the AI cell's "edit and re-run"). */
  conversationId?: string;
  question?: string;
  /** Read tables as of these Delta versions (time travel), by table name. */
  asOfVersions?: Record<string, number>;
}

/** A verified question → SQL pair in the knowledge base. */
export interface VerifiedExample {
  id: string;
  question: string;
  sql: string;
  /** Who or what added it: 'seed' (shipped), 'user' (API/file), 'feedback' (marked correct). */
  source: 'seed' | 'user' | 'feedback';
  createdAt: string;
}

export interface Assistant {
  /** Answers a question (never throws for a bad question: returns success false). */
  ask(question: string, options?: AskOptions): Promise<AskResult>;
  /** Runs SQL the user wrote or edited, through the same guard, with a chart. */
  sql(sql: string, options?: SqlOptions): Promise<AskResult>;
  /** Marks a turn's answer as correct: its question → SQL joins the knowledge base as verified. */
  markCorrect(turnId: string): Promise<VerifiedExample>;
  /** Adds a user example to the knowledge base. */
  addExample(example: { question: string; sql: string }): Promise<VerifiedExample>;
  examples(): Promise<VerifiedExample[]>;
  /** Turns of a conversation so far. */
  conversation(conversationId: string): Answer[] | undefined;
  close(): Promise<void>;
}
