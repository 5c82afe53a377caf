import { describe, expect, it } from 'vitest';
import {
  deletedFileRetentionHours,
  intervalHours,
  logRetentionHours,
} from '../../../kernel-helpers/src/delta/retention.js';
import {
  checkedTableProperties,
  protocolForProperties,
} from '../../../kernel-helpers/src/delta/tableProperties.js';
import { DeltaError, UnsupportedFeatureError } from '../../../kernel-helpers/src/errors.js';

const check = (properties: Record<string, string>) => checkedTableProperties('t', 3, properties);

function refusal(properties: Record<string, string>): DeltaError {
  try {
    check(properties);
  } catch (error) {
    expect(error).toBeInstanceOf(DeltaError);
    return error as DeltaError;
  }
  throw new Error(`accepted ${JSON.stringify(properties)}`);
}

describe('Delta interval strings', () => {
  it('read as Delta reads them: optional prefix, any case, several parts, plural or not', () => {
    expect(intervalHours('interval 7 days')).toBe(168);
    expect(intervalHours('INTERVAL 1 Day')).toBe(24);
    expect(intervalHours('36 hours')).toBe(36);
    expect(intervalHours('interval 1 day 12 hours')).toBe(36);
    expect(intervalHours('interval 2 weeks')).toBe(336);
    expect(intervalHours('interval 90 minutes')).toBe(1.5);
    expect(intervalHours('interval 7200 seconds')).toBe(2);
    expect(intervalHours('interval 3600000 milliseconds')).toBe(1);
  });

  it('are not months, years, bare numbers or words', () => {
    for (const bad of [
      'interval 1 month',
      'interval 1 year',
      '7',
      'seven days',
      'interval',
      '',
      'interval -1 day',
    ])
      expect(intervalHours(bad), bad).toBeUndefined();
  });

  it('fall back to Delta defaults when a table has none or an unreadable one', () => {
    expect(deletedFileRetentionHours({})).toBe(168);
    expect(logRetentionHours({})).toBe(720);
    expect(logRetentionHours({ 'delta.logRetentionDuration': '1 day 6 hours' })).toBe(30);
    expect(deletedFileRetentionHours({ 'delta.deletedFileRetentionDuration': 'interval 1 month' })).toBe(168);
  });
});

describe('table property checks', () => {
  it("store Delta's keys and enumerations as Delta spells them", () => {
    expect(
      check({
        'DELTA.APPENDONLY': 'TRUE',
        'delta.logretentionduration': 'interval 2 days',
        'delta.isolationLevel': 'writeserializable',
        'delta.checkpointInterval': ' 20 ',
        'delta.enableDeletionVectors': 'False',
      }),
    ).toEqual({
      'delta.appendOnly': 'true',
      'delta.logRetentionDuration': 'interval 2 days',
      'delta.isolationLevel': 'WriteSerializable',
      'delta.checkpointInterval': '20',
      'delta.enableDeletionVectors': 'false',
    });
  });

  it('leave keys outside delta.* to their writers', () => {
    expect(check({ owner: 'data-eng', 'rtlakehouse.sortBy': 'ts', 'Delta_not.really': 'x' })).toEqual({
      owner: 'data-eng',
      'rtlakehouse.sortBy': 'ts',
      'Delta_not.really': 'x',
    });
  });

  it('refuse a delta.* key Delta does not define, naming it', () => {
    const e = refusal({ 'delta.logRetention': 'interval 1 day' });
    expect(e.code).toBe('DELTA_UNKNOWN_TABLE_PROPERTY');
    expect(e.message).toContain('delta.logRetention');
    expect(e.message).toContain('at version 3');
  });

  it('refuse a value not of its kind, saying what was expected', () => {
    const cases: [Record<string, string>, string][] = [
      [{ 'delta.logRetentionDuration': '30' }, "expected an interval such as 'interval 7 days'"],
      [{ 'delta.deletedFileRetentionDuration': 'interval 1 month' }, 'expected an interval'],
      [{ 'delta.appendOnly': 'yes' }, "expected 'true' or 'false'"],
      [{ 'delta.checkpointInterval': '0' }, 'expected a whole number of at least 1'],
      [{ 'delta.checkpointInterval': '2.5' }, 'expected a whole number of at least 1'],
      [{ 'delta.dataSkippingNumIndexedCols': '-2' }, 'expected a whole number of at least -1'],
      [{ 'delta.targetFileSize': 'big' }, 'expected a size'],
      [{ 'delta.isolationLevel': 'Snapshot' }, "expected 'Serializable' or 'WriteSerializable'"],
    ];
    for (const [properties, expected] of cases) {
      const e = refusal(properties);
      expect(e.code, JSON.stringify(properties)).toBe('DELTA_INVALID_TABLE_PROPERTY');
      expect(e.message).toContain(expected);
      expect(e.message).toContain(`'${Object.values(properties)[0]}'`);
    }
  });

  it('refuse turning on a feature this writer does not write, and protocol changes', () => {
    const cases: [Record<string, string>, string][] = [
      [{ 'delta.enableDeletionVectors': 'true' }, 'deletionVectors'],
      [{ 'delta.enableChangeDataFeed': 'true' }, 'changeDataFeed'],
      [{ 'delta.columnMapping.mode': 'name' }, 'columnMapping'],
      [{ 'delta.checkpointPolicy': 'v2' }, 'v2Checkpoint'],
      [{ 'delta.minWriterVersion': '7' }, 'delta.minWriterVersion'],
      [{ 'delta.feature.deletionVectors': 'supported' }, 'delta.feature.deletionVectors'],
    ];
    for (const [properties, feature] of cases) {
      const e = refusal(properties);
      expect(e, JSON.stringify(properties)).toBeInstanceOf(UnsupportedFeatureError);
      expect((e as UnsupportedFeatureError).feature).toBe(feature);
    }
    // A value that is neither off nor on is a bad value, not the feature.
    const garbage = refusal({ 'delta.enableDeletionVectors': 'maybe' });
    expect(garbage).not.toBeInstanceOf(UnsupportedFeatureError);
    expect(garbage.code).toBe('DELTA_INVALID_TABLE_PROPERTY');
    expect(garbage.message).toContain("expected 'false'");
    // Off is always fine.
    expect(check({ 'delta.columnMapping.mode': 'none', 'delta.checkpointPolicy': 'classic' })).toEqual({
      'delta.columnMapping.mode': 'none',
      'delta.checkpointPolicy': 'classic',
    });
  });
});

describe('the protocol a table with its properties needs', () => {
  it('has appendOnly: writer version 2, or the listed feature from version 7; the same object otherwise', () => {
    const on = { 'delta.appendOnly': 'true' };
    const v1 = { minReaderVersion: 1, minWriterVersion: 1 };
    expect(protocolForProperties(v1, on)).toEqual({ minReaderVersion: 1, minWriterVersion: 2 });
    const v2 = { minReaderVersion: 1, minWriterVersion: 2 };
    expect(protocolForProperties(v2, on)).toBe(v2);
    const v7 = {
      minReaderVersion: 3,
      minWriterVersion: 7,
      readerFeatures: ['timestampNtz'],
      writerFeatures: ['timestampNtz'],
    };
    expect(protocolForProperties(v7, on)).toEqual({ ...v7, writerFeatures: ['timestampNtz', 'appendOnly'] });
    const listed = { ...v7, writerFeatures: ['timestampNtz', 'appendOnly'] };
    expect(protocolForProperties(listed, on)).toBe(listed);
    expect(protocolForProperties(v1, { 'delta.appendOnly': 'false' })).toBe(v1);
  });
});
