// The embedded planner: an English question (and the conversation so far) → a Plan, its SQL and
// a one-line explanation, with no network and no I/O. A small semantic parser over a lexicon.
import { buildPlan, EXAMPLE_QUESTIONS } from './buildPlan.js';
import { explainPlan } from './explainPlan.js';
import type { PlannerContext, PlanResult } from './PlannerContext.js';
import { readQuestion } from './readQuestion.js';
import { renderSql } from './renderSql.js';

const MAX_QUESTION_LENGTH = 2_000;

/**
 * Plans `question` over `context.tables`, as a follow-up of the conversation's last planned turn
 * when it reads as one ("only mobile", "now for the UK", "break it down by device"). Returns
 * `{ success: false, reason, suggestions }` for questions it cannot map onto the schema and
 * glossary; never throws for any string. Deterministic and pure.
 */
export function planQuestion(question: string, context: PlannerContext): PlanResult {
  if (typeof question !== 'string' || question.trim().length === 0)
    return { success: false, reason: 'The question is empty.', suggestions: EXAMPLE_QUESTIONS.slice(0, 3) };
  if (question.length > MAX_QUESTION_LENGTH)
    return {
      success: false,
      reason: `The question is ${question.length} characters long; ask in at most ${MAX_QUESTION_LENGTH}.`,
      suggestions: EXAMPLE_QUESTIONS.slice(0, 3),
    };
  const frame = readQuestion(question, context.tables);
  const built = buildPlan(frame, context);
  if (!built.success) return built;
  return {
    success: true,
    sql: renderSql(built.plan),
    plan: built.plan,
    explanation: explainPlan(built.plan, context.now),
  };
}
