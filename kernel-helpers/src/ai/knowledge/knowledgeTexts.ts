// How knowledge documents read as text (pure): what is embedded for retrieval and what the LLM
// prompt shows.
import type { TableDoc } from './TableDoc.js';

/** A table as embedded: its name in words, description, columns with their comments. */
export function tableEmbeddingText(doc: TableDoc): string {
  const columns = doc.columns.map(
    (c) => `${c.name.replaceAll('_', ' ')}${c.comment ? ` (${c.comment})` : ''}`,
  );
  return `table ${doc.name} ${doc.name.replaceAll('_', ' ')}. ${doc.description ?? ''} Columns: ${columns.join(', ')}.`;
}

/** A table as the prompt shows it: a CREATE TABLE-like block with comments. */
export function tableSchemaText(doc: TableDoc): string {
  const lines = [`-- ${doc.name}${doc.description ? `: ${doc.description}` : ''}`];
  lines.push(`TABLE ${doc.name} (`);
  doc.columns.forEach((c, i) => {
    const comma = i < doc.columns.length - 1 ? ',' : '';
    lines.push(`  ${c.name} ${c.sqlType}${comma}${c.comment ? ` -- ${c.comment}` : ''}`);
  });
  lines.push(')');
  return lines.join('\n');
}
