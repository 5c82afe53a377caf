// The prompt of the LLM path (pure): rules, the schema excerpt, the glossary, retrieved examples
// and the conversation so far, then the question. Repairs append the failed reply and the error.
import type { GlossaryEntry } from '../knowledge/glossary.js';
import { tableSchemaText } from '../knowledge/knowledgeTexts.js';
import type { TableDoc } from '../knowledge/TableDoc.js';
import type { ChatMessage } from './LlmClient.js';

export interface SqlPromptInput {
  question: string;
  /** The tables the query may read (the schema excerpt). */
  tables: readonly TableDoc[];
  glossary: readonly GlossaryEntry[];
  /** Retrieved question → SQL examples, most similar first. */
  examples: readonly { question: string; sql: string }[];
  /** Earlier turns of the conversation, oldest first. */
  conversation: readonly { question: string; sql: string }[];
  /** The current time, so the model can reason about "today" (the SQL itself uses now()). */
  now: Date;
}

export const SQL_SYSTEM_PROMPT = [
  'You translate questions about an e-commerce lakehouse into one DuckDB SQL query.',
  'Rules:',
  '- Reply with exactly one read-only query (SELECT, or WITH ... SELECT) in a ```sql code block, then one line starting with "Explanation:" that says in plain words what it computes.',
  '- Use only the tables and columns listed; never invent tables or columns.',
  '- Use the business glossary for the meaning of metrics (revenue, orders, conversion rate, ...).',
  '- All timestamps are UTC. "today" is ts >= current_date; "yesterday" is ts >= current_date - INTERVAL 1 DAY AND ts < current_date; "last N hours/days" is ts >= now() - INTERVAL N HOUR (or DAY).',
  "- DuckDB dialect: date_trunc('hour', ts), count(*) FILTER (WHERE ...), INTERVAL 7 DAY, median(x).",
  '- Give computed columns short snake_case aliases; order time series by time; for rankings ORDER BY the measure DESC with a LIMIT.',
  '- No DDL or DML, no PRAGMA, SET, COPY, ATTACH or INSTALL, no file or URL functions.',
  '- A follow-up question refines the previous question of the conversation: keep its measures, filters and time range unless the follow-up changes them.',
  '- If the tables cannot answer the question, reply with one line: CANNOT_ANSWER: <why>.',
].join('\n');

/** The messages for a question: the system rules, then one user message with the context. */
export function buildSqlPrompt(input: SqlPromptInput): ChatMessage[] {
  const parts: string[] = [];
  parts.push(`Current time (UTC): ${input.now.toISOString()}`);
  parts.push(`Tables:\n${input.tables.map(tableSchemaText).join('\n\n')}`);
  if (input.glossary.length > 0)
    parts.push(
      `Business glossary:\n${input.glossary.map((g) => `- ${g.term}: ${g.definition} SQL: ${g.sql}`).join('\n')}`,
    );
  if (input.examples.length > 0)
    parts.push(
      `Examples of questions and their SQL:\n${input.examples.map((e) => `Q: ${oneLine(e.question)}\nSQL: ${oneLine(e.sql)}`).join('\n\n')}`,
    );
  if (input.conversation.length > 0)
    parts.push(
      `Conversation so far (oldest first):\n${input.conversation
        .map((t, i) => `Q${i + 1}: ${oneLine(t.question)}\nSQL${i + 1}: ${oneLine(t.sql)}`)
        .join('\n\n')}`,
    );
  parts.push(`Question: ${oneLine(input.question)}`);
  return [
    { role: 'system', content: SQL_SYSTEM_PROMPT },
    { role: 'user', content: parts.join('\n\n') },
  ];
}

/** The conversation continued with the model's failed reply and what was wrong with it. */
export function buildRepairMessages(
  messages: readonly ChatMessage[],
  reply: string,
  problem: { sql?: string; error: string },
): ChatMessage[] {
  const what = problem.sql
    ? `That query failed when checked against the database:\n${problem.error}`
    : `Your reply had no SQL query: ${problem.error}`;
  return [
    ...messages,
    { role: 'assistant', content: reply },
    {
      role: 'user',
      content: `${what}\nFix it and reply with the corrected query in a \`\`\`sql code block and an "Explanation:" line.`,
    },
  ];
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
