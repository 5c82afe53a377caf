// Simple predicates over table columns, as used for data skipping, replace-where and conflict
// checks: comparisons with literals, IN, IS [NOT] NULL, AND / OR / NOT. Pure.
import { quoteIdent, quoteLiteral } from './schema.js';

/** A literal a predicate compares with: strings, numbers, booleans, or instants. */
export type Literal = string | number | bigint | boolean | Date;

export type ComparisonOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type Predicate =
  | { op: 'and'; args: Predicate[] }
  | { op: 'or'; args: Predicate[] }
  | { op: 'not'; arg: Predicate }
  | { op: ComparisonOp; column: string; value: Literal }
  | { op: 'in'; column: string; values: Literal[] }
  | { op: 'isNull' | 'isNotNull'; column: string };

/** Builders that read as the predicate they make. */
export const where = {
  eq: (column: string, value: Literal): Predicate => ({ op: '=', column, value }),
  ne: (column: string, value: Literal): Predicate => ({ op: '!=', column, value }),
  lt: (column: string, value: Literal): Predicate => ({ op: '<', column, value }),
  le: (column: string, value: Literal): Predicate => ({ op: '<=', column, value }),
  gt: (column: string, value: Literal): Predicate => ({ op: '>', column, value }),
  ge: (column: string, value: Literal): Predicate => ({ op: '>=', column, value }),
  in: (column: string, values: Literal[]): Predicate => ({ op: 'in', column, values }),
  isNull: (column: string): Predicate => ({ op: 'isNull', column }),
  isNotNull: (column: string): Predicate => ({ op: 'isNotNull', column }),
  and: (...args: Predicate[]): Predicate => ({ op: 'and', args }),
  or: (...args: Predicate[]): Predicate => ({ op: 'or', args }),
  not: (arg: Predicate): Predicate => ({ op: 'not', arg }),
};

function literalSql(value: Literal): string {
  if (value instanceof Date) return `TIMESTAMPTZ ${quoteLiteral(value.toISOString())}`;
  if (typeof value === 'string') return quoteLiteral(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return String(value);
}

/** The predicate as a DuckDB SQL boolean expression over the table's logical columns. */
export function predicateToSql(p: Predicate): string {
  switch (p.op) {
    case 'and':
    case 'or':
      return p.args.length === 0
        ? p.op === 'and'
          ? 'TRUE'
          : 'FALSE'
        : `(${p.args.map(predicateToSql).join(` ${p.op.toUpperCase()} `)})`;
    case 'not':
      return `(NOT ${predicateToSql(p.arg)})`;
    case 'in':
      return p.values.length === 0
        ? 'FALSE'
        : `(${quoteIdent(p.column)} IN (${p.values.map(literalSql).join(', ')}))`;
    case 'isNull':
      return `(${quoteIdent(p.column)} IS NULL)`;
    case 'isNotNull':
      return `(${quoteIdent(p.column)} IS NOT NULL)`;
    default:
      return `(${quoteIdent(p.column)} ${p.op === '!=' ? '<>' : p.op} ${literalSql(p.value)})`;
  }
}

/** Columns a predicate refers to. */
export function predicateColumns(p: Predicate): Set<string> {
  const out = new Set<string>();
  const visit = (q: Predicate) => {
    if (q.op === 'and' || q.op === 'or') q.args.forEach(visit);
    else if (q.op === 'not') visit(q.arg);
    else out.add(q.column);
  };
  visit(p);
  return out;
}
