// The NL → SQL evaluation, shared by `npm run eval:nl2sql` and the integration suite: a seeded
// lakehouse (cached under the OS temp folder per parameters and day), and one case at a time —
// plan the question (and its follow-up), run the predicted and gold SQL on the same engine with
// the same pinned clock, and compare by execution match.
import { promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DuckDbSqlEngine,
  Lakehouse,
  type PlannedTurn,
  type PlanResult,
  planQuestion,
  type TableSchema,
} from '@rt-lakehouse/kernel-helpers';
import { seedLakehouse } from '@rt-lakehouse/pipelines';
import { sharedPath } from '../../support/sharedData.js';
import { executionMatch, orderByOf, orderKeysOf } from './executionMatch.js';
import { pinClock } from './pinClock.js';

export interface EvalCase {
  id: string;
  q: string;
  /** Asked as a second turn after `q`. */
  followup?: string;
  /** Gold SQL; matching any one passes. Empty when the planner is expected to refuse. */
  gold: string[];
  /** `fail`: the planner must answer `success: false`. */
  expect?: 'fail';
  note?: string;
}

export interface EvalSet {
  about?: string;
  cases: EvalCase[];
}

export type EvalSetName = 'public' | 'paraphrases';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** The public set (../shared/nl2sql_public.json, or NL2SQL_PUBLIC) or this folder's paraphrases.json. */
export function loadEvalSet(name: EvalSetName): EvalSet {
  const file =
    name === 'public'
      ? (process.env.NL2SQL_PUBLIC ?? sharedPath('nl2sql_public.json'))
      : path.join(HERE, 'paraphrases.json');
  return JSON.parse(readFileSync(file, 'utf8')) as EvalSet;
}

export interface EvalSettings {
  events: number;
  days: number;
  seed: number;
}

/** EVAL_EVENTS (100,000), EVAL_DAYS (7), EVAL_SEED (1). */
export function evalSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): EvalSettings {
  const read = (name: string, fallback: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!(n > 0)) throw new Error(`${name} must be a positive number, got ${raw}`);
    return n;
  };
  return {
    events: Math.round(read('EVAL_EVENTS', 100_000)),
    days: read('EVAL_DAYS', 7),
    seed: Math.round(read('EVAL_SEED', 1)),
  };
}

export interface EvalLakehouse {
  engine: DuckDbSqlEngine;
  tables: TableSchema[];
  /** The clock both SQL texts run with: when the seeded history was complete. */
  now: Date;
  dir: string;
  close(): Promise<void>;
}

interface Ready {
  now: string;
  settings: EvalSettings;
  silverRows: number;
  quarantinedRows: number;
  goldWindows: number;
}

/**
 * A lakehouse seeded with `settings`, reused from `<tmp>/rtl-nl2sql-eval-…-<UTC day>` when an
 * earlier run made it today (the questions say "today" and "yesterday"). Concurrent callers are
 * safe: each seeds into its own folder and the first rename wins.
 */
export async function openEvalLakehouse(
  settings: EvalSettings,
  log: (line: string) => void = () => {},
): Promise<EvalLakehouse> {
  const stem = `rtl-nl2sql-eval-e${settings.events}-d${settings.days}-s${settings.seed}`;
  const today = new Date().toISOString().slice(0, 10);
  const dir = path.join(os.tmpdir(), `${stem}-${today}`);
  let ready = await readReady(dir);
  if (!ready) {
    await removeStale(stem, dir);
    const work = `${dir}.seeding-${process.pid}-${Date.now()}`;
    log(`seeding ${settings.events} events over ${settings.days} days (seed ${settings.seed}) into ${work}`);
    const lakehouse = await Lakehouse.open({ dir: work });
    let result: Awaited<ReturnType<typeof seedLakehouse>>;
    try {
      result = await seedLakehouse({
        lakehouse,
        events: settings.events,
        days: settings.days,
        seed: settings.seed,
      });
    } finally {
      lakehouse.close();
    }
    const done: Ready = {
      now: new Date().toISOString(),
      settings,
      silverRows: result.silverRows,
      quarantinedRows: result.quarantinedRows,
      goldWindows: result.goldWindows,
    };
    await fs.writeFile(path.join(work, 'ready.json'), JSON.stringify(done, null, 2));
    try {
      await fs.rename(work, dir);
    } catch {
      // Another process finished first: use its lakehouse.
      await fs.rm(work, { recursive: true, force: true });
    }
    ready = await readReady(dir);
    if (!ready) throw new Error(`nl2sql eval: no seeded lakehouse at ${dir}`);
    log(
      `seeded in ${(result.elapsedMs / 1000).toFixed(1)} s: silver ${result.silverRows}, quarantine ${result.quarantinedRows}, gold windows ${result.goldWindows}`,
    );
  } else log(`reusing the seeded lakehouse ${dir}`);
  const lakehouse = await Lakehouse.open({ dir });
  const engine = await DuckDbSqlEngine.create({ lakehouse, maxRows: 1_000_000, timeoutMs: 120_000 });
  const tables = (await engine.tables()).map((t) => ({
    name: t.name,
    columns: t.columns.map((c) => ({ name: c.name, type: c.type })),
  }));
  return {
    engine,
    tables,
    now: new Date(ready.now),
    dir,
    close: async () => {
      await engine.close();
      lakehouse.close();
    },
  };
}

async function readReady(dir: string): Promise<Ready | undefined> {
  try {
    return JSON.parse(await fs.readFile(path.join(dir, 'ready.json'), 'utf8')) as Ready;
  } catch {
    return undefined;
  }
}

/** Removes this stem's lakehouses of other days (and abandoned seeding folders older than an hour). */
async function removeStale(stem: string, keep: string): Promise<void> {
  const tmp = os.tmpdir();
  for (const name of await fs.readdir(tmp)) {
    if (!name.startsWith(`${stem}-`) || path.join(tmp, name) === keep) continue;
    const full = path.join(tmp, name);
    const seeding = name.includes('.seeding-');
    if (seeding) {
      const stat = await fs.stat(full).catch(() => undefined);
      if (!stat || Date.now() - stat.mtimeMs < 3_600_000) continue;
    }
    await fs.rm(full, { recursive: true, force: true });
  }
}

export interface CaseOutcome {
  id: string;
  pass: boolean;
  /** Why it failed (or what the planner said when it refused as expected). */
  reason: string;
  /** The predicted SQL, when the planner answered. */
  sql?: string;
  explanation?: string;
  /** Time planQuestion took for the final turn, in ms. */
  plannerMs: number;
}

function plan(
  question: string,
  ev: EvalLakehouse,
  conversation: PlannedTurn[],
): { result: PlanResult; ms: number } {
  const started = performance.now();
  const result = planQuestion(question, { tables: ev.tables, conversation, now: ev.now });
  return { result, ms: performance.now() - started };
}

/** Plans and scores one case. Never throws for a planner or SQL failure (it is the outcome). */
export async function runCase(ev: EvalLakehouse, c: EvalCase): Promise<CaseOutcome> {
  const first = plan(c.q, ev, []);
  let final = first;
  if (c.followup !== undefined) {
    if (!first.result.success) {
      if (c.expect === 'fail')
        return { id: c.id, pass: true, reason: first.result.reason, plannerMs: first.ms };
      return {
        id: c.id,
        pass: false,
        reason: `first turn refused: ${first.result.reason}`,
        plannerMs: first.ms,
      };
    }
    final = plan(c.followup, ev, [{ question: c.q, plan: first.result.plan }]);
  }
  const r = final.result;
  if (c.expect === 'fail') {
    return r.success
      ? { id: c.id, pass: false, reason: 'expected a refusal, got SQL', sql: r.sql, plannerMs: final.ms }
      : { id: c.id, pass: true, reason: r.reason, plannerMs: final.ms };
  }
  if (!r.success)
    return { id: c.id, pass: false, reason: `planner refused: ${r.reason}`, plannerMs: final.ms };
  const base = { id: c.id, sql: r.sql, explanation: r.explanation, plannerMs: final.ms };
  const valid = await ev.engine.validate(r.sql);
  if (!valid.success)
    return { ...base, pass: false, reason: `the engine refused the SQL: ${valid.error.message}` };
  const predicted = await ev.engine.safeQuery(pinClock(r.sql, ev.now));
  if (!predicted.success)
    return { ...base, pass: false, reason: `the SQL failed: ${predicted.error.message}` };
  const reasons: string[] = [];
  for (const goldSql of c.gold) {
    const gold = await ev.engine.query(pinClock(goldSql, ev.now));
    const { ordered, terms } = orderByOf(goldSql);
    const verdict = executionMatch(gold, predicted.data, {
      ordered,
      orderKeys: orderKeysOf(terms, gold.columns),
    });
    if (verdict.match) return { ...base, pass: true, reason: '' };
    reasons.push(verdict.reason);
  }
  return { ...base, pass: false, reason: reasons.join('; ') };
}
