// Reads a table's doc from its Delta snapshot (comments and description live only there); falls
// back to the engine's TableInfo when no lakehouse is given.

import type { DataType, StructType } from '../../delta/schema.js';
import type { Lakehouse } from '../../engine/Lakehouse.js';
import type { TableInfo } from '../../engine/SqlEngine.js';
import type { TableDoc } from './TableDoc.js';
import { tableDocFromMetadata } from './tableDocFromMetadata.js';

/**
 * The doc of `info`'s table at `info.version`, from the Delta metadata when `lakehouse` is given.
 * @throws what reading the snapshot throws (DeltaError).
 */
export async function readSnapshotDoc(lakehouse: Lakehouse | undefined, info: TableInfo): Promise<TableDoc> {
  if (!lakehouse) {
    const schema: StructType = {
      type: 'struct',
      fields: info.columns.map((c) => ({
        name: c.name,
        type: c.type as DataType,
        nullable: c.nullable,
        metadata: {},
      })),
    };
    return tableDocFromMetadata({
      name: info.name,
      version: info.version,
      schema,
      partitionColumns: info.partitionColumns,
      rowCount: info.rowCount,
    });
  }
  const table = await lakehouse.table(info.name);
  const snapshot = await table.snapshot({ version: info.version });
  return tableDocFromMetadata({
    name: info.name,
    version: snapshot.version,
    metadataId: snapshot.metadata.id,
    description: snapshot.metadata.description,
    schema: snapshot.schema,
    partitionColumns: snapshot.partitionColumns,
    rowCount: info.rowCount,
  });
}
