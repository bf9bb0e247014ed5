/**
 * iCalendar (RFC 5545) for planned works: one all-day event per preferred window, so a
 * coordinator sees every owner's works in the agenda they already use. Pure.
 */

export interface IcsWork {
  id: number;
  title: string;
  kind: string | null;
  owner: string | null;
  status: string | null;
  preferredStart: string;
  /** inclusive last day; DTEND is the day after (all-day events end exclusively) */
  preferredEnd: string;
  place?: string | null;
  url?: string | null;
}

/** TEXT value escaping (RFC 5545 3.3.11): backslash, semicolon, comma and line breaks. */
export function icsText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** Content lines longer than 75 octets are folded: CRLF + one space, never inside a UTF-8 sequence. */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    const limit = parts.length === 0 ? 75 : 74; // continuation lines start with the space
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += ch;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

const basicDate = (iso: string): string => iso.replaceAll('-', '');

function dayAfter(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

function stamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** A VCALENDAR with one VEVENT per work; `host` makes the UIDs globally unique. */
export function worksCalendar(works: readonly IcsWork[], host: string, now: Date = new Date()): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Samenhang//Werken//NL', 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH', 'X-WR-CALNAME:Samenhang – geplande werken'];
  for (const w of works) {
    const description = [w.kind, w.owner && `eigenaar: ${w.owner}`, w.status && `status: ${w.status}`].filter(Boolean).join('\n');
    lines.push(
      'BEGIN:VEVENT',
      `UID:work-${w.id}@${host}`,
      `DTSTAMP:${stamp(now)}`,
      `DTSTART;VALUE=DATE:${basicDate(w.preferredStart)}`,
      `DTEND;VALUE=DATE:${basicDate(dayAfter(w.preferredEnd))}`,
      `SUMMARY:${icsText(w.title)}`,
      ...(description ? [`DESCRIPTION:${icsText(description)}`] : []),
      ...(w.place ? [`LOCATION:${icsText(w.place)}`] : []),
      ...(w.kind ? [`CATEGORIES:${icsText(w.kind)}`] : []),
      ...(w.status === 'vervallen' ? ['STATUS:CANCELLED'] : []),
      ...(w.url ? [`URL:${w.url}`] : []),
      'TRANSP:TRANSPARENT',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
