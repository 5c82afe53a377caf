// The LLM prompt is a pure function of the retrieved context: its exact text, pinned.
import {
  buildRepairMessages,
  buildSqlPrompt,
  field,
  GLOSSARY,
  struct,
  type TableDoc,
  tableDocFromMetadata,
} from '@rt-lakehouse/kernel-helpers';
import { describe, expect, it } from 'vitest';

const orders: TableDoc = tableDocFromMetadata({
  name: 'silver_events',
  version: 3,
  metadataId: 'm-1',
  schema: struct(
    field('event_type', 'string'),
    field('price', 'double'),
    field('quantity', 'integer'),
    field('ts', 'timestamp'),
    field('coupon', 'string', true, { comment: 'coupon code, NULL when none' }),
  ),
  partitionColumns: [],
  rowCount: 100,
});

const input = {
  question: 'and only for tablets',
  tables: [orders],
  glossary: GLOSSARY.filter((g) => g.id === 'revenue' || g.id === 'today'),
  examples: [
    {
      question: 'Revenue today',
      sql: "SELECT sum(price * quantity) AS revenue\nFROM silver_events WHERE event_type = 'purchase' AND ts >= current_date",
    },
  ],
  conversation: [{ question: 'Revenue by device today', sql: 'SELECT 1' }],
  now: new Date('2026-03-04T05:06:07Z'),
};

describe('buildSqlPrompt', () => {
  it('writes the rules, then the schema, glossary, examples, conversation and the question', () => {
    const messages = buildSqlPrompt(input);
    expect(messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(messages[0]!.content).toMatchInlineSnapshot(`
      "You translate questions about an e-commerce lakehouse into one DuckDB SQL query.
      Rules:
      - Reply with exactly one read-only query (SELECT, or WITH ... SELECT) in a \`\`\`sql code block, then one line starting with "Explanation:" that says in plain words what it computes.
      - Use only the tables and columns listed; never invent tables or columns.
      - Use the business glossary for the meaning of metrics (revenue, orders, conversion rate, ...).
      - All timestamps are UTC. "today" is ts >= current_date; "yesterday" is ts >= current_date - INTERVAL 1 DAY AND ts < current_date; "last N hours/days" is ts >= now() - INTERVAL N HOUR (or DAY).
      - DuckDB dialect: date_trunc('hour', ts), count(*) FILTER (WHERE ...), INTERVAL 7 DAY, median(x).
      - Give computed columns short snake_case aliases; order time series by time; for rankings ORDER BY the measure DESC with a LIMIT.
      - No DDL or DML, no PRAGMA, SET, COPY, ATTACH or INSTALL, no file or URL functions.
      - A follow-up question refines the previous question of the conversation: keep its measures, filters and time range unless the follow-up changes them.
      - If the tables cannot answer the question, reply with one line: CANNOT_ANSWER: <why>."
    `);
    expect(messages[1]!.content).toMatchInlineSnapshot(`
      "Current time (UTC): 2026-03-04T05:06:07.000Z

      Tables:
      -- silver_events: Commerce events (page views, add to carts, purchases): parsed, validated, normalised and deduplicated from Kafka. The table for revenue, orders, users, conversion and products.
      TABLE silver_events (
        event_type VARCHAR, -- one of 'page_view', 'add_to_cart', 'purchase'
        price DOUBLE, -- unit price (revenue = price * quantity over purchases)
        quantity INTEGER, -- units in the event (basket size for a purchase)
        ts TIMESTAMPTZ, -- event time (UTC)
        coupon VARCHAR -- coupon code, NULL when none
      )

      Business glossary:
      - revenue (GMV): Revenue = GMV = sum(price * quantity) over purchase events (price is the unit price). SQL: sum(price * quantity) FILTER (WHERE event_type = 'purchase')
      - today / yesterday: "today" = since UTC midnight (ts >= current_date); "yesterday" = the previous UTC day (ts >= current_date - INTERVAL 1 DAY AND ts < current_date). All times are UTC. SQL: ts >= current_date

      Examples of questions and their SQL:
      Q: Revenue today
      SQL: SELECT sum(price * quantity) AS revenue FROM silver_events WHERE event_type = 'purchase' AND ts >= current_date

      Conversation so far (oldest first):
      Q1: Revenue by device today
      SQL1: SELECT 1

      Question: and only for tablets"
    `);
  });

  it('leaves out empty sections', () => {
    const [, user] = buildSqlPrompt({
      ...input,
      glossary: [],
      examples: [],
      conversation: [],
      question: 'Orders?',
    });
    expect(user!.content).not.toContain('Business glossary');
    expect(user!.content).not.toContain('Examples of questions');
    expect(user!.content).not.toContain('Conversation so far');
    expect(user!.content.endsWith('Question: Orders?')).toBe(true);
  });
});

describe('buildRepairMessages', () => {
  it('appends the failed reply and the error', () => {
    const messages = buildRepairMessages(
      buildSqlPrompt(input),
      '```sql\nSELECT nope FROM silver_events\n```',
      {
        sql: 'SELECT nope FROM silver_events',
        error: 'SQL_BIND_ERROR: Binder Error: Referenced column "nope" not found',
      },
    );
    expect(messages.slice(2)).toMatchInlineSnapshot(`
      [
        {
          "content": "\`\`\`sql
      SELECT nope FROM silver_events
      \`\`\`",
          "role": "assistant",
        },
        {
          "content": "That query failed when checked against the database:
      SQL_BIND_ERROR: Binder Error: Referenced column "nope" not found
      Fix it and reply with the corrected query in a \`\`\`sql code block and an "Explanation:" line.",
          "role": "user",
        },
      ]
    `);
  });

  it('asks for SQL when the reply had none', () => {
    const messages = buildRepairMessages([], 'I think you want revenue.', {
      error: 'the reply holds no SQL query',
    });
    expect(messages[1]!.content).toMatchInlineSnapshot(`
      "Your reply had no SQL query: the reply holds no SQL query
      Fix it and reply with the corrected query in a \`\`\`sql code block and an "Explanation:" line."
    `);
  });
});
