// The SQL guard: decides, from DuckDB's own parse tree (`json_serialize_sql`), whether an
// untrusted query is a single read-only SELECT over lakehouse tables. Pure: no I/O.
import { sqlGuardPolicy as policy } from './sqlGuardPolicy.js';

/** Why the guard refused a query (stable codes; QueryError carries the same). */
export type SqlGuardCode =
  | 'SQL_EMPTY'
  | 'SQL_SYNTAX_ERROR'
  | 'SQL_MULTIPLE_STATEMENTS'
  | 'SQL_NOT_SELECT'
  | 'SQL_UNKNOWN_TABLE'
  | 'SQL_FILE_ACCESS_REFUSED'
  | 'SQL_TABLE_FUNCTION_REFUSED'
  | 'SQL_FUNCTION_REFUSED'
  | 'SQL_STATEMENT_REFUSED'
  | 'SQL_TOO_COMPLEX';

export interface SqlGuardIssue {
  code: SqlGuardCode;
  message: string;
}

export interface SqlGuardInput {
  /** The query text (used for messages only; the decision rests on `tree`). */
  sql: string;
  /**
   * Statements DuckDB's parser found in `sql` (`extractStatements`), when known: needed only to
   * tell several statements from one non-SELECT when json_serialize_sql refused the list.
   */
  statementCount: number | undefined;
  /** `JSON.parse` of `json_serialize_sql(sql)`. */
  tree: unknown;
}

export interface SqlGuardContext {
  /** The lakehouse tables (DuckDB views) queries may read; compared case-insensitively. */
  tables: Iterable<string>;
}

/** zod-style result: the lakehouse tables the query reads, or the first issue and all issues. */
export type SqlGuardResult =
  | { success: true; data: { tables: string[] } }
  | { success: false; error: SqlGuardIssue & { issues: SqlGuardIssue[] } };

/** Nesting deeper than this is refused rather than walked (DuckDB's own limit is lower). */
const MAX_DEPTH = 2_500;

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * Checks one query. Accepts exactly one SELECT (plain, set operation, CTEs, VALUES, DESCRIBE /
 * SUMMARIZE / SHOW TABLES) whose tables are lakehouse tables or CTEs in scope, whose table
 * functions are in the allow list and whose functions are not in the deny list.
 */
export function guardSql(input: SqlGuardInput, context: SqlGuardContext): SqlGuardResult {
  const issues = statementIssues(input);
  if (issues.length > 0) return refused(issues);
  const statement = (input.tree as { statements: Json[] }).statements[0]!;
  const walker = new Walker(context.tables);
  try {
    walker.visit(statement['node'], new Set(), 0);
  } catch (e) {
    // A tree deep enough to exhaust the stack before MAX_DEPTH: refuse rather than crash.
    if (!(e instanceof RangeError)) throw e;
    return refused([{ code: 'SQL_TOO_COMPLEX', message: 'the query is nested too deeply' }]);
  }
  if (walker.issues.length > 0) return refused(walker.issues);
  return { success: true, data: { tables: [...walker.used].sort() } };
}

function refused(issues: SqlGuardIssue[]): SqlGuardResult {
  return { success: false, error: { ...issues[0]!, issues } };
}

/** Issues with the statement list itself: parse errors, non-SELECT statements, counts. */
function statementIssues(input: SqlGuardInput): SqlGuardIssue[] {
  const tree = input.tree;
  if (!isObject(tree)) return [{ code: 'SQL_SYNTAX_ERROR', message: 'the query could not be parsed' }];
  if (tree['error'] === true) {
    if (text(tree['error_type']) === 'parser') {
      const position = text(tree['position']);
      const problem = text(tree['error_message']);
      const at = position ? ` (at character ${Number(position) + 1})` : '';
      return [
        {
          code: 'SQL_SYNTAX_ERROR',
          message: /^syntax error/i.test(problem)
            ? `${problem}${at}`
            : `cannot parse the query: ${problem}${at}`,
        },
      ];
    }
    if ((input.statementCount ?? 0) > 1) return [multipleStatements(input.statementCount!)];
    const keyword = leadingKeyword(input.sql);
    return [
      {
        code: 'SQL_NOT_SELECT',
        message: `only SELECT queries are allowed${keyword && keyword !== 'SELECT' ? `; ${keyword} statements are refused` : ''} (the lakehouse SQL engine is read-only)`,
      },
    ];
  }
  const statements = tree['statements'];
  if (!Array.isArray(statements) || statements.length === 0 || input.statementCount === 0) {
    return [{ code: 'SQL_EMPTY', message: 'the query is empty: write one SELECT statement' }];
  }
  if (statements.length > 1 || (input.statementCount ?? 1) > 1) {
    return [multipleStatements(Math.max(statements.length, input.statementCount ?? 1))];
  }
  if (!isObject(statements[0]) || !isObject(statements[0]['node'])) {
    return [{ code: 'SQL_STATEMENT_REFUSED', message: 'the statement has an unexpected shape' }];
  }
  return [];
}

function multipleStatements(count: number): SqlGuardIssue {
  return {
    code: 'SQL_MULTIPLE_STATEMENTS',
    message: `only one statement per query is allowed; found ${count}`,
  };
}

/** The first keyword of `sql` after comments, whitespace and opening parentheses, upper-cased. */
export function leadingKeyword(sql: string): string | undefined {
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (/\s/.test(c) || c === '(' || c === ';') i++;
    else if (sql.startsWith('--', i)) {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end + 1;
    } else if (sql.startsWith('/*', i)) {
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? sql.length : end + 2;
    } else break;
  }
  return /^[A-Za-z_]+/.exec(sql.slice(i, i + 64))?.[0]?.toUpperCase();
}

/** Walks a parse tree with the CTE names in scope, collecting issues and tables read. */
class Walker {
  readonly issues: SqlGuardIssue[] = [];
  readonly used = new Set<string>();
  private readonly tables = new Map<string, string>();

  constructor(tables: Iterable<string>) {
    for (const t of tables) this.tables.set(t.toLowerCase(), t);
  }

  private issue(code: SqlGuardCode, message: string): void {
    if (!this.issues.some((i) => i.code === code && i.message === message))
      this.issues.push({ code, message });
  }

  visit(value: unknown, scope: ReadonlySet<string>, depth: number): void {
    if (depth > MAX_DEPTH) {
      this.issue('SQL_TOO_COMPLEX', 'the query is nested too deeply');
      return;
    }
    if (Array.isArray(value)) {
      for (const v of value) this.visit(v, scope, depth + 1);
      return;
    }
    if (!isObject(value)) return;
    if (typeof value['class'] === 'string') this.visitExpression(value, scope, depth);
    else if ('cte_map' in value && 'modifiers' in value) this.visitQueryNode(value, scope, depth);
    else if (isTableRef(value)) this.visitTableRef(value, scope, depth);
    else this.visitFields(value, scope, depth);
  }

  private visitFields(value: Json, scope: ReadonlySet<string>, depth: number, skip?: string): void {
    for (const [key, v] of Object.entries(value)) if (key !== skip) this.visit(v, scope, depth + 1);
  }

  private visitExpression(expr: Json, scope: ReadonlySet<string>, depth: number): void {
    if (expr['class'] === 'FUNCTION') {
      const name = text(expr['function_name']).toLowerCase();
      const reason = policy.refusedFunctions.get(name);
      if (reason !== undefined)
        this.issue('SQL_FUNCTION_REFUSED', `function ${name}() is not allowed: ${reason}`);
    }
    this.visitFields(expr, scope, depth);
  }

  private visitQueryNode(node: Json, scope: ReadonlySet<string>, depth: number): void {
    const type = text(node['type']);
    if (!policy.queryNodeTypes.has(type)) {
      this.issue('SQL_STATEMENT_REFUSED', `query construct ${type || 'unknown'} is not allowed`);
      return;
    }
    // A CTE sees the CTEs defined before it, and itself only when it is recursive; the body
    // sees them all. Anything else is not a CTE reference and must be a lakehouse table.
    const inner = new Set(scope);
    const cteMap = isObject(node['cte_map']) ? node['cte_map']['map'] : undefined;
    for (const entry of Array.isArray(cteMap) ? cteMap : []) {
      if (!isObject(entry)) continue;
      const name = text(entry['key']).toLowerCase();
      const definition = entry['value'];
      const body =
        isObject(definition) && isObject(definition['query']) ? definition['query']['node'] : undefined;
      const recursive = isObject(body) && body['type'] === 'RECURSIVE_CTE_NODE';
      if (recursive) inner.add(name);
      this.visit(definition, new Set(inner), depth + 1);
      inner.add(name);
    }
    if (type === 'CTE_NODE') inner.add(text(node['ctename'] ?? node['cte_name']).toLowerCase());
    this.visitFields(node, inner, depth, 'cte_map');
  }

  private visitTableRef(ref: Json, scope: ReadonlySet<string>, depth: number): void {
    const type = text(ref['type']);
    switch (type) {
      case 'BASE_TABLE':
        this.checkTable(text(ref['table_name']), text(ref['schema_name']), text(ref['catalog_name']), scope);
        break;
      case 'TABLE_FUNCTION': {
        const fn = ref['function'];
        this.checkTableFunction(isObject(fn) ? text(fn['function_name']).toLowerCase() : '');
        break;
      }
      case 'SHOW_REF':
        this.checkShow(ref, scope);
        break;
      default:
        if (!policy.plainTableRefTypes.has(type)) {
          this.issue('SQL_STATEMENT_REFUSED', `FROM-clause item ${type || 'unknown'} is not allowed`);
          return;
        }
    }
    this.visitFields(ref, scope, depth);
  }

  private checkTable(name: string, schema: string, catalog: string, scope: ReadonlySet<string>): void {
    const lower = name.toLowerCase();
    if (/[./\\:]/.test(name)) {
      this.issue(
        'SQL_FILE_ACCESS_REFUSED',
        `reading files is not allowed (${JSON.stringify(name)}); query the lakehouse tables${this.tableList()}`,
      );
      return;
    }
    const qualified = schema !== '' || catalog !== '';
    if (!qualified && scope.has(lower)) return;
    const table = this.tables.get(lower);
    if (
      table !== undefined &&
      policy.schemas.has(schema.toLowerCase()) &&
      policy.catalogs.has(catalog.toLowerCase())
    ) {
      this.used.add(table);
      return;
    }
    const shown = [catalog, schema, name].filter((p) => p !== '').join('.');
    this.issue(
      'SQL_UNKNOWN_TABLE',
      `unknown table ${shown}; the lakehouse tables are${this.tableList(': (none yet)')}`,
    );
  }

  /** `: a, b, c` (the lakehouse tables), or `fallback` when there are none. */
  private tableList(fallback = ''): string {
    const names = [...this.tables.values()].sort();
    return names.length === 0 ? fallback : `: ${names.join(', ')}`;
  }

  private checkTableFunction(name: string): void {
    if (policy.allowedTableFunctions.has(name)) return;
    const allowed = [...policy.allowedTableFunctions].join(', ');
    if (policy.fileTableFunctions.has(name) || name.startsWith('read_')) {
      this.issue(
        'SQL_FILE_ACCESS_REFUSED',
        `table function ${name}() reads files and is not allowed; query the lakehouse tables${this.tableList()}`,
      );
    } else {
      this.issue(
        'SQL_TABLE_FUNCTION_REFUSED',
        `table function ${name || 'unknown'}() is not allowed; allowed table functions: ${allowed}`,
      );
    }
  }

  private checkShow(ref: Json, scope: ReadonlySet<string>): void {
    const showType = text(ref['show_type']);
    const tableName = text(ref['table_name']);
    if (policy.showTypes.has(showType)) {
      // DESCRIBE / SUMMARIZE of a query is walked as a query; of a name, the name must be a table.
      if (!isObject(ref['query']))
        this.checkTable(tableName, text(ref['schema_name']), text(ref['catalog_name']), scope);
      return;
    }
    if (showType === 'SHOW_UNQUALIFIED' && policy.showUnqualifiedTables.has(tableName)) return;
    this.issue('SQL_STATEMENT_REFUSED', 'this SHOW form is not allowed; use SHOW TABLES or DESCRIBE <table>');
  }
}

/** A FROM-clause item (DuckDB TableRef): typed, aliased, with a sample clause, not an expression. */
function isTableRef(value: Json): boolean {
  const type = value['type'];
  if (type === 'BASE_TABLE' || type === 'TABLE_FUNCTION' || type === 'SHOW_REF') return true;
  return typeof type === 'string' && 'alias' in value && 'sample' in value && !('modifiers' in value);
}
