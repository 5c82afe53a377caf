// SQL text as compared for "the same query" (pure): keywords and identifiers lower-cased, string
// literals kept as written, blank space collapsed and dropped around punctuation, trailing
// semicolons removed. Two texts equal after this are the same query for any practical purpose.

/** The comparable form of `sql`. */
export function normaliseSql(sql: string): string {
  const out: string[] = [];
  let i = 0;
  let code = '';
  const flush = () => {
    out.push(
      code
        .toLowerCase()
        .replace(/--[^\n]*/g, ' ')
        .replace(/\s+/g, ' ')
        .replace(/\s*([(),;=<>*/+\-|])\s*/g, '$1'),
    );
    code = '';
  };
  while (i < sql.length) {
    const ch = sql[i]!;
    if (ch === "'") {
      flush();
      let j = i + 1;
      while (j < sql.length) {
        if (sql[j] === "'" && sql[j + 1] === "'") j += 2;
        else if (sql[j] === "'") break;
        else j++;
      }
      out.push(sql.slice(i, j + 1));
      i = j + 1;
      continue;
    }
    code += ch;
    i++;
  }
  flush();
  return out.join('').trim().replace(/;+$/, '').trim();
}
