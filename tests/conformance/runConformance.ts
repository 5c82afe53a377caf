// `npm run test:conformance`: runs every Delta conformance case, one line each, then a summary.
import { DeltaDuckDb } from '@rt-lakehouse/kernel-helpers/delta';
import { listConformanceCases, readmeRefusedFeatures, runConformanceCase } from './deltaConformanceCases.js';

const duck = await DeltaDuckDb.create();
const listed = readmeRefusedFeatures();
let passed = 0;
let refused = 0;
let failed = 0;
const cases = listConformanceCases();
for (const c of cases) {
  const outcome = await runConformanceCase(c, duck);
  if (outcome.status === 'refused' && !listed.has(outcome.feature)) {
    failed++;
    console.log(
      `FAIL    ${c.id}: refused feature '${outcome.feature}' is not in the README's Delta feature table`,
    );
    continue;
  }
  if (outcome.status === 'passed') passed++;
  else if (outcome.status === 'refused') refused++;
  else failed++;
  const tag = { passed: 'PASS   ', refused: 'REFUSED', failed: 'FAIL   ' }[outcome.status];
  console.log(
    `${tag} ${c.id}: ${outcome.status === 'refused' ? `${outcome.feature} — ` : ''}${outcome.detail}`,
  );
}
console.log(`conformance: ${passed}/${cases.length} cases passed, ${refused} refused`);
process.exitCode = failed > 0 ? 1 : 0;
