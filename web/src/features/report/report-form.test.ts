/** The area report dialog's pure parts (report-form.ts). */
import { describe, expect, it } from 'vitest';
import { VIEW_AREA, checkForm, defaultHorizon, percent, requestBody } from './report-form.ts';

const view: [number, number, number, number] = [5.8812345678, 51.15, 5.91, 51.17];

describe('the report form', () => {
  it('defaults to today .. five years on', () => {
    expect(defaultHorizon(new Date('2026-11-29T10:00:00Z'))).toEqual({ from: '2026-11-29', to: '2031-11-29' });
    expect(defaultHorizon(new Date('2028-02-29T10:00:00Z'))).toEqual({ from: '2028-02-29', to: '2033-02-28' });
  });

  it('says what is wrong', () => {
    const ok = { area: 'GM1641', from: '2026-11-29', to: '2031-11-29' };
    expect(checkForm(ok, null)).toBeNull();
    expect(checkForm({ ...ok, area: '' }, null)).toBe('area');
    expect(checkForm({ ...ok, area: VIEW_AREA }, null)).toBe('area');
    expect(checkForm({ ...ok, area: VIEW_AREA }, view)).toBeNull();
    expect(checkForm({ ...ok, from: '2026-13-40' }, null)).toBe('from');
    expect(checkForm({ ...ok, to: '' }, null)).toBe('to');
    expect(checkForm({ ...ok, to: '2025-01-01' }, null)).toBe('order');
  });

  it('sends a municipality or the rounded map view', () => {
    expect(requestBody({ area: 'GM1641', from: '2026-11-29', to: '2031-11-29' }, view)).toEqual({ area: { municipality: 'GM1641' }, from: '2026-11-29', to: '2031-11-29' });
    expect(requestBody({ area: VIEW_AREA, from: '2026-11-29', to: '2031-11-29' }, view).area).toEqual({ bbox: [5.881235, 51.15, 5.91, 51.17] });
  });

  it('shows progress as a whole percentage', () => {
    expect(percent(0.655)).toBe(66);
    expect(percent(2)).toBe(100);
    expect(percent(Number.NaN)).toBe(0);
  });
});
