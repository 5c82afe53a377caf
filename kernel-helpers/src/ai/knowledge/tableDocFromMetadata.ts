// A TableDoc from a table's Delta metadata (pure): names and types from the schema, comments from
// the fields' `comment` metadata, the description from the metaData action, notes as fallback.
import { duckdbTypeOf, type StructType, typeToString } from '../../delta/schema.js';
import type { TableDoc } from './TableDoc.js';
import { TABLE_NOTES } from './tableNotes.js';

export interface TableMetadataInput {
  name: string;
  version: number;
  metadataId?: string | undefined;
  description?: string | null | undefined;
  schema: StructType;
  partitionColumns: readonly string[];
  rowCount: number | undefined;
}

/** The doc of one table; built-in notes fill what the metadata leaves empty. */
export function tableDocFromMetadata(input: TableMetadataInput): TableDoc {
  const note = TABLE_NOTES[input.name.toLowerCase()];
  const description = nonEmpty(input.description) ?? note?.description;
  return {
    name: input.name,
    version: input.version,
    metadataId: input.metadataId,
    ...(description !== undefined ? { description } : {}),
    columns: input.schema.fields.map((f) => {
      const comment = nonEmpty(f.metadata['comment']) ?? note?.columns[f.name];
      return {
        name: f.name,
        type: typeToString(f.type),
        sqlType: duckdbTypeOf(f.type),
        nullable: f.nullable,
        ...(comment !== undefined ? { comment } : {}),
      };
    }),
    partitionColumns: [...input.partitionColumns],
    rowCount: input.rowCount,
  };
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim().length > 0 ? value.trim() : undefined;
}
