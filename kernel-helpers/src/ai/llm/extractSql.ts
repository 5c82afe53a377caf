// Reading the SQL out of a model's reply (pure): a ```sql fence, any fence holding a query, or a
// bare query; an "Explanation:" line; CANNOT_ANSWER refusals. Reasoning blocks are ignored.

export type SqlExtraction =
  | { success: true; sql: string; explanation: string | undefined }
  | { success: false; code: 'LLM_NO_SQL' | 'LLM_CANNOT_ANSWER'; reason: string };

const FENCE = /```([A-Za-z0-9_-]*)[^\n]*\n([\s\S]*?)```/g;
const QUERY_START = /^\s*(?:\(\s*)*(SELECT|WITH|FROM)\b/i;
const SQL_LANGS = new Set(['sql', 'duckdb', 'postgresql', 'postgres', 'psql', 'sqlite', 'mysql']);

/** The query and explanation in `reply`, or why there is none. Never throws. */
export function extractSql(reply: string): SqlExtraction {
  const text = String(reply ?? '')
    .replace(/<think>[\s\S]*?<\/think>/gi, '')
    .replace(/\r\n/g, '\n');
  const explanation = explanationOf(text.replace(FENCE, ''));
  const refusal = /^\s*CANNOT_ANSWER\s*:?\s*(.*)$/im.exec(text);
  const fences = [...text.matchAll(FENCE)].map((m) => ({ lang: m[1]!.toLowerCase(), body: m[2]!.trim() }));
  const fenced =
    fences.find((f) => SQL_LANGS.has(f.lang) && f.body.length > 0) ??
    fences.find((f) => f.lang === '' && QUERY_START.test(f.body));
  if (fenced) return { success: true, sql: cleanSql(fenced.body), explanation };
  if (refusal && !QUERY_START.test(text))
    return {
      success: false,
      code: 'LLM_CANNOT_ANSWER',
      reason: refusal[1]?.trim() || 'the model cannot answer from these tables',
    };
  const bare = bareQuery(text);
  if (bare) return { success: true, sql: bare, explanation };
  return { success: false, code: 'LLM_NO_SQL', reason: 'the reply holds no SQL query' };
}

/** A query written without a fence: from its first SELECT/WITH line to a `;`, a blank line or the explanation. */
function bareQuery(text: string): string | undefined {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => QUERY_START.test(l.replace(/^\s*(?:SQL|Query)\s*:\s*/i, '')));
  if (start < 0) return undefined;
  const out: string[] = [lines[start]!.replace(/^\s*(?:SQL|Query)\s*:\s*/i, '')];
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '' || /^\s*Explanation\s*:/i.test(line)) break;
    out.push(line);
    if (line.trimEnd().endsWith(';')) break;
  }
  const sql = cleanSql(out.join('\n'));
  return sql.length > 0 ? sql : undefined;
}

/** The query without trailing semicolons and surrounding blank space. */
function cleanSql(sql: string): string {
  return sql.trim().replace(/[;\s]+$/, '');
}

function explanationOf(text: string): string | undefined {
  const m = /^\s*\**\s*Explanation\s*\**\s*:\s*\**\s*(.+)$/im.exec(text);
  return m ? m[1]!.trim().replace(/\s+/g, ' ') : undefined;
}
