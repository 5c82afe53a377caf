// A lakehouse table as the knowledge base describes it: from the Delta metadata (schema, column
// comments, table description), completed with built-in notes for the medallion tables.

export interface TableDocColumn {
  name: string;
  /** The Delta type (`string`, `long`, `timestamp`, ...). */
  type: string;
  /** The DuckDB type queries see (`VARCHAR`, `BIGINT`, `TIMESTAMP WITH TIME ZONE`, ...). */
  sqlType: string;
  nullable: boolean;
  /** The column's `comment` field metadata, else a built-in note, if any. */
  comment?: string;
}

export interface TableDoc {
  name: string;
  /** The Delta version the doc was read at. */
  version: number;
  /** The Delta metadata id (changes when the table is replaced). */
  metadataId: string | undefined;
  /** The Delta `description`, else a built-in note, if any. */
  description?: string;
  columns: TableDocColumn[];
  partitionColumns: string[];
  /** Rows according to the file statistics, when known. */
  rowCount: number | undefined;
}
