/** Dates, times and labels of the wijkschouw in the language's words (issue 7). Pure. */
import type { Language, Translate } from '../../i18n/index.ts';

const locale = (language: Language): string => (language === 'nl' ? 'nl-NL' : 'en-GB');

/** A walk's date (YYYY-MM-DD) in words: "za 5 december 2026". */
export function formatWalkDate(language: Language, date: string): string {
  const d = new Date(`${date}T12:00:00`);
  return Number.isNaN(d.getTime()) ? date : d.toLocaleDateString(locale(language), { weekday: 'short', day: 'numeric', month: 'long', year: 'numeric' });
}

/** When a hotspot came in: the time today, else day, month and time. */
export function formatReceived(language: Language, iso: string, now = new Date()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const sameDay = d.toDateString() === now.toDateString();
  return d.toLocaleString(locale(language), sameDay ? { hour: '2-digit', minute: '2-digit' } : { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

/** A number with the language's decimal sign. */
export function formatDecimal(language: Language, value: number, digits: number): string {
  return new Intl.NumberFormat(locale(language), { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}

export const walkStatusText = (t: Translate, status: 'open' | 'closed'): string => t(status === 'open' ? 'walkStatusOpen' : 'walkStatusClosed');
