// Reads the parameters a notebook declares: the top-level variable declarations of its cell
// tagged `parameters` (`let` ones can be set by the scheduler), parsed with the TypeScript compiler API into names, types and
// literal defaults. Pure.
import ts from 'typescript';
import type { ParameterValue } from './scheduleDefinition.js';

/** The type of a parameter as the scheduler checks values against it. */
export type ParameterType =
  | { kind: 'string' }
  | { kind: 'number' }
  | { kind: 'boolean' }
  | { kind: 'array'; element: 'string' | 'number' | 'boolean' }
  | { kind: 'enum'; values: (string | number)[] }
  /** A type the scheduler cannot set (an object, a Date ...): the notebook's default always holds. */
  | { kind: 'unsupported'; text: string };

export interface ParameterDeclaration {
  name: string;
  /** How the notebook declares it: only `let` and `var` parameters can be set (by assignment). */
  declaration: 'const' | 'let' | 'var';
  type: ParameterType;
  /** The type annotation as written, or null when the type comes from the initialiser. */
  annotation: string | null;
  /** The default when the initialiser is a literal; undefined otherwise. */
  default: ParameterValue | undefined;
  /** The JSDoc or line comment just above the declaration, if any. */
  description: string | null;
}

export type ParameterDeclarationsResult =
  | { success: true; declarations: ParameterDeclaration[] }
  | { success: false; error: string };

const KEYWORD_TYPES: Partial<Record<ts.SyntaxKind, 'string' | 'number' | 'boolean'>> = {
  [ts.SyntaxKind.StringKeyword]: 'string',
  [ts.SyntaxKind.NumberKeyword]: 'number',
  [ts.SyntaxKind.BooleanKeyword]: 'boolean',
};

/**
 * The parameters declared in `source` (the parameters cell), in order. Fails with the compiler's
 * message when the cell does not parse. Declarations that are not a plain `name = value`
 * (destructuring) are not parameters and are left out.
 */
export function parameterDeclarationsOf(source: string): ParameterDeclarationsResult {
  const syntax = ts.transpileModule(source, {
    reportDiagnostics: true,
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
  }).diagnostics;
  if (syntax && syntax.length > 0) {
    const d = syntax[0]!;
    const where =
      d.file && d.start !== undefined
        ? `line ${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: `
        : '';
    return {
      success: false,
      error: `the parameters cell does not parse: ${where}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
    };
  }
  const file = ts.createSourceFile('parameters.ts', source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const declarations: ParameterDeclaration[] = [];
  for (const statement of file.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    const flags = statement.declarationList.flags;
    const declaration = flags & ts.NodeFlags.Const ? 'const' : flags & ts.NodeFlags.Let ? 'let' : 'var';
    const description = commentAbove(statement, source);
    for (const d of statement.declarationList.declarations) {
      if (!ts.isIdentifier(d.name)) continue;
      const literal = d.initializer ? literalValue(d.initializer) : undefined;
      declarations.push({
        name: d.name.text,
        declaration,
        type: d.type ? typeOfAnnotation(d.type) : typeOfLiteral(literal, d.initializer),
        annotation: d.type ? d.type.getText(file) : null,
        default: literal,
        description,
      });
    }
  }
  return { success: true, declarations };
}

/** The type an annotation names, as far as the scheduler can check it. */
function typeOfAnnotation(node: ts.TypeNode): ParameterType {
  const keyword = KEYWORD_TYPES[node.kind];
  if (keyword) return { kind: keyword };
  if (ts.isParenthesizedTypeNode(node)) return typeOfAnnotation(node.type);
  const element = ts.isArrayTypeNode(node)
    ? node.elementType
    : ts.isTypeReferenceNode(node) &&
        ts.isIdentifier(node.typeName) &&
        ['Array', 'ReadonlyArray'].includes(node.typeName.text) &&
        node.typeArguments?.length === 1
      ? node.typeArguments[0]
      : ts.isTypeOperatorNode(node) &&
          node.operator === ts.SyntaxKind.ReadonlyKeyword &&
          ts.isArrayTypeNode(node.type)
        ? node.type.elementType
        : undefined;
  if (element) {
    const inner = KEYWORD_TYPES[element.kind];
    if (inner) return { kind: 'array', element: inner };
  }
  const members = ts.isUnionTypeNode(node) ? node.types : ts.isLiteralTypeNode(node) ? [node] : undefined;
  if (members) {
    const values: (string | number)[] = [];
    for (const member of members) {
      if (!ts.isLiteralTypeNode(member)) return { kind: 'unsupported', text: node.getText() };
      const value = literalValue(member.literal);
      if (typeof value !== 'string' && typeof value !== 'number')
        return { kind: 'unsupported', text: node.getText() };
      values.push(value);
    }
    return { kind: 'enum', values };
  }
  return { kind: 'unsupported', text: node.getText() };
}

/** The type of an unannotated declaration, widened from its literal initialiser as TypeScript does for `let`. */
function typeOfLiteral(
  value: ParameterValue | undefined,
  initializer: ts.Expression | undefined,
): ParameterType {
  if (typeof value === 'string') return { kind: 'string' };
  if (typeof value === 'number') return { kind: 'number' };
  if (typeof value === 'boolean') return { kind: 'boolean' };
  if (Array.isArray(value) && value.length > 0) {
    const kinds = new Set(value.map((v) => typeof v));
    if (kinds.size === 1) return { kind: 'array', element: [...kinds][0] as 'string' | 'number' | 'boolean' };
  }
  return {
    kind: 'unsupported',
    text: initializer ? `the type of ${initializer.getText()}` : 'no type and no value',
  };
}

/** The JSON value of a literal expression (strings, numbers, booleans, arrays of them), else undefined. */
function literalValue(node: ts.Node): ParameterValue | undefined {
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node))
    return literalValue(node.expression);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isNumericLiteral(node)) return Number(node.text);
  if (
    ts.isPrefixUnaryExpression(node) &&
    node.operator === ts.SyntaxKind.MinusToken &&
    ts.isNumericLiteral(node.operand)
  )
    return -Number(node.operand.text);
  if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (ts.isArrayLiteralExpression(node)) {
    const items: (string | number | boolean)[] = [];
    for (const element of node.elements) {
      const v = literalValue(element);
      if (v === undefined || Array.isArray(v)) return undefined;
      items.push(v);
    }
    return items;
  }
  return undefined;
}

/** The comment right above a statement: a JSDoc block or `//` lines, without their markers. */
function commentAbove(statement: ts.Statement, source: string): string | null {
  const ranges = ts.getLeadingCommentRanges(source, statement.getFullStart());
  if (!ranges || ranges.length === 0) return null;
  const text = ranges
    .map((r) => source.slice(r.pos, r.end))
    .map((c) =>
      c.startsWith('/*')
        ? c
            .replace(/^\/\*+/, '')
            .replace(/\*+\/$/, '')
            .split('\n')
            .map((l) => l.replace(/^\s*\*\s?/, '').trim())
            .join('\n')
        : c.replace(/^\/\/\s?/, '').trim(),
    )
    .join('\n')
    .trim();
  return text === '' ? null : text;
}
