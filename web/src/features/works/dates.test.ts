import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, formatDay, formatMonth, overlaps, toDay } from './dates.ts';

describe('toDay', () => {
  it('accepts a day or a timestamp starting with one', () => {
    expect(toDay('2026-03-01')).toBe('2026-03-01');
    expect(toDay('2026-03-01T00:00:00.000Z')).toBe('2026-03-01');
  });

  it('rejects absent values, other types and days that do not exist', () => {
    expect(toDay(null)).toBeNull();
    expect(toDay(undefined)).toBeNull();
    expect(toDay(20260301)).toBeNull();
    expect(toDay('1-3-2026')).toBeNull();
    expect(toDay('2026-02-30')).toBeNull();
    expect(toDay('2026-13-01')).toBeNull();
  });
});

describe('day arithmetic', () => {
  it('counts whole days across a daylight-saving change and leap days', () => {
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2);
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2);
    expect(daysBetween('2026-01-10', '2026-01-01')).toBe(-9);
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('overlaps closed ranges sharing one day or more', () => {
    expect(overlaps({ from: '2026-01-01', to: '2026-01-31' }, { from: '2026-01-31', to: '2026-02-10' })).toBe(true);
    expect(overlaps({ from: '2026-01-01', to: '2026-01-30' }, { from: '2026-01-31', to: '2026-02-10' })).toBe(false);
    expect(overlaps({ from: '2026-01-01', to: '2026-12-31' }, { from: '2026-05-01', to: '2026-05-01' })).toBe(true);
  });
});

describe('formatting', () => {
  it('writes days the Dutch and the English way', () => {
    expect(formatDay('nl', '2026-03-12')).toBe('12 mrt 2026');
    expect(formatDay('en', '2026-03-12')).toBe('12 Mar 2026');
    expect(formatMonth('nl', '2026-10-01')).toBe('okt');
    expect(formatMonth('en', '2026-10-01')).toBe('Oct');
  });
});
