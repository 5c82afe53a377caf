// Mapping DuckDB result types to Delta types, for tables created from a query's shape and for
// schema evolution.
import { type DuckDBType, DuckDBTypeId } from '@duckdb/node-api';
import type { DataType } from './schema.js';

/**
 * The Delta type a DuckDB column is stored as, or an error string for types Delta has no
 * place for (unsigned integers wider than their signed Delta type, intervals, unions ...).
 */
export function deltaTypeFromDuckDb(type: DuckDBType): DataType | { error: string } {
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return 'boolean';
    case DuckDBTypeId.TINYINT:
      return 'byte';
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.UTINYINT:
      return 'short';
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.USMALLINT:
      return 'integer';
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UINTEGER:
      return 'long';
    case DuckDBTypeId.HUGEINT:
      return 'decimal(38,0)';
    case DuckDBTypeId.FLOAT:
      return 'float';
    case DuckDBTypeId.DOUBLE:
      return 'double';
    case DuckDBTypeId.DECIMAL:
      return `decimal(${type.width},${type.scale})`;
    case DuckDBTypeId.VARCHAR:
    case DuckDBTypeId.UUID:
    case DuckDBTypeId.ENUM:
      return 'string';
    case DuckDBTypeId.BLOB:
      return 'binary';
    case DuckDBTypeId.DATE:
      return 'date';
    case DuckDBTypeId.TIMESTAMP_TZ:
      return 'timestamp';
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_NS:
      return 'timestamp_ntz';
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY: {
      const element = deltaTypeFromDuckDb(type.valueType);
      return typeof element === 'object' && 'error' in element
        ? element
        : { type: 'array', elementType: element, containsNull: true };
    }
    case DuckDBTypeId.MAP: {
      const key = deltaTypeFromDuckDb(type.keyType);
      if (typeof key === 'object' && 'error' in key) return key;
      const value = deltaTypeFromDuckDb(type.valueType);
      if (typeof value === 'object' && 'error' in value) return value;
      return { type: 'map', keyType: key, valueType: value, valueContainsNull: true };
    }
    case DuckDBTypeId.STRUCT: {
      const fields = [];
      for (let i = 0; i < type.entryNames.length; i++) {
        const t = deltaTypeFromDuckDb(type.entryTypes[i]!);
        if (typeof t === 'object' && 'error' in t) return t;
        fields.push({ name: type.entryNames[i]!, type: t, nullable: true, metadata: {} });
      }
      return { type: 'struct', fields };
    }
    default:
      return { error: `DuckDB type ${type.toString()} has no Delta equivalent` };
  }
}
