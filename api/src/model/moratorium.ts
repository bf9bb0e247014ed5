/**
 * A dig moratorium (graafrust) as the API speaks it (issue 5): a street or area that may not be
 * opened from `from` until `until`, with the reason and the exceptions that are still allowed.
 * Pure (zod only): the web client validates with the same schema.
 */
import { z } from 'zod';
import { WORK_KINDS, WorkGeometry } from './work.ts';

/** What may still open the ground under a moratorium: emergencies, new connections, or named kinds of work. */
export const MORATORIUM_EXCEPTIONS = ['spoed', 'nieuwe aansluiting', ...WORK_KINDS] as const;
export type MoratoriumException = (typeof MORATORIUM_EXCEPTIONS)[number];

/** Kinds of work whose completion starts a moratorium on their footprint. */
export const MORATORIUM_TRIGGER_KINDS: readonly string[] = ['reconstructie weg', 'herinrichting'];
/** Default term of a generated moratorium, in years (app_setting `moratorium_years` overrides it). */
export const DEFAULT_MORATORIUM_YEARS = 5;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD').refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'not a date');

const fields = {
  from: isoDate,
  until: isoDate,
  reason: z.string().trim().min(3).max(500),
  exceptions: z.array(z.enum(MORATORIUM_EXCEPTIONS)).max(20),
  geometry: WorkGeometry,
};

function ordered(m: { from?: string | undefined; until?: string | undefined }, ctx: z.RefinementCtx): void {
  if (m.from !== undefined && m.until !== undefined && m.until < m.from) {
    ctx.addIssue({ code: 'custom', path: ['until'], message: `until (${m.until}) lies before from (${m.from})` });
  }
}

/** The default exceptions apply to a new moratorium only, never to a change that does not name them. */
const newFields = { ...fields, exceptions: fields.exceptions.default(['spoed', 'nieuwe aansluiting']) };
export const NewMoratorium = z.object(newFields).strict().superRefine(ordered);
export type NewMoratorium = z.infer<typeof NewMoratorium>;
export const MoratoriumChange = z.object(fields).partial().strict().superRefine(ordered);
export type MoratoriumChange = z.infer<typeof MoratoriumChange>;

/** The end of a generated moratorium: `years` after the day the work was finished. */
export function moratoriumUntil(finished: string, years: number): string {
  const d = new Date(`${finished}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d.toISOString().slice(0, 10);
}
