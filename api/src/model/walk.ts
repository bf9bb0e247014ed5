/**
 * Wijkschouw (issue 7): a walk an area manager organises, and the hotspots (kansen en knelpunten)
 * that participants post from their phones. Pure (zod only): the web client validates with the
 * same schemas.
 */
import { z } from 'zod';
import { SYSTEMS } from './systems.ts';

/** The sustainability themes of the Omgevingswijzer / Ambitieweb, next to the vital systems. */
export const SUSTAINABILITY_THEMES = [
  'energie', 'water en klimaatadaptatie', 'bodem', 'ecologie', 'ruimtegebruik', 'bereikbaarheid', 'welzijn', 'ruimtelijke kwaliteit', 'veiligheid',
] as const;

/** A walk's themes when the facilitator names none: the vital systems (Dutch labels) and the sustainability themes. */
export const DEFAULT_WALK_THEMES: readonly string[] = [
  ...SYSTEMS.filter((s) => s.code !== 'overig').map((s) => s.labelNl.toLowerCase()), ...SUSTAINABILITY_THEMES,
];

export const HOTSPOT_KINDS = ['kans', 'knelpunt'] as const;
export const HOTSPOT_STATUSES = ['new', 'published', 'hidden'] as const;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD').refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'not a date');
const position = z.tuple([z.number().finite(), z.number().finite()]).rest(z.number().finite());
const WalkArea = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(position).min(4)).min(1) }),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(z.array(position).min(4)).min(1)).min(1) }),
]);
const WalkRoute = z.discriminatedUnion('type', [
  z.object({ type: z.literal('LineString'), coordinates: z.array(position).min(2) }),
  z.object({ type: z.literal('MultiLineString'), coordinates: z.array(z.array(position).min(2)).min(1) }),
]);

export const NewWalk = z.object({
  title: z.string().trim().min(3).max(200),
  date: isoDate,
  themes: z.array(z.string().trim().min(2).max(60)).min(1).max(40).optional(),
  area: WalkArea.nullable().optional(),
  route: WalkRoute.nullable().optional(),
  roundingM: z.number().int().min(0).max(1000).optional(),
  retentionMonths: z.number().int().min(1).max(120).optional(),
}).strict();
export type NewWalk = z.infer<typeof NewWalk>;

export const WalkChange = z.object({
  title: z.string().trim().min(3).max(200),
  status: z.enum(['open', 'closed']),
  roundingM: z.number().int().min(0).max(1000),
  retentionMonths: z.number().int().min(1).max(120),
}).partial().strict();
export type WalkChange = z.infer<typeof WalkChange>;

export const JoinWalk = z.object({
  code: z.string().trim().toUpperCase().regex(/^[A-Z2-9]{6}$/, 'a walk code is 6 letters and digits, e.g. K7M2QX'),
  name: z.string().trim().max(80).optional(),
}).strict();

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i, 'a UUID made on the device (crypto.randomUUID())');

export const NewHotspot = z.object({
  id: uuid,
  kind: z.enum(HOTSPOT_KINDS),
  theme: z.string().trim().min(2).max(60),
  note: z.string().max(2000).default(''),
  lon: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
  accuracy: z.number().min(0).max(100_000).nullable().optional(),
  observedAt: z.string().datetime({ offset: true }),
}).strict();
export type NewHotspot = z.infer<typeof NewHotspot>;

export const HotspotChange = z.object({
  status: z.enum(HOTSPOT_STATUSES),
  cluster: z.string().trim().max(80).nullable(),
}).partial().strict();
export type HotspotChange = z.infer<typeof HotspotChange>;

/** Letters and digits that cannot be mistaken for one another when read aloud or off a screen. */
export const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A walk's short join code from random bytes (6 characters of CODE_ALPHABET). */
export function walkCode(random: Uint8Array): string {
  if (random.length < 6) throw new Error('walkCode needs 6 random bytes');
  return Array.from(random.slice(0, 6), (b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');
}
