// The Schedules panel's line for the Delta versions a run's notebook read.
import { describe, expect, it } from 'vitest';
import { tableReadsText } from '../../../extension/src/schedules/tableReadsText.js';

describe('tableReadsText', () => {
  it('lists each table with its version, by name', () => {
    expect(tableReadsText({ silver_events: 12, gold_kpis: 3 })).toBe('read gold_kpis v3, silver_events v12');
    expect(tableReadsText({ orders: 0 })).toBe('read orders v0');
  });

  it('is empty for a run that read nothing (or an older record without the field)', () => {
    expect(tableReadsText({})).toBe('');
    expect(tableReadsText(undefined)).toBe('');
  });

  it('leaves out what is not a version', () => {
    expect(tableReadsText({ orders: -1, customers: 1.5, events: 7 })).toBe('read events v7');
  });
});
