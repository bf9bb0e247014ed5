import { describe, expect, it } from 'vitest';
import { auditDetail, auditObject, formatCalendarDay, formatDateTime, formatDay } from './admin-format.ts';

describe('dates', () => {
  it('writes a moment in the language, in the given time zone', () => {
    // The separator between date and time differs between ICU versions.
    expect(formatDateTime('nl', '2026-03-01T10:05:09Z', 'Europe/Amsterdam')).toMatch(/^01-03-2026,? 11:05:09$/);
    expect(formatDateTime('en', '2026-03-01T10:05:09Z', 'Europe/Amsterdam')).toMatch(/^01\/03\/2026,? 11:05:09$/);
    expect(formatDay('nl', '2026-07-01T23:30:00Z', 'Europe/Amsterdam')).toBe('2 jul 2026');
  });

  it('keeps a calendar day on its day, and unreadable text as it is', () => {
    expect(formatCalendarDay('en', '2026-12-31')).toBe('31 Dec 2026');
    expect(formatCalendarDay('nl', 'morgen')).toBe('morgen');
    expect(formatDateTime('nl', 'gisteren')).toBe('gisteren');
  });
});

describe('audit entries', () => {
  it('name their object by type and id', () => {
    expect(auditObject({ objectType: 'dataset', objectId: '12' })).toBe('dataset 12');
    expect(auditObject({ objectType: 'user', objectId: 5 })).toBe('user 5');
    expect(auditObject({ objectType: 'session', objectId: null })).toBe('session');
    expect(auditObject({ objectType: null, objectId: null })).toBeNull();
  });

  it('show a detail only when there is one', () => {
    expect(auditDetail({ detail: { confidentiality: 'C2' } })).toBe('{"confidentiality":"C2"}');
    expect(auditDetail({ detail: {} })).toBeNull();
    expect(auditDetail({ detail: null })).toBeNull();
    expect(auditDetail({ detail: undefined })).toBeNull();
  });
});
