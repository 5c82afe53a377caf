// Every Delta conformance case passes or is refused with a feature the README lists as refused.
import { DeltaDuckDb } from '@rt-lakehouse/kernel-helpers/delta';
import { afterAll, describe, expect, it } from 'vitest';
import { listConformanceCases, readmeRefusedFeatures, runConformanceCase } from './deltaConformanceCases.js';

const cases = listConformanceCases();
const duckPromise = DeltaDuckDb.create();
const refusedInReadme = readmeRefusedFeatures();

describe('Delta conformance', () => {
  afterAll(async () => (await duckPromise).close());

  it('finds the whole suite', () => {
    expect(cases.length).toBeGreaterThanOrEqual(99);
  });

  for (const c of cases) {
    it(c.id, async () => {
      const outcome = await runConformanceCase(c, await duckPromise);
      if (outcome.status === 'refused') {
        expect(refusedInReadme, `README must list refused feature ${outcome.feature}`).toContain(
          outcome.feature,
        );
      } else {
        expect(outcome, outcome.detail).toMatchObject({ status: 'passed' });
      }
    });
  }
});
