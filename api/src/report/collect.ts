/**
 * What the area report (issue 8) is made of, read from PostGIS as the requesting user may read it:
 * every query runs in that user's row-security context (jobs.ts) and with their policy
 * parameters. The works and moratoria come from the plan export (export/plan-export.ts: the
 * caller's readable rows, never others' C3 rows in a document that leaves the system), the
 * findings and bundles from the analysis exactly as `/api/analysis/findings|bundles` give them
 * for the same area, the walks' hotspots and pairwise rankings from the wijkschouw (issue 7).
 * Cancelled works and works without any date (KLIC orientation requests) are left out: they have
 * no place on a timeline, and the analysis does not look at them either.
 */
import type { Principal } from '../auth/principal.ts';
import { policyParams, workReadableSql } from '../auth/policy.ts';
import type { Bundle } from '../analysis/bundles.ts';
import type { AnalysisScope } from '../analysis/findings.ts';
import type { StoredFinding } from '../analysis/read.ts';
import { loadRules } from '../analysis/store.ts';
import type { Pool } from '../db/pool.ts';
import { type PlanRow, planRows } from '../export/plan-export.ts';
import type { Bbox } from '../export/query.ts';
import { bundlesFor, findingsFor } from '../analysis/for-caller.ts';
import type { AnalysisRules } from '../model/analysis-rules.ts';
import type { Ranking } from '../model/ranking.ts';
import { type Session, SESSION_FIELDS, sessionView } from '../walks/pairwise.ts';
import type { Extent } from './map-fit.ts';

export type { Bbox };
export type ReportArea = { municipality: string } | { bbox: Bbox };

export interface ReportRequest { area: ReportArea; from: string; to: string }

export interface ReportWork {
  id: number; title: string; owner: string; kind: string | null; systems: string[]; status: string; opensGround: boolean;
  earliestStart: string | null; preferredStart: string | null; preferredEnd: string | null; latestEnd: string | null;
  confidentiality: string; extent: Extent;
}
export interface ReportMoratorium { id: number; owner: string; from: string; until: string; reason: string; exceptions: string[]; extent: Extent }
export interface ReportHotspot { id: string; no: number; walkId: number; kind: 'kans' | 'knelpunt'; theme: string; note: string; cluster: string | null; x: number; y: number }
export interface ReportSession { id: number; title: string; status: string; choices: number; ranking: Ranking; labels: Record<string, string> }
export interface ReportWalk { id: number; title: string; date: string; status: string; hotspots: ReportHotspot[]; sessions: ReportSession[] }

export interface ReportData {
  area: { name: string; code: string | null; bbox: Bbox | null; ewkb: string; extent: Extent };
  horizon: { from: string; to: string };
  today: string;
  generatedAt: Date;
  requester: { email: string | null; organisation: string | null };
  works: ReportWork[];
  moratoria: ReportMoratorium[];
  findings: StoredFinding[];
  bundles: Bundle[];
  /** title and owner of every work a finding or bundle names (also those outside the area or horizon) */
  workLabels: Map<number, { title: string; owner: string | null }>;
  rules: AnalysisRules;
  walks: ReportWalk[];
}


const extentOf = (r: PlanRow): Extent => ({ minx: r.minx, miny: r.miny, maxx: r.maxx, maxy: r.maxy });

async function resolveArea(pool: Pool, area: ReportArea): Promise<ReportData['area'] | null> {
  const box = `ST_Transform(ST_MakeEnvelope($1::float8, $2::float8, $3::float8, $4::float8, 4326), (SELECT value::int FROM app_setting WHERE key = 'working_srid'))`;
  const [sql, params] = 'municipality' in area
    ? ['SELECT code, name, geom FROM municipality WHERE code = $1', [area.municipality]]
    : [`SELECT NULL::text AS code, NULL::text AS name, ST_Segmentize(${box}, 50) AS geom`, [...area.bbox]];
  const r = await pool.query<{ code: string | null; name: string | null; ewkb: string; minx: number; miny: number; maxx: number; maxy: number }>(
    `SELECT a.code, a.name, encode(ST_AsEWKB(a.geom), 'hex') AS ewkb, ST_XMin(g) AS minx, ST_YMin(g) AS miny, ST_XMax(g) AS maxx, ST_YMax(g) AS maxy
     FROM (${sql}) a, LATERAL (SELECT ST_Transform(a.geom, 28992) AS g) t`, params);
  const row = r.rows[0];
  if (!row) return null;
  const bbox = 'bbox' in area ? area.bbox : null;
  const name = row.name ?? `Kaartuitsnede ${bbox?.map((v) => v.toFixed(4)).join(', ')}`;
  return { name, code: row.code, bbox, ewkb: row.ewkb, extent: { minx: row.minx, miny: row.miny, maxx: row.maxx, maxy: row.maxy } };
}

async function readWalks(pool: Pool, areaEwkb: string): Promise<ReportWalk[]> {
  // row security: only the walks of the requester's own organisation
  const h = await pool.query<Omit<ReportHotspot, 'no'>>(
    `SELECT h.id, h.walk_id AS "walkId", h.kind, h.theme, h.note, h.cluster, ST_X(ST_Transform(h.geom, 28992)) AS x, ST_Y(ST_Transform(h.geom, 28992)) AS y
     FROM hotspot h WHERE h.status = 'published' AND ST_Intersects(h.geom, $1::geometry) ORDER BY h.walk_id, h.theme, h.seq`, [areaEwkb]);
  const w = await pool.query<{ id: number; title: string; date: string; status: string }>(
    `SELECT w.id, w.title, w.walk_date::text AS date, w.status FROM walk w
     WHERE EXISTS (SELECT 1 FROM hotspot h WHERE h.walk_id = w.id AND h.status = 'published' AND ST_Intersects(h.geom, $1::geometry))
        OR ST_Intersects(w.area, $1::geometry) OR ST_Intersects(w.route, $1::geometry)
     ORDER BY w.walk_date, w.id`, [areaEwkb]);
  let no = 0;
  const hotspots = h.rows.map((x) => ({ ...x, no: ++no }));
  const walks: ReportWalk[] = [];
  for (const walk of w.rows) {
    const s = await pool.query<Session>(`SELECT ${SESSION_FIELDS} FROM pairwise_session s WHERE s.walk_id = $1 ORDER BY s.id`, [walk.id]);
    const sessions: ReportSession[] = [];
    for (const session of s.rows) {
      const view = await sessionView(pool, session);
      sessions.push({ id: session.id, title: session.title, status: session.status, choices: view.choices, ranking: view.ranking,
        labels: Object.fromEntries(session.items.map((i) => [i.id, i.label])) });
    }
    walks.push({ ...walk, hotspots: hotspots.filter((x) => x.walkId === walk.id), sessions });
  }
  return walks;
}

/** Step 1: the works, moratoria, walks and the requester (progress "Gegevens verzamelen"). */
export async function collectPlan(pool: Pool, p: Principal, req: ReportRequest): Promise<Omit<ReportData, 'findings' | 'bundles' | 'workLabels' | 'rules'> | null> {
  const area = await resolveArea(pool, req.area);
  if (!area) return null;
  const policy = policyParams(p);
  const selection = { srid: 28992 as const, from: req.from, to: req.to, policy, bbox: area.bbox, municipality: area.code };
  const [workRows, moratoriumRows] = [await planRows(pool, 'works', selection), await planRows(pool, 'moratoria', selection)];
  const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
  const works = workRows.filter((r) => r.status !== 'vervallen' && (r.preferredStart ?? r.earliestStart) !== null)
    .map((r): ReportWork => ({
      id: Number(r.id), title: String(r.title), owner: str(r.ownerName) ?? '?', kind: str(r.kind), systems: (r.systems as string[] | null) ?? [],
      status: String(r.status), opensGround: r.opensGround === true, earliestStart: dateText(r.earliestStart), preferredStart: dateText(r.preferredStart),
      preferredEnd: dateText(r.preferredEnd), latestEnd: dateText(r.latestEnd), confidentiality: String(r.confidentiality), extent: extentOf(r),
    }));
  const moratoria = moratoriumRows.map((r): ReportMoratorium => ({
    id: Number(r.id), owner: str(r.ownerName) ?? '?', from: dateText(r.from) ?? '', until: dateText(r.until) ?? '', reason: String(r.reason),
    exceptions: (r.exceptions as string[] | null) ?? [], extent: extentOf(r),
  }));
  const who = await pool.query<{ name: string }>('SELECT name FROM organisation WHERE id = $1', [p.orgId]);
  const walks = await readWalks(pool, area.ewkb);
  const today = new Date().toISOString().slice(0, 10);
  return { area, horizon: { from: req.from, to: req.to }, today, generatedAt: new Date(), requester: { email: p.email, organisation: who.rows[0]?.name ?? null }, works, moratoria, walks };
}

/**
 * Step 2: the analysis for the same area as `/api/analysis/findings|bundles?area=…|bbox=…`, then
 * limited to the horizon (a finding or bundle stays when one of its works is among the report's
 * works) and to the export rule (none with another organisation's C3 work).
 */
export async function collectAnalysis(pool: Pool, p: Principal, plan: Pick<ReportData, 'area' | 'works'>): Promise<Pick<ReportData, 'findings' | 'bundles' | 'workLabels' | 'rules'>> {
  const scope: AnalysisScope = plan.area.code ? { areaCode: plan.area.code } : { bbox: plan.area.bbox ?? undefined };
  const policy = policyParams(p);
  const inReport = new Set(plan.works.map((w) => w.id));
  const touches = (ids: readonly number[]) => ids.some((id) => inReport.has(id));
  const allFindings = (await findingsFor(pool, policy, scope)).filter((f) => touches(f.works));
  const allBundles = (await bundlesFor(pool, policy, scope)).filter((b) => touches(b.works));
  const ids = [...new Set([...allFindings.flatMap((f) => f.works), ...allBundles.flatMap((b) => b.works)])];
  // a report is a document that leaves the system: like an export, never others' C3 works (auth/policy.ts canExport)
  const r = await pool.query<{ id: number; title: string; owner: string | null }>(
    `SELECT w.id::int AS id, w.title, o.name AS owner FROM work w LEFT JOIN organisation o ON o.id = w.owner_id
     WHERE w.id = ANY($6::bigint[]) AND ${workReadableSql(1)} AND (w.confidentiality <> 'C3' OR w.owner_id = $2::int)`, [...policyParams(p), ids]);
  const workLabels = new Map(r.rows.map((w) => [w.id, { title: w.title, owner: w.owner }]));
  const shown = (works: readonly number[]) => works.every((id) => workLabels.has(id));
  return { findings: allFindings.filter((f) => shown(f.works)), bundles: allBundles.filter((b) => shown(b.works)), workLabels, rules: await loadRules(pool) };
}

/** pg hands dates out as text (db/pool.ts). */
const dateText = (v: unknown): string | null => (v === null || v === undefined ? null : String(v).slice(0, 10));
