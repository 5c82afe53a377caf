// Prints the suite's final line from vitest's JSON report plus the checks run before it:
// `N passed, N failed[, N skipped]`. Exits non-zero when anything failed.
import { existsSync, readFileSync } from 'node:fs';

const [report, checksPassed = '0', checksFailed = '0', vitestStatus = '0'] = process.argv.slice(2);
let passed = Number(checksPassed);
let failed = Number(checksFailed);
let skipped = 0;
if (report && existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + r.numTodoTests;
  // A test file that fails to load has no failed test but must not pass silently.
  const brokenFiles = r.testResults.filter(
    (f) => f.status === 'failed' && f.assertionResults.every((a) => a.status !== 'failed'),
  );
  for (const f of brokenFiles) console.log(`FAILED to run: ${f.name}: ${String(f.message).split('\n')[0]}`);
  failed += brokenFiles.length;
} else {
  console.log('no vitest report was written');
  failed += 1;
}
if (failed === 0 && Number(vitestStatus) !== 0) {
  console.log(`vitest exited with status ${vitestStatus}`);
  failed += 1;
}
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exitCode = failed > 0 ? 1 : 0;
