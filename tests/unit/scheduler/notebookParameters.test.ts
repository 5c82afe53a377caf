import { describe, expect, it } from 'vitest';
import { parameterDeclarationsOf } from '../../../services/src/scheduler/notebookParameters.js';
import { validateParameters } from '../../../services/src/scheduler/validateParameters.js';

const CELL = `// Report settings
/** Country code to report on. */
let country = 'US';
let days: number = 7;
let verbose = false;
let mode: 'daily' | 'weekly' = 'daily';
let ids: number[] = [1, 2];
let names: Array<string> = [];
let ratio = -0.5;
const currency = 'EUR';
let since = new Date();
let when: Date | null = null;
const { a, b } = { a: 1, b: 2 };
console.log('not a declaration');
`;

function declarations() {
  const parsed = parameterDeclarationsOf(CELL);
  if (!parsed.success) throw new Error(parsed.error);
  return parsed.declarations;
}

describe('parameterDeclarationsOf', () => {
  it('reads names, declaration kinds, types and literal defaults', () => {
    const byName = Object.fromEntries(declarations().map((d) => [d.name, d]));
    expect(Object.keys(byName)).toEqual([
      'country',
      'days',
      'verbose',
      'mode',
      'ids',
      'names',
      'ratio',
      'currency',
      'since',
      'when',
    ]);
    expect(byName['country']).toMatchObject({
      declaration: 'let',
      type: { kind: 'string' },
      annotation: null,
      default: 'US',
      description: 'Report settings\nCountry code to report on.',
    });
    expect(byName['days']).toMatchObject({ type: { kind: 'number' }, annotation: 'number', default: 7 });
    expect(byName['verbose']).toMatchObject({ type: { kind: 'boolean' }, default: false });
    expect(byName['mode']).toMatchObject({
      type: { kind: 'enum', values: ['daily', 'weekly'] },
      default: 'daily',
    });
    expect(byName['ids']).toMatchObject({ type: { kind: 'array', element: 'number' }, default: [1, 2] });
    expect(byName['names']).toMatchObject({ type: { kind: 'array', element: 'string' }, default: [] });
    expect(byName['ratio']).toMatchObject({ type: { kind: 'number' }, default: -0.5 });
    expect(byName['currency']).toMatchObject({ declaration: 'const', type: { kind: 'string' } });
    expect(byName['since']).toMatchObject({ type: { kind: 'unsupported' }, default: undefined });
    expect(byName['when']).toMatchObject({ type: { kind: 'unsupported', text: 'Date | null' } });
  });

  it('fails with the compiler message and line when the cell does not parse', () => {
    expect(parameterDeclarationsOf('let a = 1;\nlet b = ;')).toEqual({
      success: false,
      error: 'the parameters cell does not parse: line 2: Expression expected.',
    });
  });

  it('finds nothing in a cell without declarations', () => {
    expect(parameterDeclarationsOf('// nothing here\n')).toEqual({ success: true, declarations: [] });
  });
});

describe('validateParameters', () => {
  it('accepts values of the declared types', () => {
    const values = {
      country: 'DE',
      days: 14,
      verbose: true,
      mode: 'weekly',
      ids: [3],
      names: ['x'],
      ratio: 2,
    };
    expect(validateParameters(declarations(), values)).toEqual({ success: true, data: values });
  });

  it('refuses unknown names, wrong types, constants and unsupported types, naming each', () => {
    const result = validateParameters(declarations(), {
      countyr: 'DE',
      days: 'seven',
      mode: 'monthly',
      ids: [1, 'two'],
      currency: 'USD',
      since: '2024-01-01',
      ratio: Number.NaN,
    });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.issues.map((i) => [i.name, i.code, i.message])).toMatchInlineSnapshot(`
      [
        [
          "countyr",
          "unknown_parameter",
          "unknown parameter "countyr": the notebook declares country, days, verbose, mode, ids, names, ratio, currency, since, when",
        ],
        [
          "days",
          "wrong_type",
          "parameter "days" must be number; got "seven" (a string)",
        ],
        [
          "mode",
          "wrong_type",
          "parameter "mode" must be "daily" | "weekly"; got "monthly" (a string)",
        ],
        [
          "ids",
          "wrong_type",
          "parameter "ids" must be number[]; got [1,"two"] (an array)",
        ],
        [
          "currency",
          "not_settable",
          "parameter "currency" is declared with const; declare it with let in the parameters cell so the scheduler can set it",
        ],
        [
          "since",
          "not_settable",
          "parameter "since" has type the type of new Date(), which the scheduler cannot set (use string, number, boolean, an array of them, or a union of literals)",
        ],
        [
          "ratio",
          "wrong_type",
          "parameter "ratio" must be number; got null (a number)",
        ],
      ]
    `);
  });

  it('refuses any value for a notebook without a parameters cell', () => {
    expect(validateParameters(null, {})).toEqual({ success: true, data: {} });
    const result = validateParameters(null, { days: 1 });
    expect(result.success).toBe(false);
    if (!result.success) expect(result.issues[0]!.code).toBe('no_parameters_cell');
  });
});
