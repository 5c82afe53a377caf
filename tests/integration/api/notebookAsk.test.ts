// The notebook's `ask` through the assistant service (ASSISTANT_URL): the same answers the AI SQL
// cell gets — here the LLM path, against a local OpenAI-protocol server — follow-ups in one
// conversation, the service's refusals as notebook errors, the bearer token sent, verified
// examples kept by the service, and the embedded planner answering (and saying so) when the
// service is down.
import { inspect } from 'node:util';
import {
  assistantConfigFromEnv,
  createAssistant,
  createNotebookSession,
  type MimeBundle,
  NotebookError,
  type NotebookSession,
} from '@rt-lakehouse/kernel-helpers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAiServer, startFakeOpenAiServer } from '../../support/fakeOpenAiServer.js';
import { type RunningApi, type SeededLakehouse, seededLakehouse, startApi, TOKEN } from './apiHarness.js';

const LLM_SQL =
  "SELECT referrer, count(*) AS purchases FROM silver_events WHERE event_type = 'purchase' GROUP BY referrer ORDER BY purchases DESC, referrer";

let lake: SeededLakehouse;
let fake: FakeOpenAiServer;
let api: RunningApi;
const shown: MimeBundle[] = [];
const sessions: NotebookSession[] = [];

function session(env: Record<string, string>): NotebookSession {
  const s = createNotebookSession({
    env: { LAKEHOUSE_DIR: lake.dir, KAFKA_BROKERS: '', ...env },
    display: { kind: 'memory', send: (b) => void shown.push(b) },
  });
  sessions.push(s);
  return s;
}

beforeAll(async () => {
  lake = await seededLakehouse();
  fake = await startFakeOpenAiServer();
  const assistant = await createAssistant({
    lakehouse: lake.lakehouse,
    engine: lake.engine,
    config: assistantConfigFromEnv({
      ASSISTANT_KNOWLEDGE_PATH: ':memory:',
      OPENAI_API_KEY: 'test-key',
      OPENAI_BASE_URL: fake.url,
      MODEL_NAME: 'fake-sql-model',
      LLM_TIMEOUT_MS: '5000',
      LLM_MAX_RETRIES: '0',
    }),
  });
  api = await startApi({ lake, assistant, env: { API_TOKEN: TOKEN } });
}, 120_000);

afterAll(async () => {
  for (const s of sessions) await s.reset();
  await api?.stop();
  await fake?.close();
  await lake?.close();
});

describe("the notebook's ask through the assistant service", () => {
  it('answers as the service does (the LLM path), with follow-ups in one conversation', async () => {
    fake.reset();
    fake.reply(
      { sql: LLM_SQL, explanation: 'Purchases per referrer.' },
      { sql: `${LLM_SQL} LIMIT 2`, explanation: 'The top two.' },
    );
    const nb = session({ ASSISTANT_URL: `${api.base}/`, API_TOKEN: TOKEN });
    const first = await nb.ask('Which referrers bring the most purchases?');
    expect(first).toMatchObject({ path: 'llm', sql: LLM_SQL, explanation: 'Purchases per referrer.' });
    expect(first.totalRows).toBe(first.rowCount);
    expect(first.verifiedExample).toBeUndefined();
    expect(first.rows).toEqual((await lake.engine.query(LLM_SQL)).rows);
    expect(shown.at(-1)?.['application/vnd.rtlakehouse.answer+json']).toMatchObject({
      answer: { sql: LLM_SQL, path: 'llm' },
    });

    const second = await nb.ask.followUp('only the top two');
    expect(second.conversationId).toBe(first.conversationId);
    expect(second.rowCount).toBe(2);
    expect(nb.ask.history().map((a) => a.question)).toEqual([
      'Which referrers bring the most purchases?',
      'only the top two',
    ]);
    // The service got the conversation: its prompt for the follow-up holds the first question.
    const prompts = fake.chatRequests().map((r) => JSON.stringify(r.messages));
    expect(prompts).toHaveLength(2);
    expect(prompts[1]).toContain('Which referrers bring the most purchases?');
  });

  it("shows the service's refusal as a notebook error, and reviewed SQL runs through the service", async () => {
    const nb = session({ ASSISTANT_URL: api.base, API_TOKEN: TOKEN });
    const refused = await nb.ask('Drop it', { sql: 'DROP TABLE silver_events' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(NotebookError);
    expect(inspect(refused)).toMatch(/SQL_NOT_SELECT/);

    const reviewed = await nb.ask('Events by type', {
      sql: 'SELECT event_type, count(*) AS n FROM silver_events GROUP BY 1 ORDER BY 1',
    });
    expect(reviewed.rows.map((r) => r['event_type'])).toEqual(['add_to_cart', 'page_view', 'purchase']);
    // The service kept the turn: it can be marked correct there, and its example is listed.
    const examples = await markCorrectAndList(reviewed.turnId);
    expect(examples).toContainEqual(
      expect.objectContaining({ question: 'Events by type', source: 'feedback' }),
    );
  });

  it('sends the token: a wrong one is an error that names the service, not an answer', async () => {
    const nb = session({ ASSISTANT_URL: api.base, API_TOKEN: 'wrong-token-0123456789' });
    const error = await nb.ask('How many orders were placed today?').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotebookError);
    expect(inspect(error)).toContain(`the assistant service at ${api.base} answered 401`);
  });

  it('falls back to the embedded planner, and says so, when nothing answers at ASSISTANT_URL', async () => {
    const nb = session({ ASSISTANT_URL: 'http://127.0.0.1:9' });
    const answer = await nb.ask('How many orders were placed in the last hour?');
    expect(answer.path).toBe('planner');
    expect(answer.fallbackReason).toMatch(
      /^the assistant service at http:\/\/127\.0\.0\.1:9 is not reachable \(.+\): answered by the notebook's embedded planner$/,
    );
    expect(answer.rows).toEqual((await lake.engine.query(answer.sql)).rows);
  });

  it('without ASSISTANT_URL, answers with the embedded planner and sends nothing', async () => {
    fake.reset();
    const before = api.logs.length;
    const answer = await session({}).ask('How many orders were placed in the last hour?');
    expect(answer.path).toBe('planner');
    expect(answer.fallbackReason).toBeUndefined();
    // The service logs every request it gets: after the session's ask, only this probe's.
    await fetch(`${api.base}/health`);
    const requests = api.logs.slice(before).filter((l) => l['msg'] === 'request');
    expect(requests.map((l) => l['path'])).toEqual(['/health']);
    expect(fake.chatRequests()).toEqual([]);
  });
});

/** Marks turn `turnId` correct through the service (as the AI SQL cell's button does) and lists the examples. */
async function markCorrectAndList(turnId: string) {
  const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
  const marked = await fetch(`${api.base}/api/feedback`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ turnId }),
  });
  expect(marked.status).toBe(201);
  const listed = await fetch(`${api.base}/api/examples`, { headers });
  return ((await listed.json()) as { examples: { question: string; source: string }[] }).examples;
}
