/**
 * A planned work as the API and the work import speak it (issue 5): one set of property names.
 * Pure (zod only): the web client validates with the same schema.
 */
import { z } from 'zod';
import { SYSTEM_CODES } from './systems.ts';

export const WORK_KINDS = [
  'vervanging riool', 'relining', 'reconstructie weg', 'herinrichting', 'vergroening/klimaatadaptatie', 'netverzwaring',
  'kabelvervanging', 'nieuwe warmteleiding', 'vervanging waterleiding', 'glasvezel', 'onderhoud', 'overig',
] as const;
export const WORK_STATUSES = ['idee', 'gepland', 'in voorbereiding', 'in uitvoering', 'gereed', 'vervallen'] as const;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD').refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'not a date');
const position = z.tuple([z.number().finite(), z.number().finite()]).rest(z.number().finite());
const line = z.array(position).min(2);
const ring = z.array(position).min(4);
export const WorkGeometry = z.discriminatedUnion('type', [
  z.object({ type: z.literal('LineString'), coordinates: line }),
  z.object({ type: z.literal('MultiLineString'), coordinates: z.array(line).min(1) }),
  z.object({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1) }),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(ring).min(1)).min(1) }),
]);

const fields = {
  title: z.string().trim().min(3).max(200),
  owner: z.string().min(2).max(63).optional(),
  kind: z.enum(WORK_KINDS),
  systems: z.array(z.enum(SYSTEM_CODES)).max(20),
  status: z.enum(WORK_STATUSES),
  opensGround: z.boolean(),
  trenchWidth: z.number().positive().max(100).nullable().optional(),
  earliestStart: isoDate.nullable().optional(),
  preferredStart: isoDate,
  preferredEnd: isoDate,
  latestEnd: isoDate.nullable().optional(),
  costEstimate: z.number().nonnegative().max(1e12).nullable().optional(),
  contact: z.string().max(300).nullable().optional(),
  confidentiality: z.enum(['C0', 'C1', 'C2', 'C3']),
  geometry: WorkGeometry,
};
/** Defaults apply to a new work only: a change must never fill in fields it does not name. */
const newFields = {
  ...fields,
  systems: fields.systems.default([]),
  status: fields.status.default('gepland'),
  opensGround: fields.opensGround.default(true),
  confidentiality: fields.confidentiality.default('C1'),
};

/** The windows nest: earliest ≤ preferred start ≤ preferred end ≤ latest. */
function windowsNest(w: { earliestStart?: string | null | undefined; preferredStart?: string | undefined; preferredEnd?: string | undefined; latestEnd?: string | null | undefined }, ctx: z.RefinementCtx): void {
  const order: [string, string | null | undefined][] = [['earliestStart', w.earliestStart], ['preferredStart', w.preferredStart], ['preferredEnd', w.preferredEnd], ['latestEnd', w.latestEnd]];
  const given = order.filter((o): o is [string, string] => typeof o[1] === 'string');
  for (let i = 1; i < given.length; i++) {
    const [a, av] = given[i - 1] ?? ['', ''];
    const [b, bv] = given[i] ?? ['', ''];
    if (av > bv) ctx.addIssue({ code: 'custom', path: [b], message: `${b} (${bv}) lies before ${a} (${av}); the windows must nest: earliestStart ≤ preferredStart ≤ preferredEnd ≤ latestEnd` });
  }
}

export const NewWork = z.object(newFields).strict().superRefine(windowsNest);
export type NewWork = z.infer<typeof NewWork>;
/** A change: any subset of the fields (the merged result must still nest; checked after merging). */
export const WorkChange = z.object(fields).partial().strict();
export type WorkChange = z.infer<typeof WorkChange>;
export const checkWindows = (w: Parameters<typeof windowsNest>[0]): string | null => {
  const issues: string[] = [];
  windowsNest(w, { addIssue: (i: { message?: string }) => issues.push(i.message ?? 'invalid') } as unknown as z.RefinementCtx);
  return issues[0] ?? null;
};
