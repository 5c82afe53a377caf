// The assistant end to end on a small seeded lakehouse: the planner path (answers, row caps,
// follow-ups, user SQL), the LLM path against a local OpenAI-protocol server (prompt contents,
// repair from the error, time limits, retries, the circuit breaker, fallback to the planner),
// verified examples (feedback, restarts, the user's file, replay) and schema changes.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  type AskResult,
  assistantConfigFromEnv,
  createAssistant,
  DuckDbSqlEngine,
  field,
  Lakehouse,
  type LakehouseAssistant,
  replayVerifiedExamples,
  SEED_EXAMPLES,
  struct,
} from '@rt-lakehouse/kernel-helpers';
import { seedLakehouse } from '@rt-lakehouse/pipelines';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAiServer, startFakeOpenAiServer } from '../../support/fakeOpenAiServer.js';
import { makeTempDir, removeDir } from '../../support/tempDir.js';

let dir: string;
let lakehouse: Lakehouse;
let engine: DuckDbSqlEngine;
let fake: FakeOpenAiServer;
const open: LakehouseAssistant[] = [];
let fileCounter = 0;

beforeAll(async () => {
  dir = await makeTempDir('rtl-assistant-');
  lakehouse = await Lakehouse.open({ dir });
  await seedLakehouse({ lakehouse, events: 20_000, days: 2, seed: 1 });
  engine = await DuckDbSqlEngine.create({ lakehouse });
  fake = await startFakeOpenAiServer();
});

afterAll(async () => {
  for (const a of open) await a.close();
  await fake?.close();
  await engine?.close();
  lakehouse?.close();
  if (dir) await removeDir(dir);
});

/** An assistant with its own knowledge file (or `knowledgePath`), the planner only unless env says otherwise. */
async function assistant(
  env: Record<string, string> = {},
  knowledgePath = path.join(dir, `knowledge-${fileCounter++}.duckdb`),
): Promise<LakehouseAssistant> {
  const a = await createAssistant({
    lakehouse,
    engine,
    config: assistantConfigFromEnv({ ASSISTANT_KNOWLEDGE_PATH: knowledgePath, ...env }),
  });
  open.push(a);
  return a;
}

/** The LLM settings pointing at the fake server, with short time limits. */
function llmEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    OPENAI_API_KEY: 'test-key',
    OPENAI_BASE_URL: fake.url,
    MODEL_NAME: 'fake-sql-model',
    LLM_TIMEOUT_MS: '2000',
    LLM_MAX_RETRIES: '2',
    LLM_RETRY_BASE_MS: '10',
    LLM_MAX_REPAIRS: '2',
    ...extra,
  };
}

function answer(result: AskResult) {
  if (!result.success) throw new Error(`not answered: ${result.error.code}: ${result.error.reason}`);
  return result.answer;
}

const GOOD_SQL =
  "SELECT country, sum(price * quantity) AS revenue FROM silver_events WHERE event_type = 'purchase' GROUP BY country ORDER BY revenue DESC";

describe('the planner path', () => {
  it('answers with SQL, typed columns, rows, a chart, an explanation and timings', async () => {
    const a = await assistant();
    const result = answer(await a.ask('Which countries have the highest average order value?'));
    expect(result.path).toBe('planner');
    expect(result.sql).toMatch(/avg\(price \* quantity\)/);
    expect(result.columns).toEqual([
      { name: 'country', type: 'VARCHAR' },
      { name: 'avg_order_value', type: 'DOUBLE' },
    ]);
    expect(result.rowCount).toBe(5);
    expect(result.totalRows).toBe(5);
    expect(result.truncated).toBe(false);
    expect(result.chart?.mark.type).toBe('bar');
    expect(result.explanation).toMatch(/country/i);
    expect(result.tableVersions['silver_events']).toBeGreaterThanOrEqual(0);
    for (const ms of Object.values(result.timings)) expect(ms).toBeGreaterThanOrEqual(0);
    expect(result.timings.totalMs).toBeGreaterThanOrEqual(result.timings.executeMs);
    expect(result.attempts).toBeUndefined();
    expect(result.fallbackReason).toBeUndefined();
    expect(a.conversation(result.conversationId)?.map((t) => t.turnId)).toEqual([result.turnId]);
  });

  it('caps rows and counts the total when the tables are small', async () => {
    const a = await assistant();
    const result = answer(await a.ask('Revenue by product', { maxRows: 5 }));
    expect(result.rowCount).toBe(5);
    expect(result.truncated).toBe(true);
    expect(result.totalRows).toBeGreaterThan(5);
  });

  it('refines the previous question on follow-ups', async () => {
    const a = await assistant();
    const first = answer(await a.ask('Revenue in the last 7 days'));
    const byDevice = answer(await a.ask('break it down by device', { conversationId: first.conversationId }));
    expect(byDevice.sql).toMatch(/GROUP BY device_type/);
    expect(byDevice.sql).toMatch(/INTERVAL 7 DAY/);
    const mobile = answer(await a.ask('only mobile', { conversationId: first.conversationId }));
    expect(mobile.sql).toMatch(/device_type = 'mobile'/);
    const uk = answer(await a.ask('now for the UK', { conversationId: first.conversationId }));
    expect(uk.sql).toMatch(/country = 'UK'/);
    expect(a.conversation(first.conversationId)).toHaveLength(4);
  });

  it('says why it cannot answer, with suggestions', async () => {
    const a = await assistant();
    const result = await a.ask("What's the weather in Berlin today?");
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error.code).toBe('UNANSWERABLE');
    expect(result.error.suggestions.length).toBeGreaterThan(0);
    expect((await a.ask('   ')).success).toBe(false);
  });

  it('runs user SQL as a turn, through the guard', async () => {
    const a = await assistant();
    const first = answer(await a.ask('Orders by country today'));
    const edited = answer(
      await a.sql(
        "SELECT country, count(*) AS orders FROM silver_events WHERE event_type = 'purchase' GROUP BY 1",
        {
          conversationId: first.conversationId,
          question: 'Orders by country',
        },
      ),
    );
    expect(edited.rowCount).toBe(5);
    expect(edited.explanation).toMatch(/^Your SQL/);
    expect(a.conversation(first.conversationId)).toHaveLength(2);
    const refused = await a.sql('DROP TABLE silver_events');
    expect(refused.success).toBe(false);
    if (!refused.success) expect(refused.error.code).toMatch(/^SQL_/);
    const unknown = await a.sql('SELECT nope FROM silver_events');
    expect(unknown.success).toBe(false);
    if (!unknown.success) expect(unknown.error.code).toBe('SQL_BIND_ERROR');
  });

  it('answers as of an earlier table version (time travel)', async () => {
    const a = await assistant();
    // Version 0 of silver_events is the empty table the pipeline created.
    const old = await a.ask('How many events are there?', { asOfVersions: { silver_events: 0 } });
    expect(old.success, old.success ? '' : old.error.reason).toBe(true);
    if (!old.success) return;
    expect(old.answer.tableVersions).toEqual({ silver_events: 0 });
    expect(Object.values(old.answer.rows[0]!)).toEqual([0]);
    const missing = await a.ask('How many events are there?', { asOfVersions: { silver_events: 10_000 } });
    expect(missing.success).toBe(false);
    if (!missing.success) expect(missing.error.code).toBe('QUERY_TIME_TRAVEL');
  });

  it('ships seed examples that all run on the lakehouse', async () => {
    for (const example of SEED_EXAMPLES) {
      const run = await engine.safeQuery(example.sql, { maxRows: 10 });
      expect(run.success, `${example.id}: ${run.success ? '' : run.error.message}`).toBe(true);
    }
  });
});

describe('the LLM path (a local OpenAI-protocol server)', () => {
  it('sends the schema, glossary, retrieved examples and the conversation; answers with the LLM SQL', async () => {
    fake.reset();
    const a = await assistant(llmEnv());
    fake.reply(
      { sql: GOOD_SQL, explanation: 'Revenue per country, highest first.' },
      {
        sql: "SELECT country, sum(price * quantity) AS revenue FROM silver_events WHERE event_type = 'purchase' AND device_type = 'mobile' GROUP BY country ORDER BY revenue DESC",
      },
    );
    const first = answer(await a.ask('What is the revenue of each country?'));
    expect(first.path).toBe('llm');
    expect(first.sql).toBe(GOOD_SQL);
    expect(first.explanation).toBe('Revenue per country, highest first.');
    expect(first.attempts).toEqual([{ sql: GOOD_SQL }]);
    expect(first.rowCount).toBe(5);
    expect(first.chart?.mark.type).toBe('bar');

    const second = answer(await a.ask('only mobile', { conversationId: first.conversationId }));
    expect(second.path).toBe('llm');
    expect(second.sql).toMatch(/device_type = 'mobile'/);

    const requests = fake.chatRequests();
    expect(requests).toHaveLength(2);
    expect(requests[0]!.model).toBe('fake-sql-model');
    expect(requests[0]!.temperature).toBe(0);
    const [system, user] = requests[1]!.messages;
    expect(system!.role).toBe('system');
    expect(system!.content).toContain('one DuckDB SQL query');
    expect(system!.content).toContain('UTC');
    expect(user!.content).toContain('TABLE silver_events (');
    expect(user!.content).toContain("event_type VARCHAR, -- one of 'page_view', 'add_to_cart', 'purchase'");
    expect(user!.content).toContain('Business glossary:');
    expect(user!.content).toContain('Revenue = GMV = sum(price * quantity) over purchase events');
    expect(user!.content).toContain('Examples of questions and their SQL:');
    expect(user!.content).toMatch(/Q: .*\nSQL: SELECT/);
    expect(user!.content).toContain(
      `Conversation so far (oldest first):\nQ1: What is the revenue of each country?\nSQL1: ${GOOD_SQL}`,
    );
    expect(user!.content.trimEnd().endsWith('Question: only mobile')).toBe(true);
  });

  it('repairs a wrong first answer from the database error', async () => {
    fake.reset();
    const a = await assistant(llmEnv());
    const wrong =
      "SELECT country, sum(revenue_total) AS revenue FROM silver_events WHERE event_type = 'purchase' GROUP BY country";
    fake.reply({ sql: wrong }, { sql: GOOD_SQL });
    const result = answer(await a.ask('Total sales for every country'));
    expect(result.path).toBe('llm');
    expect(result.sql).toBe(GOOD_SQL);
    expect(result.attempts).toHaveLength(2);
    expect(result.attempts![0]!.sql).toBe(wrong);
    expect(result.attempts![0]!.error).toMatch(/^SQL_BIND_ERROR: .*revenue_total/);
    expect(result.attempts![1]).toEqual({ sql: GOOD_SQL });
    const repair = fake.chatRequests()[1]!.messages;
    expect(repair.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(repair[2]!.content).toContain(wrong);
    expect(repair[3]!.content).toContain('That query failed when checked against the database');
    expect(repair[3]!.content).toContain('revenue_total');
  });

  it('falls back to the planner when the repairs run out or the model cannot answer', async () => {
    fake.reset();
    const a = await assistant(llmEnv({ LLM_MAX_REPAIRS: '1' }));
    fake.reply(
      { sql: 'SELECT nope FROM silver_events' },
      { content: 'SELECT still_nope FROM silver_events' },
    );
    const result = answer(await a.ask('Which countries have the highest average order value?'));
    expect(result.path).toBe('planner');
    expect(result.fallbackReason).toMatch(/^LLM_INVALID_SQL: no valid SQL after 2 replies/);
    expect(result.attempts?.map((x) => x.sql)).toEqual([
      'SELECT nope FROM silver_events',
      'SELECT still_nope FROM silver_events',
    ]);
    fake.reply({ content: 'CANNOT_ANSWER: there is no weather table' });
    const refused = answer(await a.ask('How many orders were placed in the last hour?'));
    expect(refused.path).toBe('planner');
    expect(refused.fallbackReason).toMatch(/^LLM_CANNOT_ANSWER/);
  });

  it('stops waiting at the time limit and falls back to the planner', async () => {
    fake.reset();
    const a = await assistant(llmEnv({ LLM_TIMEOUT_MS: '300', LLM_MAX_RETRIES: '0' }));
    fake.reply({ hang: true });
    const started = performance.now();
    const result = answer(await a.ask('How many orders were placed in the last hour?'));
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(result.path).toBe('planner');
    expect(result.fallbackReason).toMatch(/^LLM_TIMEOUT: the LLM did not answer within 300 ms/);
    expect(result.rowCount).toBe(1);
  });

  it('retries after 429 (honouring Retry-After) and after a dropped connection', async () => {
    fake.reset();
    const a = await assistant(llmEnv());
    fake.reply(
      { status: 429, message: 'slow down', headers: { 'retry-after-ms': '50' } },
      { drop: true },
      { sql: GOOD_SQL },
    );
    const result = answer(await a.ask('What is the revenue of each country?'));
    expect(result.path).toBe('llm');
    expect(result.sql).toBe(GOOD_SQL);
    expect(fake.chatRequests()).toHaveLength(3);
  });

  it('opens the circuit breaker after repeated 5xx and stops calling', async () => {
    fake.reset();
    const a = await assistant(
      llmEnv({ LLM_MAX_RETRIES: '1', LLM_BREAKER_FAILURES: '3', LLM_BREAKER_COOLDOWN_MS: '60000' }),
    );
    fake.setDefault({ status: 503, message: 'overloaded' });
    const first = answer(await a.ask('How many orders were placed in the last hour?'));
    expect(first.fallbackReason).toMatch(/^LLM_SERVER_ERROR: the LLM server answered 503/);
    expect(fake.chatRequests()).toHaveLength(2);
    const second = answer(await a.ask('How many orders were placed in the last hour?'));
    expect(second.path).toBe('planner');
    expect(fake.chatRequests()).toHaveLength(3);
    expect((await a.status()).llm?.breaker).toBe('open');
    const third = answer(await a.ask('How many orders were placed in the last hour?'));
    expect(third.fallbackReason).toMatch(/^LLM_CIRCUIT_OPEN/);
    expect(fake.chatRequests()).toHaveLength(3);
    expect(third.rowCount).toBe(1);
  });

  it('reports LLM failures instead of falling back when the LLM path is forced', async () => {
    fake.reset();
    const a = await assistant(llmEnv({ LLM_MAX_RETRIES: '0' }));
    fake.reply({ status: 401, message: 'bad key' });
    const result = await a.ask('How many orders were placed in the last hour?', { path: 'llm' });
    expect(result.success).toBe(false);
    if (!result.success) expect(result.error.code).toBe('LLM_AUTH');
    const planner = await assistant();
    const none = await planner.ask('Orders today', { path: 'llm' });
    expect(none.success).toBe(false);
    if (!none.success) expect(none.error.code).toBe('LLM_NOT_CONFIGURED');
  });
});

describe('verified examples', () => {
  it('a marked answer becomes a verified example that paraphrases rest on, across restarts', async () => {
    const file = path.join(dir, 'verified.duckdb');
    const a = await assistant({}, file);
    const asked = answer(await a.ask('Which referrer brings the most revenue?'));
    const example = await a.markCorrect(asked.turnId);
    expect(example).toMatchObject({
      question: 'Which referrer brings the most revenue?',
      sql: asked.sql,
      source: 'feedback',
    });
    const paraphrase = answer(await a.ask('Which traffic source generates the highest revenue?'));
    expect(paraphrase.sql).toBe(asked.sql);
    expect(paraphrase.verifiedExample).toEqual({ id: example.id, question: example.question });
    await a.close();

    const b = await assistant({}, file);
    expect((await b.examples()).find((e) => e.id === example.id)).toEqual(example);
    const again = answer(await b.ask('Which traffic source generates the highest revenue?'));
    expect(again.verifiedExample?.id).toBe(example.id);
    await expect(b.markCorrect('no-such-turn')).rejects.toMatchObject({ code: 'ASSISTANT_TURN_NOT_FOUND' });

    const report = await replayVerifiedExamples(b, { sources: ['feedback'] });
    expect(report).toMatchObject({ passed: 1, failed: 0 });
    expect(report.outcomes[0]).toMatchObject({ pass: true, restedOn: example.id });
    const unaided = await replayVerifiedExamples(b, { sources: ['feedback'], selfRetrieval: false });
    expect(unaided.outcomes[0]).toMatchObject({ pass: true, path: 'planner', restedOn: undefined });
  });

  it('an edited and verified query answers the same question from then on', async () => {
    const a = await assistant();
    const question = 'Top 3 countries by orders';
    const first = answer(await a.ask(question));
    const edited =
      "SELECT country, count(*) AS orders FROM silver_events WHERE event_type = 'purchase' GROUP BY country ORDER BY orders DESC LIMIT 3";
    const run = answer(await a.sql(edited, { conversationId: first.conversationId, question }));
    const example = await a.markCorrect(run.turnId);
    const again = answer(await a.ask('top 3 countries by orders?'));
    expect(again.sql).toBe(edited);
    expect(again.verifiedExample?.id).toBe(example.id);
    expect(again.explanation).toContain('verified example');
  });

  it('adds user examples through the API (checked first) and from the examples file', async () => {
    const examplesFile = path.join(dir, 'examples.json');
    await fs.writeFile(
      examplesFile,
      JSON.stringify([
        {
          question: 'Mobile revenue share',
          sql: "SELECT sum(price * quantity) FILTER (WHERE device_type = 'mobile') / sum(price * quantity) AS mobile_share FROM silver_events WHERE event_type = 'purchase'",
        },
      ]),
    );
    const a = await assistant({ ASSISTANT_EXAMPLES_FILE: examplesFile });
    expect((await a.examples()).filter((e) => e.source === 'user').map((e) => e.question)).toEqual([
      'Mobile revenue share',
    ]);
    const fromFile = answer(await a.ask('mobile revenue share'));
    expect(fromFile.verifiedExample?.question).toBe('Mobile revenue share');
    expect(fromFile.columns.map((c) => c.name)).toEqual(['mobile_share']);

    await expect(
      a.addExample({ question: 'Broken', sql: 'SELECT nope FROM silver_events' }),
    ).rejects.toMatchObject({
      code: 'SQL_BIND_ERROR',
    });
    await expect(a.addExample({ question: ' ', sql: 'SELECT 1' })).rejects.toMatchObject({
      code: 'ASSISTANT_INVALID_EXAMPLE',
    });
    const added = await a.addExample({
      question: 'Tablet orders per currency',
      sql: "SELECT currency, count(*) AS orders FROM silver_events WHERE event_type = 'purchase' AND device_type = 'tablet' GROUP BY currency",
    });
    expect(added.source).toBe('user');
    expect((await a.examples()).map((e) => e.id)).toContain(added.id);
    const retrieved = await a.knowledge.retrieve('orders per currency on tablets');
    expect(retrieved.examples[0]!.example.id).toBe(added.id);

    // The file is re-read when it changes.
    await new Promise((r) => setTimeout(r, 20));
    await fs.writeFile(
      examplesFile,
      JSON.stringify({
        examples: [
          { question: 'Count of raw records', sql: 'SELECT count(*) AS records FROM bronze_events' },
        ],
      }),
    );
    await a.ask('Orders today');
    expect(
      (await a.examples())
        .filter((e) => e.source === 'user')
        .map((e) => e.question)
        .sort(),
    ).toEqual(['Count of raw records', 'Tablet orders per currency']);

    // An invalid file is reported and its previous examples stay.
    await new Promise((r) => setTimeout(r, 20));
    await fs.writeFile(examplesFile, '{ not json');
    expect((await a.ask('Orders today')).success).toBe(true);
    expect((await a.examples()).filter((e) => e.source === 'user')).toHaveLength(2);
  });

  it('keeps feedback examples when the embedder changes (re-embedding them)', async () => {
    const file = path.join(dir, 'switch.duckdb');
    const local = await assistant({}, file);
    const asked = answer(await local.ask('How many sessions were there today?'));
    const example = await local.markCorrect(asked.turnId);
    await local.close();
    fake.reset();
    const remote = await assistant(
      {
        OPENAI_BASE_URL: fake.url,
        OPENAI_EMBEDDING_MODEL: 'fake-embedding',
        OPENAI_EMBEDDING_DIMENSIONS: '64',
      },
      file,
    );
    expect((await remote.status()).embedder).toBe('openai:fake-embedding:64');
    expect(fake.requests.some((r) => r.path === '/v1/embeddings')).toBe(true);
    expect((await remote.examples()).find((e) => e.id === example.id)).toEqual(example);
    const retrieved = await remote.knowledge.retrieve('How many sessions were there today?');
    expect(retrieved.examples[0]!.example.id).toBe(example.id);
  });
});

describe('schema changes', () => {
  it('a new table (with comments) and a new column show up in retrieval after refresh', async () => {
    const a = await assistant(llmEnv());
    const before = await a.knowledge.retrieve('How much did we spend on advertising per marketing channel?');
    expect(before.tables.map((t) => t.doc.name)).not.toContain('marketing_spend');

    const table = await lakehouse.table('marketing_spend');
    await table.create({
      description: 'Daily advertising spend per marketing channel',
      schema: struct(
        field('day', 'date', true, { comment: 'UTC day of the spend' }),
        field('channel', 'string', true, { comment: 'marketing channel: google, facebook, email' }),
        field('spend', 'double', true, { comment: 'advertising spend in USD' }),
      ),
    });
    await table.write({ rows: [{ day: '2026-01-01', channel: 'google', spend: 120.5 }] });
    await engine.refresh();
    fake.reset();
    fake.reply({ sql: 'SELECT channel, sum(spend) AS spend FROM marketing_spend GROUP BY channel' });
    const asked = answer(await a.ask('How much did we spend on advertising per marketing channel?'));
    expect(asked.path).toBe('llm');
    const after = await a.knowledge.retrieve('How much did we spend on advertising per marketing channel?');
    expect(after.tables[0]!.doc.name).toBe('marketing_spend');
    expect(after.tables[0]!.doc.description).toBe('Daily advertising spend per marketing channel');
    expect(after.tables[0]!.doc.columns.find((c) => c.name === 'spend')?.comment).toBe(
      'advertising spend in USD',
    );
    const prompt = fake.chatRequests()[0]!.messages[1]!.content;
    expect(prompt).toContain('-- marketing_spend: Daily advertising spend per marketing channel');
    expect(prompt).toContain('spend DOUBLE -- advertising spend in USD');

    await table.write(
      { rows: [{ day: '2026-01-02', channel: 'email', spend: 10, campaign: 'winter sale' }] },
      { mergeSchema: true },
    );
    await engine.refresh();
    await a.ask('Orders today');
    const widened = await a.knowledge.retrieve('spend by marketing campaign');
    expect(widened.tables[0]!.doc.columns.map((c) => c.name)).toEqual([
      'day',
      'channel',
      'spend',
      'campaign',
    ]);
  });
});
