/**
 * The wijkschouw API (issue 7) for the facilitator in the web app: walks (with If-Match on the
 * walk's ETag), the hotspots and their live stream, moderation (If-Match "hotspot-<id>-v<n>"), a
 * hotspot's context and comments, the pairwise sessions of the atelier, and the export links. Answers are
 * checked with zod before use; errors become ApiError with the server's message.
 */
import { z } from 'zod';
import { ApiError, type ApiClient, type RawAnswer } from './client.ts';
import { isApiErrorBody } from './guards.ts';

const position = z.array(z.number());
const lineOrArea = z.union([
  z.object({ type: z.literal('LineString'), coordinates: z.array(position) }),
  z.object({ type: z.literal('MultiLineString'), coordinates: z.array(z.array(position)) }),
  z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(position)) }),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(z.array(position))) }),
]);
export type WalkGeometry = z.infer<typeof lineOrArea>;

const walk = z.object({
  id: z.number(),
  title: z.string(),
  date: z.string(),
  themes: z.array(z.string()),
  status: z.enum(['open', 'closed']),
  code: z.string(),
  version: z.number(),
  closedAt: z.string().nullable().optional(),
  route: lineOrArea.nullable().optional(),
  area: lineOrArea.nullable().optional(),
  hotspots: z.number().optional(),
  roundingM: z.number().optional(),
  retentionMonths: z.number().optional(),
});
export type Walk = z.infer<typeof walk>;

const hotspotProps = z.object({
  id: z.string(),
  kind: z.enum(['kans', 'knelpunt']),
  theme: z.string(),
  note: z.string(),
  status: z.enum(['new', 'published', 'hidden']),
  hasPhoto: z.boolean(),
  receivedAt: z.string(),
  observedAt: z.string().nullable().optional(),
  cluster: z.string().nullable().optional(),
  version: z.number(),
  seq: z.union([z.number(), z.string()]).transform(Number),
  authorName: z.string().nullable().optional(),
  accuracy: z.number().nullable().optional(),
});
const hotspot = z.object({
  type: z.literal('Feature'),
  geometry: z.object({ type: z.literal('Point'), coordinates: position }),
  properties: hotspotProps,
});
export type Hotspot = z.infer<typeof hotspot>;
export type HotspotStatus = Hotspot['properties']['status'];

const context = z.object({
  radius: z.object({ assets: z.number(), works: z.number() }),
  assets: z.array(z.object({
    id: z.number(), system: z.string(), assetClass: z.string().nullable().optional(), owner: z.string().nullable(),
    material: z.string().nullable().optional(), ageYears: z.number().nullable(), distanceM: z.number(),
  })),
  works: z.array(z.object({
    id: z.number(), title: z.string().nullable(), owner: z.string().nullable(), kind: z.string().nullable().optional(), status: z.string().nullable().optional(),
    preferredStart: z.string().nullable(), preferredEnd: z.string().nullable(), distanceM: z.number(),
  })),
  findings: z.array(z.object({
    id: z.string(), type: z.enum(['combine', 'clash', 'repeat_opening', 'moratorium', 'coupling']), works: z.array(z.number()),
  })),
});
export type HotspotContext = z.infer<typeof context>;

const pairItem = z.object({ id: z.string(), label: z.string() });
export type PairItem = z.infer<typeof pairItem>;
const rankedItem = z.object({
  id: z.string(), score: z.number(), logScore: z.number(), se: z.number().nullable(), low: z.number(), high: z.number(),
  wins: z.number(), losses: z.number(), ties: z.number(), comparisons: z.number(), rank: z.number(),
});
export type RankedItem = z.infer<typeof rankedItem>;
const sessionView = z.object({
  session: z.object({ id: z.number(), walkId: z.number(), title: z.string(), items: z.array(pairItem), status: z.enum(['open', 'closed']) }),
  ranking: z.object({ items: z.array(rankedItem), comparisons: z.number(), method: z.string().optional() }),
  next: z.tuple([pairItem, pairItem]).nullable(),
  choices: z.number(),
});
export type PairwiseView = z.infer<typeof sessionView>;

type Raw = Pick<ApiClient, 'requestRaw'>;

/** The ETag of a walk at a version (what GET /api/walks/:id sends). */
export const walkTag = (id: number, version: number): string => `"walk-${id}-v${version}"`;
/** The If-Match of a hotspot at the version shown. */
export const hotspotTag = (id: string, version: number): string => `"hotspot-${id}-v${version}"`;

/** Someone else changed the walk or hotspot since it was read (412): reload and try again. */
export class StaleError extends ApiError {
  /** The current state the server sent with the 412, when it did. */
  readonly current: unknown;
  constructor(message: string, current: unknown) {
    super(message, 412, 'stale');
    this.current = current;
  }
}

function errorOf(path: string, answer: RawAnswer): ApiError {
  if (answer.status === 412) {
    const current = typeof answer.body === 'object' && answer.body !== null ? (answer.body as { current?: unknown }).current : undefined;
    return new StaleError(isApiErrorBody(answer.body) ? answer.body.error.message : `${path}: changed meanwhile`, current ?? null);
  }
  if (isApiErrorBody(answer.body)) {
    const e = answer.body.error;
    return new ApiError(e.message, e.status ?? answer.status, e.code ?? 'http_error');
  }
  return new ApiError(`${path}: HTTP ${answer.status}`, answer.status, 'http_error');
}

function parsed<T>(path: string, schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body);
  if (!r.success) throw new ApiError(`${path}: unexpected answer (${r.error.issues[0]?.path.join('.') ?? ''})`, 200, 'bad_response');
  return r.data;
}

async function call<T>(api: Raw, path: string, schema: z.ZodType<T>, init: { method?: string; body?: unknown; ifMatch?: string; signal?: AbortSignal | undefined } = {}): Promise<{ data: T; etag: string | null }> {
  const answer = await api.requestRaw(path, {
    ...(init.method ? { method: init.method } : {}),
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    ...(init.ifMatch ? { headers: { 'If-Match': init.ifMatch } } : {}),
    ...(init.signal ? { signal: init.signal } : {}),
  });
  if (answer.status < 200 || answer.status > 299) throw errorOf(path, answer);
  return { data: parsed(path, schema, answer.body), etag: answer.headers.get('ETag') };
}

export interface WalkWithTag { walk: Walk; etag: string }
const withTag = ({ data, etag }: { data: Walk; etag: string | null }): WalkWithTag => ({ walk: data, etag: etag ?? walkTag(data.id, data.version) });

export interface NewWalkBody { title: string; date: string; themes: string[]; route?: WalkGeometry }

export const listWalks = async (api: Raw, signal?: AbortSignal): Promise<Walk[]> =>
  (await call(api, '/api/walks', z.object({ walks: z.array(walk) }), { signal })).data.walks;
export const getWalk = async (api: Raw, id: number, signal?: AbortSignal): Promise<WalkWithTag> =>
  withTag(await call(api, `/api/walks/${id}`, walk, { signal }));
export const createWalk = async (api: Raw, body: NewWalkBody): Promise<WalkWithTag> =>
  withTag(await call(api, '/api/walks', walk, { method: 'POST', body }));
/** What the facilitator may change of a walk: open/closed, the rounding of published places (m), the retention term (months). */
export type WalkChangeBody = { status: 'open' | 'closed' } | { roundingM: number; retentionMonths: number };
/** Change a walk; `etag` is the one of the GET. A StaleError when someone else changed it. */
export const patchWalk = async (api: Raw, id: number, change: WalkChangeBody, etag: string): Promise<WalkWithTag> =>
  withTag(await call(api, `/api/walks/${id}`, walk, { method: 'PATCH', body: change, ifMatch: etag }));

export const getHotspots = async (api: Raw, walkId: number, signal?: AbortSignal): Promise<Hotspot[]> =>
  (await call(api, `/api/walks/${walkId}/hotspots`, z.object({ features: z.array(hotspot) }), { signal })).data.features;
/** What the facilitator may change of a hotspot: its status, or its group in the studio (null: none). */
export type HotspotChangeBody = { status: HotspotStatus } | { cluster: string | null };
/** Publish, hide or reset a hotspot, or set its group, at the version shown. A StaleError when someone else changed it. */
export const patchHotspot = async (api: Raw, id: string, version: number, change: HotspotStatus | HotspotChangeBody): Promise<Hotspot> =>
  (await call(api, `/api/hotspots/${encodeURIComponent(id)}`, hotspot, {
    method: 'PATCH', body: typeof change === 'string' ? { status: change } : change, ifMatch: hotspotTag(id, version),
  })).data;
export const getHotspotContext = async (api: Raw, id: string, signal?: AbortSignal): Promise<HotspotContext> =>
  (await call(api, `/api/hotspots/${encodeURIComponent(id)}/context`, context, { signal })).data;

const comment = z.object({
  id: z.union([z.number(), z.string()]),
  body: z.string(),
  createdAt: z.string(),
  author: z.string().nullable().optional(),
});
export type HotspotComment = z.infer<typeof comment>;

/** The studio's comments on a hotspot, oldest first. */
export const getHotspotComments = async (api: Raw, id: string, signal?: AbortSignal): Promise<HotspotComment[]> =>
  (await call(api, `/api/hotspots/${encodeURIComponent(id)}/comments`, z.object({ comments: z.array(comment) }), { signal })).data.comments;
/** Add a comment to a hotspot (the answer has no author; read the list again to show it). */
export const addHotspotComment = async (api: Raw, id: string, body: string): Promise<HotspotComment> =>
  (await call(api, `/api/hotspots/${encodeURIComponent(id)}/comments`, comment, { method: 'POST', body: { body } })).data;

/** A hotspot that came in on the live stream (`event: hotspot`), or null when the data is not one. */
export function parseHotspotEvent(data: unknown): Hotspot | null {
  if (typeof data !== 'string') return null;
  try {
    const r = hotspot.safeParse(JSON.parse(data));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

export type NewSessionBody = { title: string; from: 'themes' } | { title: string; items: PairItem[] };
export interface ChoiceBody { id: string; a: string; b: string; choice: 'a' | 'b' | 'tie' }

export const listPairwise = async (api: Raw, walkId: number, signal?: AbortSignal): Promise<PairwiseView[]> =>
  (await call(api, `/api/walks/${walkId}/pairwise`, z.object({ sessions: z.array(sessionView) }), { signal })).data.sessions;
export const createPairwise = async (api: Raw, walkId: number, body: NewSessionBody): Promise<PairwiseView> =>
  (await call(api, `/api/walks/${walkId}/pairwise`, sessionView, { method: 'POST', body })).data;
export const postChoice = async (api: Raw, sessionId: number, body: ChoiceBody): Promise<PairwiseView> =>
  (await call(api, `/api/pairwise/${sessionId}/choices`, sessionView, { method: 'POST', body })).data;

export const walkEventsUrl = (walkId: number, after: number | null): string => `/api/walks/${walkId}/events${after === null ? '' : `?after=${after}`}`;
export const hotspotPhotoUrl = (id: string): string => `/api/hotspots/${encodeURIComponent(id)}/photo`;
export const walkExportUrl = (walkId: number, format: 'geojson' | 'csv'): string => `/api/walks/${walkId}/hotspots.${format}`;
