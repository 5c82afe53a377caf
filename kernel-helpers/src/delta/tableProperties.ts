// Which table properties a table may be given, checked before any commit carries them (as
// Delta's `ALTER TABLE … SET TBLPROPERTIES` and delta-rs do): every `delta.*` key must be one
// Delta defines, spelled in any case (it is stored as Delta spells it), with a value of its
// kind; keys that would turn on a table feature this writer does not write are refused. Keys
// outside `delta.*` belong to their writers and pass (this project's own `rtlakehouse.*`
// layout keys are checked by dataLayoutOf). Pure.
import { DeltaError, UnsupportedFeatureError } from '../errors.js';
import type { ProtocolAction } from './actions.js';
import { intervalHours } from './retention.js';

/** A value as it is stored (booleans and enumerations in their own spelling), or what is wrong with it. */
type ValueCheck = (value: string) => { value: string } | { problem: string };

const oneOf =
  (...allowed: string[]): ValueCheck =>
  (value) => {
    const match = allowed.find((a) => a.toLowerCase() === value.trim().toLowerCase());
    return match !== undefined
      ? { value: match }
      : { problem: `expected ${allowed.map((a) => `'${a}'`).join(' or ')}` };
  };

const BOOLEAN = oneOf('true', 'false');

const INTERVAL: ValueCheck = (value) =>
  intervalHours(value) === undefined
    ? {
        problem:
          "expected an interval such as 'interval 7 days' (units: weeks, days, hours, minutes, seconds, milliseconds, microseconds)",
      }
    : { value };

const wholeNumber =
  (min: number): ValueCheck =>
  (value) => {
    const n = Number(value.trim());
    return value.trim() !== '' && Number.isSafeInteger(n) && n >= min
      ? { value: String(n) }
      : { problem: `expected a whole number of at least ${min}` };
  };

const BYTES: ValueCheck = (value) =>
  /^\s*\d+\s*(b|kb|mb|gb|tb)?\s*$/i.test(value)
    ? { value }
    : { problem: "expected a size such as '134217728' or '128mb'" };

const NOT_EMPTY: ValueCheck = (value) => (value.trim() === '' ? { problem: 'expected a value' } : { value });

/**
 * Properties that would turn on a table feature (a protocol upgrade) this writer does not
 * write: their check accepts only the value that leaves the feature off; the values that turn
 * it on are refused as the unsupported feature, any other as a bad value.
 */
const FEATURE_SWITCHES: Readonly<Record<string, { off: string; on: readonly string[]; feature: string }>> = {
  'delta.enableDeletionVectors': { off: 'false', on: ['true'], feature: 'deletionVectors' },
  'delta.enableChangeDataFeed': { off: 'false', on: ['true'], feature: 'changeDataFeed' },
  'delta.enableRowTracking': { off: 'false', on: ['true'], feature: 'rowTracking' },
  'delta.enableTypeWidening': { off: 'false', on: ['true'], feature: 'typeWidening' },
  'delta.enableInCommitTimestamps': { off: 'false', on: ['true'], feature: 'inCommitTimestamp' },
  'delta.columnMapping.mode': { off: 'none', on: ['name', 'id'], feature: 'columnMapping' },
  'delta.checkpointPolicy': { off: 'classic', on: ['v2'], feature: 'v2Checkpoint' },
};

/** Every `delta.*` table property Delta defines that a table may carry here, with its check. */
const DELTA_PROPERTIES: Readonly<Record<string, ValueCheck>> = {
  'delta.appendOnly': BOOLEAN,
  'delta.autoOptimize.autoCompact': oneOf('true', 'false', 'auto', 'legacy'),
  'delta.autoOptimize.optimizeWrite': BOOLEAN,
  'delta.checkpoint.writeStatsAsJson': BOOLEAN,
  'delta.checkpoint.writeStatsAsStruct': BOOLEAN,
  'delta.checkpointInterval': wholeNumber(1),
  'delta.checkpointRetentionDuration': INTERVAL,
  'delta.compatibility.symlinkFormatManifest.enabled': BOOLEAN,
  'delta.dataSkippingNumIndexedCols': wholeNumber(-1),
  'delta.dataSkippingStatsColumns': NOT_EMPTY,
  'delta.deletedFileRetentionDuration': INTERVAL,
  'delta.enableExpiredLogCleanup': BOOLEAN,
  'delta.isolationLevel': oneOf('Serializable', 'WriteSerializable'),
  'delta.logRetentionDuration': INTERVAL,
  'delta.randomizeFilePrefixes': BOOLEAN,
  'delta.randomPrefixLength': wholeNumber(1),
  'delta.setTransactionRetentionDuration': INTERVAL,
  'delta.targetFileSize': BYTES,
  'delta.tuneFileSizesForRewrites': BOOLEAN,
  ...Object.fromEntries(Object.entries(FEATURE_SWITCHES).map(([key, { off }]) => [key, oneOf(off)])),
};

const CANONICAL = new Map(Object.keys(DELTA_PROPERTIES).map((key) => [key.toLowerCase(), key]));

/** `key` as Delta spells it when it is one of Delta's properties in another case, else `key`. */
export function canonicalPropertyKey(key: string): string {
  return CANONICAL.get(key.toLowerCase()) ?? key;
}

/**
 * `properties` with Delta's keys spelled as Delta spells them, after checking each value.
 * @throws UnsupportedFeatureError for a property that turns on a feature this writer does not
 *   write, or that changes the protocol (`delta.minWriterVersion`, `delta.feature.*`).
 * @throws DeltaError DELTA_UNKNOWN_TABLE_PROPERTY for a `delta.*` key Delta does not define, and
 *   DELTA_INVALID_TABLE_PROPERTY for a value not of its property's kind.
 */
export function checkedTableProperties(
  table: string,
  version: number | undefined,
  properties: Readonly<Record<string, string>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [given, value] of Object.entries(properties)) {
    if (typeof value !== 'string') {
      throw new DeltaError(
        'DELTA_INVALID_TABLE_PROPERTY',
        table,
        version,
        `table property ${given}: values are strings (got ${value === null ? 'null' : typeof value})`,
      );
    }
    const key = canonicalPropertyKey(given);
    const lower = key.toLowerCase();
    if (!lower.startsWith('delta.')) {
      out[key] = value;
      continue;
    }
    if (
      lower === 'delta.minreaderversion' ||
      lower === 'delta.minwriterversion' ||
      lower.startsWith('delta.feature.')
    )
      throw new UnsupportedFeatureError(table, version, key, 'this writer does not upgrade a table protocol');
    const check = DELTA_PROPERTIES[key];
    if (!check) {
      throw new DeltaError(
        'DELTA_UNKNOWN_TABLE_PROPERTY',
        table,
        version,
        `unknown table property ${given}: Delta defines no such property (keys outside delta.* are free)`,
      );
    }
    const checked = check(value);
    if ('problem' in checked) {
      const feature = FEATURE_SWITCHES[key];
      if (feature?.on.includes(value.trim().toLowerCase()))
        throw new UnsupportedFeatureError(
          table,
          version,
          feature.feature,
          `${key} = '${value}' needs it; this writer does not write it`,
        );
      throw new DeltaError(
        'DELTA_INVALID_TABLE_PROPERTY',
        table,
        version,
        `table property ${key} = '${value}': ${checked.problem}`,
      );
    }
    out[key] = checked.value;
  }
  return out;
}

/**
 * `protocol` as a table with `configuration` needs it: `delta.appendOnly=true` is writer version
 * 2's, or a listed writer feature from version 7. The same object when nothing is missing (the
 * one table feature this writer writes that a property turns on).
 */
export function protocolForProperties(
  protocol: ProtocolAction,
  configuration: Readonly<Record<string, string>>,
): ProtocolAction {
  if (configuration['delta.appendOnly'] !== 'true') return protocol;
  if (protocol.minWriterVersion < 2) return { ...protocol, minWriterVersion: 2 };
  const features = protocol.writerFeatures ?? [];
  if (protocol.minWriterVersion === 7 && !features.includes('appendOnly'))
    return { ...protocol, writerFeatures: [...features, 'appendOnly'] };
  return protocol;
}
