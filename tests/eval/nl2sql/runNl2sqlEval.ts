// `npm run eval:nl2sql [-- --set public|paraphrases|all] [--verbose]`: asks every question of
// the set through the embedded planner and scores execution match against the gold SQL, one
// line per case, then `nl2sql: P/T execution match`. Exits 1 when any case fails.
import { parseArgs } from 'node:util';
import {
  type EvalSetName,
  evalSettingsFromEnv,
  loadEvalSet,
  openEvalLakehouse,
  runCase,
} from './nl2sqlEval.js';

const { values } = parseArgs({
  options: { set: { type: 'string', default: 'public' }, verbose: { type: 'boolean', default: false } },
});
const sets: EvalSetName[] =
  values.set === 'all'
    ? ['public', 'paraphrases']
    : values.set === 'paraphrases'
      ? ['paraphrases']
      : ['public'];
if (!['public', 'paraphrases', 'all'].includes(values.set ?? '')) {
  console.error(`unknown --set ${values.set}: use public, paraphrases or all`);
  process.exit(2);
}

const settings = evalSettingsFromEnv();
const ev = await openEvalLakehouse(settings, (line) => console.error(`eval: ${line}`));
let failures = 0;
try {
  console.error(`eval: clock pinned at ${ev.now.toISOString()} (the seeded history's end)`);
  for (const name of sets) {
    const set = loadEvalSet(name);
    let passed = 0;
    const plannerMs: number[] = [];
    for (const c of set.cases) {
      const outcome = await runCase(ev, c);
      plannerMs.push(outcome.plannerMs);
      const question = c.followup === undefined ? c.q : `${c.q} → ${c.followup}`;
      if (outcome.pass) {
        passed++;
        console.log(`PASS ${c.id} ${question}${c.expect === 'fail' ? `  (refused: ${outcome.reason})` : ''}`);
        if (values.verbose && outcome.sql) console.log(indent(outcome.sql));
      } else {
        console.log(`FAIL ${c.id} ${question} — ${outcome.reason}`);
        if (outcome.sql) console.log(indent(outcome.sql));
      }
    }
    failures += set.cases.length - passed;
    plannerMs.sort((a, b) => a - b);
    const p50 = plannerMs[Math.floor(plannerMs.length / 2)] ?? 0;
    console.error(
      `eval: planner p50 ${(p50 * 1000).toFixed(0)} µs, max ${((plannerMs.at(-1) ?? 0) * 1000).toFixed(0)} µs (one cold call per case)`,
    );
    console.log(
      `nl2sql${name === 'public' ? '' : ` ${name}`}: ${passed}/${set.cases.length} execution match`,
    );
  }
} finally {
  await ev.close();
}
process.exit(failures === 0 ? 0 : 1);

function indent(sql: string): string {
  return sql
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}
