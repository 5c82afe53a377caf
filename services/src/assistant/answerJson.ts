// The JSON form of an Answer, shared by the API and `lakehouse ask --json`: every field of the
// contract, with null (not a missing key) where a value is unknown.
import type { Answer } from '@rt-lakehouse/kernel-helpers';
import type { z } from 'zod';
import type { Answer as AnswerSchema } from './schemas.js';

export type AnswerJson = z.infer<typeof AnswerSchema>;

/** The answer as sent: `totalRows` and `verifiedExample` null when unknown; extras only when set. */
export function answerJson(answer: Answer): AnswerJson {
  return {
    conversationId: answer.conversationId,
    turnId: answer.turnId,
    question: answer.question,
    sql: answer.sql,
    columns: answer.columns.map((c) => ({ name: c.name, type: c.type })),
    rows: answer.rows,
    rowCount: answer.rowCount,
    totalRows: answer.totalRows ?? null,
    truncated: answer.truncated,
    chart: (answer.chart as Record<string, unknown> | null) ?? null,
    explanation: answer.explanation,
    path: answer.path,
    verifiedExample: answer.verifiedExample
      ? { id: answer.verifiedExample.id, question: answer.verifiedExample.question }
      : null,
    tableVersions: answer.tableVersions,
    timings: answer.timings,
    ...(answer.attempts ? { attempts: answer.attempts } : {}),
    ...(answer.fallbackReason !== undefined ? { fallbackReason: answer.fallbackReason } : {}),
  };
}
