import { describe, expect, it } from 'vitest';
import { foldLine, icsText, worksCalendar } from './ics.ts';

describe('iCalendar of works', () => {
  const work = { id: 7, title: 'Riool, Julianalaan; fase 1', kind: 'vervanging riool', owner: 'maasgouw', status: 'gepland', preferredStart: '2027-03-01', preferredEnd: '2027-03-31' };

  it('writes one all-day event per preferred window, DTEND the day after the last day', () => {
    const ics = worksCalendar([work, { ...work, id: 8, preferredStart: '2027-12-31', preferredEnd: '2027-12-31' }], 'samenhang.test', new Date('2026-11-28T10:00:00Z'));
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(2);
    expect(ics).toContain('DTSTART;VALUE=DATE:20270301\r\nDTEND;VALUE=DATE:20270401\r\n');
    expect(ics).toContain('DTSTART;VALUE=DATE:20271231\r\nDTEND;VALUE=DATE:20280101\r\n');
    expect(ics).toContain('UID:work-7@samenhang.test');
    expect(ics).toContain('DTSTAMP:20261128T100000Z');
    expect(ics).toContain('SUMMARY:Riool\\, Julianalaan\\; fase 1');
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(ics.split('\r\n').every((l) => Buffer.byteLength(l) <= 75)).toBe(true);
  });

  it('escapes text and folds long lines without splitting a character', () => {
    expect(icsText('a\\b;c,d\ne')).toBe('a\\\\b\\;c\\,d\\ne');
    const long = `SUMMARY:${'ë'.repeat(60)}`;
    const folded = foldLine(long);
    const lines = folded.split('\r\n');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.every((l) => Buffer.byteLength(l) <= 75)).toBe(true);
    expect(lines.map((l, i) => (i === 0 ? l : l.slice(1))).join('')).toBe(long);
  });

  it('marks a cancelled work as cancelled', () => {
    expect(worksCalendar([{ ...work, status: 'vervallen' }], 'h')).toContain('STATUS:CANCELLED');
  });
});
