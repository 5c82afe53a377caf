// Fixes "now" in a SQL text: now(), current_timestamp, get_current_timestamp(), current_date
// and today() become literals of one instant, outside string literals. The evaluation runs the
// gold and the predicted SQL with the same clock (the seeded history's end), so a "last hour"
// question can't differ only because a second passed between the two queries.

const PATTERNS: readonly [RegExp, (iso: string, day: string) => string][] = [
  [/^(?:now|get_current_timestamp|transaction_timestamp)\s*\(\s*\)/i, (iso) => `TIMESTAMPTZ '${iso}'`],
  [/^current_timestamp(?:\s*\(\s*\))?/i, (iso) => `TIMESTAMPTZ '${iso}'`],
  [/^(?:current_date(?:\s*\(\s*\))?|today\s*\(\s*\))/i, (_, day) => `DATE '${day}'`],
];

/** `sql` with the current instant and date replaced by those of `now` (UTC). Pure. */
export function pinClock(sql: string, now: Date): string {
  const iso = now.toISOString();
  const day = iso.slice(0, 10);
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    if (ch === "'" || ch === '"') {
      // Copy a quoted literal or identifier whole ('' and "" escape the quote).
      let j = i + 1;
      while (j < sql.length) {
        if (sql[j] === ch) {
          if (sql[j + 1] === ch) j += 2;
          else break;
        } else j++;
      }
      out += sql.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    const boundary = i === 0 || !/[A-Za-z0-9_]/.test(sql[i - 1]!);
    if (boundary) {
      const rest = sql.slice(i);
      const hit = PATTERNS.map(([re, to]) => [rest.match(re), to] as const).find(
        ([m]) => m !== null && !/[A-Za-z0-9_]/.test(rest[m[0].length] ?? ''),
      );
      if (hit?.[0]) {
        out += hit[1](iso, day);
        i += hit[0][0].length;
        continue;
      }
    }
    out += ch;
    i++;
  }
  return out;
}
