/** How dates and audit entries are written in the administration panel. Pure. */
import type { AuditEntry, AuditResult } from '../../api/admin-types.ts';
import type { Language, MessageKey } from '../../i18n/index.ts';

const locale = (lang: Language): string => (lang === 'nl' ? 'nl-NL' : 'en-GB');

/** A moment (ISO 8601) as date and time; `timeZone` for tests, else the browser's. Unreadable: as it is. */
export function formatDateTime(lang: Language, iso: string, timeZone?: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const options: Intl.DateTimeFormatOptions = { dateStyle: 'short', timeStyle: 'medium' };
  if (timeZone !== undefined) options.timeZone = timeZone;
  return new Intl.DateTimeFormat(locale(lang), options).format(at);
}

/** A moment as its day only ("1 mrt 2026"). */
export function formatDay(lang: Language, iso: string, timeZone?: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const options: Intl.DateTimeFormatOptions = { dateStyle: 'medium' };
  if (timeZone !== undefined) options.timeZone = timeZone;
  return new Intl.DateTimeFormat(locale(lang), options).format(at);
}

/** A calendar day (YYYY-MM-DD) without shifting it through a time zone. */
export function formatCalendarDay(lang: Language, ymd: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(ymd) ? formatDay(lang, `${ymd}T00:00:00Z`, 'UTC') : ymd;
}

/** "dataset 12", "user", or null when the entry is about no object. */
export function auditObject(entry: Pick<AuditEntry, 'objectType' | 'objectId'>): string | null {
  const id = entry.objectId === null ? '' : String(entry.objectId);
  const parts = [entry.objectType ?? '', id].filter((part) => part !== '');
  return parts.length > 0 ? parts.join(' ') : null;
}

/** The entry's detail as compact JSON, for a tooltip; null when there is none. */
export function auditDetail(entry: Pick<AuditEntry, 'detail'>): string | null {
  const { detail } = entry;
  if (detail === null || detail === undefined) return null;
  if (typeof detail === 'object' && Object.keys(detail).length === 0) return null;
  return typeof detail === 'string' ? detail : JSON.stringify(detail);
}

export const AUDIT_RESULT_KEYS: Readonly<Record<AuditResult, MessageKey>> = {
  ok: 'auditResultOk',
  denied: 'auditResultDenied',
  failed: 'auditResultFailed',
};
