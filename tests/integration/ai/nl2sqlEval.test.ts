// The NL → SQL evaluation sets as tests: every public case and every case of our paraphrase set,
// planned by the embedded planner and scored by execution match on one seeded lakehouse (seeded
// once, cached under the OS temp folder for the day; EVAL_EVENTS / EVAL_DAYS / EVAL_SEED apply).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type EvalLakehouse,
  evalSettingsFromEnv,
  loadEvalSet,
  openEvalLakehouse,
  runCase,
} from '../../eval/nl2sql/nl2sqlEval.js';

let ev: EvalLakehouse;

beforeAll(async () => {
  ev = await openEvalLakehouse(evalSettingsFromEnv());
}, 900_000);

afterAll(async () => {
  await ev?.close();
});

for (const name of ['public', 'paraphrases'] as const) {
  describe(`nl2sql ${name} set`, () => {
    for (const c of loadEvalSet(name).cases) {
      const question = c.followup === undefined ? c.q : `${c.q} → ${c.followup}`;
      it(`${c.id}: ${question}`, async () => {
        const outcome = await runCase(ev, c);
        expect(outcome.pass, `${outcome.reason}${outcome.sql ? `\n${outcome.sql}` : ''}`).toBe(true);
      });
    }
  });
}
