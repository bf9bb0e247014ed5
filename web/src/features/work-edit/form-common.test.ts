import { describe, expect, it } from 'vitest';
import { changedFields, parseDecimal, sameValue, serverFieldError } from './form-common.ts';

describe('form helpers', () => {
  it('parses decimals in both notations', () => {
    expect(parseDecimal('1,5')).toBe(1.5);
    expect(parseDecimal(' 2.25 ')).toBe(2.25);
    expect(parseDecimal('')).toBeNull();
    expect(parseDecimal('1.000,50')).toBeNaN();
    expect(parseDecimal('abc')).toBeNaN();
  });

  it('finds the field a server message names', () => {
    const fields = ['preferredEnd', 'geometry', 'owner'] as const;
    expect(serverFieldError('preferredEnd: use YYYY-MM-DD', fields)?.field).toBe('preferredEnd');
    expect(serverFieldError('preferredEnd (2026-04-01) lies before preferredStart (2026-05-01); …', fields)?.field).toBe('preferredEnd');
    expect(serverFieldError('geometry.coordinates: Too small', fields)?.field).toBe('geometry');
    expect(serverFieldError('geometry: empty', fields)?.error).toEqual({ key: 'editErrorServer', vars: { message: 'geometry: empty' } });
    expect(serverFieldError('nothing to change', fields)).toBeNull();
    expect(serverFieldError('title: too short', fields)).toBeNull();
  });

  it('compares values: null and absent alike, numbers at 7 decimals, objects by content', () => {
    expect(sameValue(null, undefined)).toBe(true);
    expect(sameValue([5.12345671, 52], [5.123456712, 52])).toBe(true);
    expect(sameValue({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 })).toBe(true);
    expect(sameValue(['a', 'b'], ['b', 'a'])).toBe(false);
    expect(changedFields(['a', 'b'] as const, { a: 1, b: null }, { a: 2, b: undefined })).toEqual(['a']);
  });
});
