/**
 * The analysis API (issue 6) for the web app: findings, bundles, decisions (with If-Match), the
 * what-if input in RD New, openings per square, and the rules. Answers are checked with zod
 * before use; errors become ApiError with the server's message.
 */
import type { AnalysisRules } from '@model/analysis-rules.ts';
import type { LocalInput } from '@model/analysis/local.ts';
import { z } from 'zod';
import { ApiError, type ApiClient, type RawAnswer } from './client.ts';
import { isApiErrorBody } from './guards.ts';
import type { Bbox } from './types.ts';

const metrics = z.record(z.string(), z.union([z.number(), z.boolean(), z.string(), z.null()]));
const decision = z.object({
  decision: z.enum(['accepted', 'rejected', 'deferred']),
  reason: z.string().nullable(),
  decidedAt: z.string(),
  organisation: z.string().nullable(),
  jointProjectId: z.number().nullable(),
  version: z.number(),
}).nullable();

const finding = z.object({
  id: z.string(),
  type: z.enum(['combine', 'clash', 'repeat_opening', 'moratorium', 'coupling']),
  works: z.array(z.number()),
  assets: z.array(z.number()),
  moratorium: z.number().nullable(),
  metrics,
  rule: z.record(z.string(), z.union([z.number(), z.string()])),
  decision,
});
export type ApiFinding = z.infer<typeof finding>;
export type ApiDecision = z.infer<typeof decision>;

const findingsAnswer = z.object({ findings: z.array(finding), counts: z.record(z.string(), z.number()) });

const bundle = z.object({
  id: z.string(),
  works: z.array(z.number()),
  findings: z.array(z.string()),
  organisations: z.array(z.string()),
  commonWindow: z.object({ start: z.string(), end: z.string() }),
  metrics: z.object({
    openings_avoided: z.number(), shared_trench_m: z.number(), repaving_avoided_m2: z.number(), nuisance_days_avoided: z.number(), saving_eur: z.number(),
  }),
  decision,
});
export type ApiBundle = z.infer<typeof bundle>;

const position = z.array(z.number());
const planar = z.union([
  z.object({ type: z.literal('Point'), coordinates: position }),
  z.object({ type: z.literal('MultiPoint'), coordinates: z.array(position) }),
  z.object({ type: z.literal('LineString'), coordinates: z.array(position) }),
  z.object({ type: z.literal('MultiLineString'), coordinates: z.array(z.array(position)) }),
  z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(position)) }),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(z.array(position))) }),
]);
const inputAnswer = z.object({
  rules: z.custom<AnalysisRules>((v) => typeof v === 'object' && v !== null && 'pair' in v && 'lifetimes' in v),
  works: z.array(z.object({
    id: z.number(), kind: z.string().nullable(), ownerId: z.number().nullable(), systems: z.array(z.string()), opensGround: z.boolean(),
    trenchWidth: z.number().nullable(), areal: z.boolean(), status: z.string(), earliestStart: z.string().nullable(), preferredStart: z.string(),
    preferredEnd: z.string(), latestEnd: z.string().nullable(), geometry: planar,
  })),
  moratoria: z.array(z.object({ id: z.number(), from: z.string(), until: z.string(), exceptions: z.array(z.string()), geometry: planar })),
  assets: z.array(z.object({
    id: z.number(), system: z.string(), ownerId: z.number().nullable(), material: z.string().nullable(), inServiceYear: z.number().nullable(),
    replacementYear: z.number().nullable(), geometry: planar,
  })),
});
export type WhatIfInput = LocalInput & { rules: AnalysisRules };

const openings = z.object({
  features: z.array(z.object({
    type: z.literal('Feature'),
    geometry: z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(position)) }),
    properties: z.object({ openings: z.number(), withAcceptedCombinations: z.number() }),
  })),
});
export type OpeningsAnswer = z.infer<typeof openings>;

type Raw = Pick<ApiClient, 'requestRaw'>;

function errorOf(path: string, answer: RawAnswer): ApiError {
  if (isApiErrorBody(answer.body)) {
    const e = answer.body.error;
    return new ApiError(e.message, e.status ?? answer.status, e.code ?? 'http_error');
  }
  return new ApiError(`${path}: HTTP ${answer.status}`, answer.status, 'http_error');
}

async function get<T>(api: Raw, path: string, schema: z.ZodType<T>, signal?: AbortSignal): Promise<T> {
  const answer = await api.requestRaw(path, signal ? { signal } : {});
  if (answer.status !== 200) throw errorOf(path, answer);
  const parsed = schema.safeParse(answer.body);
  if (!parsed.success) throw new ApiError(`${path}: unexpected answer (${parsed.error.issues[0]?.path.join('.') ?? ''})`, 200, 'bad_response');
  return parsed.data;
}

const bboxQuery = (bbox: Bbox): string => `bbox=${bbox.map((n) => n.toFixed(6)).join(',')}`;

export const getFindings = (api: Raw, signal?: AbortSignal) => get(api, '/api/analysis/findings', findingsAnswer, signal);
export const getBundles = async (api: Raw, signal?: AbortSignal) => (await get(api, '/api/analysis/bundles', z.object({ bundles: z.array(bundle) }), signal)).bundles;
export const getWhatIfInput = async (api: Raw, bbox: Bbox, signal?: AbortSignal): Promise<WhatIfInput> =>
  (await get(api, `/api/analysis/input?${bboxQuery(bbox)}`, inputAnswer, signal)) as WhatIfInput;
export const getOpenings = (api: Raw, bbox: Bbox, from: string, to: string, signal?: AbortSignal) =>
  get(api, `/api/analysis/openings?${bboxQuery(bbox)}&from=${from}&to=${to}`, openings, signal);
export const getRules = (api: Raw, signal?: AbortSignal) => get(api, '/api/analysis/rules', inputAnswer.shape.rules, signal);

/** The decision on a finding or bundle has been changed by someone else: reload and decide again. */
export class StaleDecisionError extends ApiError {}

export interface DecisionBody { decision: 'accepted' | 'rejected' | 'deferred'; reason?: string; projectName?: string }

/** PUT a decision; `version` is the one shown (null when undecided). Answers the new version. */
export async function putDecision(api: Raw, subject: string, body: DecisionBody, version: number | null): Promise<number> {
  const path = `/api/analysis/decisions/${encodeURIComponent(subject)}`;
  const answer = await api.requestRaw(path, { method: 'PUT', body: JSON.stringify(body), headers: version === null ? {} : { 'If-Match': `"decision-v${version}"` } });
  if (answer.status === 412 || answer.status === 428) throw new StaleDecisionError(errorOf(path, answer).message, answer.status, 'stale');
  if (answer.status !== 200) throw errorOf(path, answer);
  return z.object({ version: z.number() }).parse(answer.body).version;
}

/** Undo a decision (the finding is open again). */
export async function deleteDecision(api: Raw, subject: string, version: number): Promise<void> {
  const path = `/api/analysis/decisions/${encodeURIComponent(subject)}`;
  const answer = await api.requestRaw(path, { method: 'DELETE', headers: { 'If-Match': `"decision-v${version}"` } });
  if (answer.status === 412) throw new StaleDecisionError(errorOf(path, answer).message, 412, 'stale');
  if (answer.status !== 204) throw errorOf(path, answer);
}

/** An administrator's change of the rules; the server recomputes everything and answers the rules in force. */
export async function putRules(api: Raw, change: Partial<AnalysisRules>): Promise<AnalysisRules> {
  const path = '/api/analysis/rules';
  const answer = await api.requestRaw(path, { method: 'PUT', body: JSON.stringify(change) });
  if (answer.status !== 200) throw errorOf(path, answer);
  return inputAnswer.shape.rules.parse(answer.body);
}

export const exportUrl = (what: 'findings' | 'bundles', format: 'geojson' | 'csv'): string => `/api/analysis/${what}/export?format=${format}`;
