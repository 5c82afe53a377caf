// The KPI widget's tile levels: which of ok / warn / critical a value is against its threshold.
import { describe, expect, it } from 'vitest';
import { kpiLevelOf } from '../../../extension/src/kpiLevel.js';

describe('kpiLevelOf', () => {
  it('is ok without a value or without a threshold', () => {
    expect(kpiLevelOf(null, { warn: 1, critical: 2 })).toBe('ok');
    expect(kpiLevelOf(5, undefined)).toBe('ok');
    expect(kpiLevelOf(5, {})).toBe('ok');
    expect(kpiLevelOf(Number.NaN, { warn: 1 })).toBe('ok');
  });

  it('goes up from ok to warn to critical as a value rises past its limits (above, the default)', () => {
    const threshold = { warn: 100, critical: 500 };
    expect(kpiLevelOf(50, threshold)).toBe('ok');
    expect(kpiLevelOf(100, threshold)).toBe('ok');
    expect(kpiLevelOf(101, threshold)).toBe('warn');
    expect(kpiLevelOf(500, threshold)).toBe('warn');
    expect(kpiLevelOf(501, threshold)).toBe('critical');
    expect(kpiLevelOf(501, { ...threshold, direction: 'above' })).toBe('critical');
  });

  it('goes up as a value falls below its limits (direction below)', () => {
    const threshold = { warn: 0.2, critical: 0.05, direction: 'below' as const };
    expect(kpiLevelOf(0.3, threshold)).toBe('ok');
    expect(kpiLevelOf(0.2, threshold)).toBe('ok');
    expect(kpiLevelOf(0.1, threshold)).toBe('warn');
    expect(kpiLevelOf(0.05, threshold)).toBe('warn');
    expect(kpiLevelOf(0.01, threshold)).toBe('critical');
    expect(kpiLevelOf(0, threshold)).toBe('critical');
  });

  it('uses whichever limits are given', () => {
    expect(kpiLevelOf(10, { critical: 5 })).toBe('critical');
    expect(kpiLevelOf(10, { warn: 5 })).toBe('warn');
    expect(kpiLevelOf(1, { critical: 5, direction: 'below' })).toBe('critical');
    expect(kpiLevelOf(10, { warn: 5, critical: Number.NaN })).toBe('warn');
  });
});
