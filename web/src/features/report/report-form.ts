/**
 * The area report dialog's pure parts (issue 8): the default horizon (today .. five years on), the
 * request body for the area chosen (a municipality or the current map view), the check before
 * sending, and the progress as a whole percentage.
 */

export type Bbox = [number, number, number, number];

/** The area: a municipality by its CBS code, or the map view ('view'). */
export interface ReportForm { area: string; from: string; to: string }

export const VIEW_AREA = 'view';

const iso = (d: Date): string => d.toISOString().slice(0, 10);

/** Today .. today + 5 years (29 February becomes 28 February). */
export function defaultHorizon(now: Date): { from: string; to: string } {
  const from = iso(now);
  const to = `${now.getUTCFullYear() + 5}${from.slice(4)}`.replace(/-02-29$/, '-02-28');
  return { from, to };
}

export type FormProblem = 'area' | 'from' | 'to' | 'order' | null;

const isDate = (v: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`));

/** What is wrong with the form, or null. The map view needs a bbox. */
export function checkForm(form: ReportForm, view: Bbox | null): FormProblem {
  if (form.area === '' || (form.area === VIEW_AREA && view === null)) return 'area';
  if (!isDate(form.from)) return 'from';
  if (!isDate(form.to)) return 'to';
  if (form.to < form.from) return 'order';
  return null;
}

/** The body of POST /api/reports. */
export function requestBody(form: ReportForm, view: Bbox | null): { area: { municipality: string } | { bbox: Bbox }; from: string; to: string } {
  const round = (v: number) => Math.round(v * 1e6) / 1e6;
  const area = form.area === VIEW_AREA && view ? { bbox: view.map(round) as Bbox } : { municipality: form.area };
  return { area, from: form.from, to: form.to };
}

/** 0..1 as a whole percentage, clamped. */
export const percent = (progress: number): number => Math.round(Math.min(Math.max(Number.isFinite(progress) ? progress : 0, 0), 1) * 100);
