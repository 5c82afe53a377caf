// Rows as CSV (RFC 4180: comma separated, CRLF lines, quotes doubled), header first.
import { cellText } from './answerBundle';

/** The CSV text of `rows` with the given columns. */
export function csvFromRows(
  columns: readonly { name: string }[],
  rows: readonly Record<string, unknown>[],
): string {
  const field = (value: unknown) => {
    const text = cellText(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [columns.map((c) => field(c.name)).join(',')];
  for (const row of rows) lines.push(columns.map((c) => field(row[c.name])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
