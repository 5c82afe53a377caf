// Verified examples as a regression test: ask each example's question and check, by execution
// match, that the answer's rows equal those of the example's own SQL. The evaluation calls it.
import type { AnswerPath } from './Answer.js';
import type { Assistant, VerifiedExample } from './Assistant.js';
import { resultsMatch } from './resultsMatch.js';

export interface ReplayOptions {
  /** Which examples to replay (default: every source). */
  sources?: readonly VerifiedExample['source'][];
  /**
   * Let retrieval find the replayed example itself (default true: the assistant as users meet
   * it). False leaves it out, which tests whether generation alone reproduces it.
   */
  selfRetrieval?: boolean;
  /** Rows compared at most (default 100,000). */
  maxRows?: number;
  onOutcome?: (outcome: ReplayOutcome) => void;
}

export interface ReplayOutcome {
  example: VerifiedExample;
  pass: boolean;
  /** Why it failed, or `match`. */
  reason: string;
  /** The SQL the assistant answered with. */
  sql: string | undefined;
  path: AnswerPath | undefined;
  /** The id of the verified example the answer said it rests on. */
  restedOn: string | undefined;
}

export interface ReplayReport {
  passed: number;
  failed: number;
  outcomes: ReplayOutcome[];
}

/** Replays the examples one by one (each in a conversation of its own). Never throws for a failing example. */
export async function replayVerifiedExamples(
  assistant: Assistant,
  options: ReplayOptions = {},
): Promise<ReplayReport> {
  const maxRows = options.maxRows ?? 100_000;
  const sources = new Set(options.sources ?? ['seed', 'user', 'feedback']);
  const outcomes: ReplayOutcome[] = [];
  for (const example of await assistant.examples()) {
    if (!sources.has(example.source)) continue;
    const outcome = await replayOne(assistant, example, maxRows, options.selfRetrieval ?? true);
    outcomes.push(outcome);
    options.onOutcome?.(outcome);
  }
  const passed = outcomes.filter((o) => o.pass).length;
  return { passed, failed: outcomes.length - passed, outcomes };
}

async function replayOne(
  assistant: Assistant,
  example: VerifiedExample,
  maxRows: number,
  selfRetrieval: boolean,
): Promise<ReplayOutcome> {
  const base = { example, sql: undefined, path: undefined, restedOn: undefined };
  const gold = await assistant.sql(example.sql, { maxRows });
  if (!gold.success)
    return {
      ...base,
      pass: false,
      reason: `the example's own SQL fails: ${gold.error.code}: ${gold.error.reason}`,
    };
  const asked = await assistant.ask(example.question, {
    maxRows,
    ...(selfRetrieval ? {} : { excludeExamples: [example.id] }),
  });
  if (!asked.success)
    return { ...base, pass: false, reason: `not answered: ${asked.error.code}: ${asked.error.reason}` };
  const answer = asked.answer;
  const compared = resultsMatch(gold.answer, answer, { ordered: /\border\s+by\b/i.test(example.sql) });
  return {
    example,
    pass: compared.match,
    reason: compared.match ? 'match' : compared.reason,
    sql: answer.sql,
    path: answer.path,
    restedOn: answer.verifiedExample?.id,
  };
}
