// Checks parameter values against what the notebook's parameters cell declares: every name
// declared, every value of the declared type. Pure; returns issues rather than throwing.
import type { ParameterDeclaration, ParameterType } from './notebookParameters.js';
import type { ParameterValue } from './scheduleDefinition.js';

export interface ParameterIssue {
  name: string;
  code: 'unknown_parameter' | 'wrong_type' | 'not_settable' | 'no_parameters_cell';
  message: string;
}

export type ValidateParametersResult =
  | { success: true; data: Record<string, ParameterValue> }
  | { success: false; issues: ParameterIssue[] };

/** A type as people read it: `number`, `string[]`, `'daily' | 'weekly'`. */
export function describeParameterType(type: ParameterType): string {
  switch (type.kind) {
    case 'array':
      return `${type.element}[]`;
    case 'enum':
      return type.values.map((v) => JSON.stringify(v)).join(' | ');
    case 'unsupported':
      return type.text;
    default:
      return type.kind;
  }
}

const describeValue = (value: unknown): string => {
  const text = JSON.stringify(value);
  const kind = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
  return `${text && text.length > 60 ? `${text.slice(0, 57)}...` : text} (${kind})`;
};

function fits(type: ParameterType, value: unknown): boolean {
  switch (type.kind) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return (
        Array.isArray(value) &&
        value.every((v) =>
          type.element === 'number' ? typeof v === 'number' && Number.isFinite(v) : typeof v === type.element,
        )
      );
    case 'enum':
      return type.values.some((v) => v === value);
    case 'unsupported':
      return false;
  }
}

/**
 * `values` checked against `declarations` (null: the notebook has no parameters cell). Every
 * problem is reported, each naming the parameter, what the notebook declares and what was given.
 */
export function validateParameters(
  declarations: readonly ParameterDeclaration[] | null,
  values: Readonly<Record<string, unknown>>,
): ValidateParametersResult {
  const names = Object.keys(values);
  if (declarations === null) {
    if (names.length === 0) return { success: true, data: {} };
    return {
      success: false,
      issues: [
        {
          name: names[0]!,
          code: 'no_parameters_cell',
          message: `the notebook has no cell tagged "parameters", so it takes no parameters (given: ${names.join(', ')})`,
        },
      ],
    };
  }
  const declared = new Map(declarations.map((d) => [d.name, d]));
  const issues: ParameterIssue[] = [];
  for (const name of names) {
    const value = values[name];
    const d = declared.get(name);
    if (!d) {
      const known = declarations.map((x) => x.name);
      issues.push({
        name,
        code: 'unknown_parameter',
        message: `unknown parameter "${name}": the notebook declares ${known.length ? known.join(', ') : 'no parameters'}`,
      });
    } else if (d.declaration === 'const') {
      issues.push({
        name,
        code: 'not_settable',
        message: `parameter "${name}" is declared with const; declare it with let in the parameters cell so the scheduler can set it`,
      });
    } else if (d.type.kind === 'unsupported') {
      issues.push({
        name,
        code: 'not_settable',
        message: `parameter "${name}" has type ${d.type.text}, which the scheduler cannot set (use string, number, boolean, an array of them, or a union of literals)`,
      });
    } else if (!fits(d.type, value)) {
      issues.push({
        name,
        code: 'wrong_type',
        message: `parameter "${name}" must be ${describeParameterType(d.type)}; got ${describeValue(value)}`,
      });
    }
  }
  return issues.length > 0
    ? { success: false, issues }
    : { success: true, data: { ...(values as Record<string, ParameterValue>) } };
}
