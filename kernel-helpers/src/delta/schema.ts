// The Delta table schema (PROTOCOL.md "Schema Serialization Format"): parsing `schemaString`,
// column mapping names, and the mapping to DuckDB types.
import { z } from 'zod';

export type PrimitiveType =
  | 'string'
  | 'long'
  | 'integer'
  | 'short'
  | 'byte'
  | 'float'
  | 'double'
  | 'boolean'
  | 'binary'
  | 'date'
  | 'timestamp'
  | 'timestamp_ntz'
  | `decimal(${number},${number})`;

export interface StructField {
  name: string;
  type: DataType;
  nullable: boolean;
  metadata: Record<string, unknown>;
}
export interface StructType {
  type: 'struct';
  fields: StructField[];
}
export interface ArrayType {
  type: 'array';
  elementType: DataType;
  containsNull: boolean;
}
export interface MapType {
  type: 'map';
  keyType: DataType;
  valueType: DataType;
  valueContainsNull: boolean;
}
export type DataType = PrimitiveType | StructType | ArrayType | MapType;

const PRIMITIVES = new Set([
  'string',
  'long',
  'integer',
  'short',
  'byte',
  'float',
  'double',
  'boolean',
  'binary',
  'date',
  'timestamp',
  'timestamp_ntz',
]);
const DECIMAL = /^decimal\(\s*(\d+)\s*,\s*(-?\d+)\s*\)$/;

const dataTypeSchema: z.ZodType<DataType> = z.lazy(() =>
  z.union([
    z.string().refine((s) => PRIMITIVES.has(s) || DECIMAL.test(s), { message: 'unknown primitive type' }),
    structTypeSchema,
    z.object({ type: z.literal('array'), elementType: dataTypeSchema, containsNull: z.boolean() }),
    z.object({
      type: z.literal('map'),
      keyType: dataTypeSchema,
      valueType: dataTypeSchema,
      valueContainsNull: z.boolean(),
    }),
  ]),
) as z.ZodType<DataType>;

const structFieldSchema = z.object({
  name: z.string(),
  type: dataTypeSchema,
  nullable: z.boolean().default(true),
  metadata: z.record(z.string(), z.unknown()).default({}),
});

const structTypeSchema = z.object({ type: z.literal('struct'), fields: z.array(structFieldSchema) });

/** Parses a `schemaString`; returns a zod-style result so callers can name the table. */
export function parseSchemaString(
  schemaString: string,
): { success: true; data: StructType } | { success: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(schemaString);
  } catch (e) {
    return { success: false, error: `schemaString is not JSON: ${(e as Error).message}` };
  }
  const parsed = structTypeSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { success: false, error: `invalid schema at ${issue?.path.join('.')}: ${issue?.message}` };
  }
  return { success: true, data: parsed.data as StructType };
}

export const isStructType = (t: DataType): t is StructType => typeof t === 'object' && t.type === 'struct';
export const isArrayType = (t: DataType): t is ArrayType => typeof t === 'object' && t.type === 'array';
export const isMapType = (t: DataType): t is MapType => typeof t === 'object' && t.type === 'map';
export const isPrimitiveType = (t: DataType): t is PrimitiveType => typeof t === 'string';

/** Decimal precision and scale of `decimal(p,s)`, or undefined for other types. */
export function decimalPrecisionScale(t: DataType): { precision: number; scale: number } | undefined {
  if (typeof t !== 'string') return undefined;
  const m = DECIMAL.exec(t);
  return m ? { precision: Number(m[1]), scale: Number(m[2]) } : undefined;
}

/** The column mapping mode a table declares (`delta.columnMapping.mode`). */
export type ColumnMappingMode = 'none' | 'name' | 'id';

/** The name a field has inside data files: its physical name under column mapping. */
export function physicalName(field: StructField, mode: ColumnMappingMode): string {
  if (mode === 'none') return field.name;
  const physical = field.metadata['delta.columnMapping.physicalName'];
  return typeof physical === 'string' ? physical : field.name;
}

/** Quotes an identifier for DuckDB SQL. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes a string literal for DuckDB SQL. */
export function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** The DuckDB type a Delta type is read as (timestamps are UTC instants: TIMESTAMPTZ). */
export function duckdbTypeOf(t: DataType): string {
  if (typeof t === 'string') {
    const dec = decimalPrecisionScale(t);
    if (dec) return `DECIMAL(${dec.precision},${dec.scale})`;
    switch (t) {
      case 'string':
        return 'VARCHAR';
      case 'long':
        return 'BIGINT';
      case 'integer':
        return 'INTEGER';
      case 'short':
        return 'SMALLINT';
      case 'byte':
        return 'TINYINT';
      case 'float':
        return 'FLOAT';
      case 'double':
        return 'DOUBLE';
      case 'boolean':
        return 'BOOLEAN';
      case 'binary':
        return 'BLOB';
      case 'date':
        return 'DATE';
      case 'timestamp':
        return 'TIMESTAMPTZ';
      case 'timestamp_ntz':
        return 'TIMESTAMP';
    }
    throw new Error(`no DuckDB type for Delta type ${t}`);
  }
  if (t.type === 'struct') {
    return `STRUCT(${t.fields.map((f) => `${quoteIdent(f.name)} ${duckdbTypeOf(f.type)}`).join(', ')})`;
  }
  if (t.type === 'array') return `${duckdbTypeOf(t.elementType)}[]`;
  return `MAP(${duckdbTypeOf(t.keyType)}, ${duckdbTypeOf(t.valueType)})`;
}

/** A short readable rendering of a type, for error messages and schema listings. */
export function typeToString(t: DataType): string {
  if (typeof t === 'string') return t;
  if (t.type === 'struct')
    return `struct<${t.fields.map((f) => `${f.name}: ${typeToString(f.type)}`).join(', ')}>`;
  if (t.type === 'array') return `array<${typeToString(t.elementType)}>`;
  return `map<${typeToString(t.keyType)}, ${typeToString(t.valueType)}>`;
}

/** A struct field with Delta's defaults (nullable, no metadata). */
export function field(
  name: string,
  type: DataType,
  nullable = true,
  metadata: Record<string, unknown> = {},
): StructField {
  return { name, type, nullable, metadata };
}

/** A struct type from fields. */
export function struct(...fields: StructField[]): StructType {
  return { type: 'struct', fields };
}
