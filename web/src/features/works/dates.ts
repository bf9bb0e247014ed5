/**
 * Calendar days as 'YYYY-MM-DD' strings (the API's dates): checking, day arithmetic in UTC (no
 * time zone or daylight saving surprises) and a short Dutch/English display form. Pure.
 */
import type { Language } from '../../i18n/index.ts';

/** A closed range of days, from and to inclusive. */
export interface DayWindow {
  readonly from: string;
  readonly to: string;
}

const DAY_MS = 86_400_000;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})/;

/**
 * The day of a date as the API may send it ('2026-03-01', or a timestamp starting with the day);
 * null when absent or not a real date.
 */
export function toDay(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const m = ISO_DAY.exec(value);
  if (!m) return null;
  const day = `${m[1]}-${m[2]}-${m[3]}`;
  const d = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === day ? day : null;
}

/** Milliseconds since the epoch of the day's midnight in UTC. */
export function dayTime(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

/** Whole days from `a` to `b` (negative when b lies before a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((dayTime(b) - dayTime(a)) / DAY_MS);
}

export function addDays(day: string, days: number): string {
  return new Date(dayTime(day) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Do two closed day ranges share at least one day? */
export function overlaps(a: DayWindow, b: DayWindow): boolean {
  return a.from <= b.to && b.from <= a.to;
}

const locale = (lang: Language): string => (lang === 'nl' ? 'nl-NL' : 'en-GB');

/**
 * One formatter per language and form, made on first use: creating an Intl.DateTimeFormat costs far
 * more than formatting with it, and the works timeline formats four days per work on every render.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(lang: Language, form: 'day' | 'month'): Intl.DateTimeFormat {
  const key = `${lang}:${form}`;
  let f = formatters.get(key);
  if (!f) {
    const options: Intl.DateTimeFormatOptions = form === 'day' ? { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' } : { month: 'short', timeZone: 'UTC' };
    f = new Intl.DateTimeFormat(locale(lang), options);
    formatters.set(key, f);
  }
  return f;
}

/** '2026-03-12' → '12 mrt 2026' (nl) / '12 Mar 2026' (en). */
export function formatDay(lang: Language, day: string): string {
  return formatter(lang, 'day').format(dayTime(day));
}

/** Short month name: 'mrt' / 'Mar'. */
export function formatMonth(lang: Language, day: string): string {
  return formatter(lang, 'month').format(dayTime(day)).replace(/\.$/, '');
}
