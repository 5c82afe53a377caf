// Delta log actions (PROTOCOL.md "Actions"): zod schemas for what is read from commit files and
// checkpoints, and the TypeScript types the rest of the Delta core works with.
import { z } from 'zod';

/** A nullable field from JSON or a checkpoint row: null and absent both become undefined. */
const opt = <T extends z.ZodType>(schema: T) =>
  schema
    .nullish()
    .transform((v) => v ?? undefined)
    .optional();

const stringMap = z.record(z.string(), z.string().nullable());

export const deletionVectorSchema = z.looseObject({
  storageType: z.string(),
  pathOrInlineDv: z.string(),
  offset: opt(z.number()),
  sizeInBytes: z.number(),
  cardinality: z.number(),
});

export const addSchema = z.looseObject({
  path: z.string(),
  partitionValues: opt(stringMap),
  size: z.number(),
  modificationTime: z.number(),
  dataChange: z.boolean(),
  stats: opt(z.string()),
  tags: opt(stringMap),
  deletionVector: opt(deletionVectorSchema),
  baseRowId: opt(z.number()),
  defaultRowCommitVersion: opt(z.number()),
  clusteringProvider: opt(z.string()),
});

export const removeSchema = z.looseObject({
  path: z.string(),
  deletionTimestamp: opt(z.number()),
  dataChange: z.boolean(),
  extendedFileMetadata: opt(z.boolean()),
  partitionValues: opt(stringMap),
  size: opt(z.number()),
  stats: opt(z.string()),
  tags: opt(stringMap),
  deletionVector: opt(deletionVectorSchema),
  baseRowId: opt(z.number()),
  defaultRowCommitVersion: opt(z.number()),
});

export const metadataSchema = z.looseObject({
  id: z.string(),
  name: opt(z.string()),
  description: opt(z.string()),
  format: z.object({ provider: z.string(), options: opt(stringMap) }),
  // Tables written by early Delta versions may lack a schema: read as one with no columns.
  schemaString: z
    .string()
    .nullish()
    .transform((v) => v ?? '{"type":"struct","fields":[]}'),
  partitionColumns: z.array(z.string()),
  configuration: opt(stringMap),
  createdTime: opt(z.number()),
});

export const protocolSchema = z.looseObject({
  minReaderVersion: z.number().int(),
  minWriterVersion: z.number().int(),
  readerFeatures: opt(z.array(z.string())),
  writerFeatures: opt(z.array(z.string())),
});

export const txnSchema = z.looseObject({
  appId: z.string(),
  version: z.number(),
  lastUpdated: opt(z.number()),
});

export const commitInfoSchema = z.looseObject({
  timestamp: opt(z.number()),
  inCommitTimestamp: opt(z.number()),
  operation: opt(z.string()),
  operationParameters: opt(z.record(z.string(), z.unknown())),
  readVersion: opt(z.number()),
  isolationLevel: opt(z.string()),
  isBlindAppend: opt(z.boolean()),
  operationMetrics: opt(z.record(z.string(), z.unknown())),
  engineInfo: opt(z.string()),
  txnId: opt(z.string()),
});

export const cdcSchema = z.looseObject({
  path: z.string(),
  partitionValues: opt(stringMap),
  size: z.number(),
  dataChange: z.boolean(),
});

export const domainMetadataSchema = z.looseObject({
  domain: z.string(),
  configuration: z.string(),
  removed: z.boolean(),
});

export const checkpointMetadataSchema = z.looseObject({ version: z.number() });

export const sidecarSchema = z.looseObject({
  path: z.string(),
  sizeInBytes: z.number(),
  modificationTime: z.number(),
});

export type DeletionVector = z.infer<typeof deletionVectorSchema>;
export type AddAction = z.infer<typeof addSchema>;
export type RemoveAction = z.infer<typeof removeSchema>;
export type MetadataAction = z.infer<typeof metadataSchema>;
export type ProtocolAction = z.infer<typeof protocolSchema>;
export type TxnAction = z.infer<typeof txnSchema>;
export type CommitInfoAction = z.infer<typeof commitInfoSchema>;
export type CdcAction = z.infer<typeof cdcSchema>;
export type DomainMetadataAction = z.infer<typeof domainMetadataSchema>;
export type SidecarAction = z.infer<typeof sidecarSchema>;

/** One action of a commit or checkpoint, tagged by its kind. */
export type Action =
  | { kind: 'add'; add: AddAction }
  | { kind: 'remove'; remove: RemoveAction }
  | { kind: 'metaData'; metaData: MetadataAction }
  | { kind: 'protocol'; protocol: ProtocolAction }
  | { kind: 'txn'; txn: TxnAction }
  | { kind: 'commitInfo'; commitInfo: CommitInfoAction }
  | { kind: 'cdc'; cdc: CdcAction }
  | { kind: 'domainMetadata'; domainMetadata: DomainMetadataAction }
  | { kind: 'checkpointMetadata'; checkpointMetadata: { version: number } }
  | { kind: 'sidecar'; sidecar: SidecarAction };

export type ActionKind = Action['kind'];

/** The schema of each action kind, keyed by the name the log uses. */
export const actionSchemas = {
  add: addSchema,
  remove: removeSchema,
  metaData: metadataSchema,
  protocol: protocolSchema,
  txn: txnSchema,
  commitInfo: commitInfoSchema,
  cdc: cdcSchema,
  domainMetadata: domainMetadataSchema,
  checkpointMetadata: checkpointMetadataSchema,
  sidecar: sidecarSchema,
} as const satisfies Record<ActionKind, z.ZodType>;

/** Whether `name` is an action kind this reader knows. */
export function isActionKind(name: string): name is ActionKind {
  return Object.hasOwn(actionSchemas, name);
}
