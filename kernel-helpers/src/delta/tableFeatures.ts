// Which Delta protocol versions and table features this project reads and writes.
// The README's Delta feature table lists the same sets; keep them in step.
import { UnsupportedFeatureError } from '../errors.js';
import type { MetadataAction, ProtocolAction } from './actions.js';

/** Reader features this reader implements (reader version 3 tables list them explicitly). */
export const SUPPORTED_READER_FEATURES: ReadonlySet<string> = new Set([
  'columnMapping',
  'deletionVectors',
  'timestampNtz',
  'vacuumProtocolCheck',
  'v2Checkpoint',
  'typeWidening',
  'typeWidening-preview',
]);

/** Writer features this writer honours (writer version 7 tables list them explicitly). */
export const SUPPORTED_WRITER_FEATURES: ReadonlySet<string> = new Set(['appendOnly', 'timestampNtz']);

/** Reader features known to the protocol that this reader refuses, with what they need. */
export const REFUSED_READER_FEATURES: Readonly<Record<string, string>> = {
  variantType: 'the variant type is not supported',
  'variantType-preview': 'the variant type is not supported',
  catalogManaged: 'catalog-managed commits need a catalog client',
};

/**
 * Throws UnsupportedFeatureError when a table's protocol needs a reader feature this
 * project does not implement; the error names the feature (or the reader version).
 */
export function assertReadable(table: string, version: number, protocol: ProtocolAction): void {
  const rv = protocol.minReaderVersion;
  if (rv < 1 || rv > 3) {
    throw new UnsupportedFeatureError(
      table,
      version,
      `readerVersion ${rv}`,
      'this reader supports reader versions 1 to 3',
    );
  }
  if (rv === 3) {
    for (const feature of protocol.readerFeatures ?? []) {
      if (!SUPPORTED_READER_FEATURES.has(feature)) {
        throw new UnsupportedFeatureError(
          table,
          version,
          feature,
          REFUSED_READER_FEATURES[feature] ?? 'unknown reader feature',
        );
      }
    }
  }
}

/** Writer versions 1 and 2 cover appendOnly and invariants; this writer enforces appendOnly only. */
export function assertWritable(
  table: string,
  version: number,
  protocol: ProtocolAction,
  metadata: MetadataAction,
): void {
  assertReadable(table, version, protocol);
  const wv = protocol.minWriterVersion;
  if (wv > 2 && wv < 7) {
    const feature =
      { 3: 'checkConstraints', 4: 'changeDataFeed', 5: 'columnMapping', 6: 'identityColumns' }[wv] ??
      `writerVersion ${wv}`;
    throw new UnsupportedFeatureError(
      table,
      version,
      feature,
      `writer version ${wv} is not supported for writes`,
    );
  }
  if (wv === 7) {
    for (const feature of protocol.writerFeatures ?? []) {
      if (!SUPPORTED_WRITER_FEATURES.has(feature)) {
        throw new UnsupportedFeatureError(
          table,
          version,
          feature,
          'writer feature is not supported for writes',
        );
      }
    }
  }
  if (metadata.schemaString.includes('"delta.invariants"')) {
    throw new UnsupportedFeatureError(
      table,
      version,
      'invariants',
      'column invariants are not enforced by this writer',
    );
  }
}

/** Whether the table refuses removes of data (`delta.appendOnly=true`). */
export function isAppendOnly(metadata: MetadataAction): boolean {
  return metadata.configuration?.['delta.appendOnly'] === 'true';
}
