/**
 * Bundles (issue 6): works linked by combine findings into one dig whose flexible windows share a
 * common interval. Built greedily and deterministically: the combine links are taken in order of
 * the shift they need (then by id), and two groups join only when all their windows still share a
 * day. Each link that joins a work to the group is one opening avoided; the metrics are summed
 * over exactly those links, so every number can be traced to a pair:
 *   shared trench (m): the length of the line work that lies within the other's footprint plus the
 *     rule distance (both lines: the shorter of the two; two areas: 0);
 *   re-paving avoided (m²): that length × the narrower trench (an area with a line: × the line's
 *     trench; two areas: the area they share);
 *   nuisance days avoided: the shorter of the two preferred windows (the street is not opened for it again);
 *   saving (€): re-paving avoided × the price per m² of the rules.
 */
import type { Pool } from '../db/pool.ts';
import { type AnalysisRules, type Window, dayNumber, flexWindow } from '../model/analysis-rules.ts';
import { round } from '../model/analysis/finding.ts';
import type { StoredFinding } from './read.ts';

type Db = Pick<Pool, 'query'>;

export interface Bundle {
  id: string;
  works: number[];
  findings: string[];
  organisations: string[];
  commonWindow: { start: string; end: string };
  metrics: { openings_avoided: number; shared_trench_m: number; repaving_avoided_m2: number; nuisance_days_avoided: number; saving_eur: number };
  decision: StoredFinding['decision'];
}

interface WorkInfo { id: number; owner: string | null; earliestStart: string | null; preferredStart: string; preferredEnd: string; latestEnd: string | null }
interface EdgeMetrics { a: number; b: number; shared_m: number; repaving_m2: number }

const iso = (day: number): string => new Date(day * 86_400_000).toISOString().slice(0, 10);
const common = (ws: Window[]): Window => ({ start: Math.max(...ws.map((w) => w.start)), end: Math.min(...ws.map((w) => w.end)) });

/** Group the combine findings into bundles: pure, given the works' windows. */
export function groupBundles(combines: readonly StoredFinding[], windows: ReadonlyMap<number, Window>): { works: number[]; links: StoredFinding[] }[] {
  const sorted = [...combines].sort((p, q) => Number(p.metrics.shift_days ?? 0) - Number(q.metrics.shift_days ?? 0) || (p.id < q.id ? -1 : 1));
  const groupOf = new Map<number, { works: Set<number>; links: StoredFinding[] }>();
  for (const f of sorted) {
    const [a, b] = f.works as [number, number];
    const ga = groupOf.get(a) ?? { works: new Set([a]), links: [] };
    const gb = groupOf.get(b) ?? { works: new Set([b]), links: [] };
    if (ga === gb) continue;
    const merged = [...ga.works, ...gb.works];
    const ws = merged.map((w) => windows.get(w)).filter((w): w is Window => w !== undefined);
    if (ws.length !== merged.length) continue;
    const c = common(ws);
    if (c.start > c.end) continue;
    const g = { works: new Set(merged), links: [...ga.links, ...gb.links, f] };
    for (const w of merged) groupOf.set(w, g);
  }
  const seen = new Set<object>();
  const out: { works: number[]; links: StoredFinding[] }[] = [];
  for (const g of groupOf.values()) {
    if (seen.has(g)) continue;
    seen.add(g);
    out.push({ works: [...g.works].sort((p, q) => p - q), links: g.links });
  }
  return out.sort((p, q) => (p.works[0] ?? 0) - (q.works[0] ?? 0));
}

async function edgeMetrics(db: Db, rules: AnalysisRules, links: readonly StoredFinding[]): Promise<Map<string, EdgeMetrics>> {
  if (links.length === 0) return new Map();
  const r = await db.query<EdgeMetrics & { id: string }>(
    `WITH e AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS e(id text, a bigint, b bigint, d float8)),
     p AS (
       SELECT e.id, e.a, e.b, e.d, x.geom AS gx, y.geom AS gy, ST_Dimension(x.geom) = 2 AS xa, ST_Dimension(y.geom) = 2 AS ya,
         coalesce(x.trench_width, $2) AS wx, coalesce(y.trench_width, $2) AS wy
       FROM e JOIN work x ON x.id = e.a JOIN work y ON y.id = e.b)
     SELECT id, a::int, b::int,
       CASE WHEN xa AND ya THEN 0
            WHEN xa THEN ST_Length(ST_Intersection(gy, ST_Buffer(gx, d)))
            WHEN ya THEN ST_Length(ST_Intersection(gx, ST_Buffer(gy, d)))
            ELSE least(ST_Length(ST_Intersection(gx, ST_Buffer(gy, wy / 2 + d))), ST_Length(ST_Intersection(gy, ST_Buffer(gx, wx / 2 + d)))) END AS shared_m,
       CASE WHEN xa AND ya THEN ST_Area(ST_Intersection(gx, gy))
            WHEN xa THEN ST_Length(ST_Intersection(gy, ST_Buffer(gx, d))) * wy
            WHEN ya THEN ST_Length(ST_Intersection(gx, ST_Buffer(gy, d))) * wx
            ELSE least(ST_Length(ST_Intersection(gx, ST_Buffer(gy, wy / 2 + d))), ST_Length(ST_Intersection(gy, ST_Buffer(gx, wx / 2 + d)))) * least(wx, wy) END AS repaving_m2
     FROM p`,
    [JSON.stringify(links.map((l) => ({ id: l.id, a: l.works[0], b: l.works[1], d: Number(l.rule.distance_m ?? rules.pair.distanceM) }))), rules.defaultTrenchWidthM]);
  return new Map(r.rows.map((row) => [row.id, row]));
}

/** The bundles among the combine findings the caller sees, with their metrics. */
export async function buildBundles(db: Db, rules: AnalysisRules, findings: readonly StoredFinding[], decisions: ReadonlyMap<string, StoredFinding['decision']>): Promise<Bundle[]> {
  const combines = findings.filter((f) => f.type === 'combine');
  const ids = [...new Set(combines.flatMap((f) => f.works))];
  if (ids.length === 0) return [];
  const r = await db.query<WorkInfo>(
    `SELECT w.id::int AS id, o.name AS owner, w.earliest_start::text AS "earliestStart", w.preferred_start::text AS "preferredStart",
       w.preferred_end::text AS "preferredEnd", w.latest_end::text AS "latestEnd"
     FROM work w LEFT JOIN organisation o ON o.id = w.owner_id WHERE w.id = ANY($1::bigint[])`, [ids]);
  const info = new Map(r.rows.map((w) => [w.id, w]));
  const windows = new Map([...info.values()].map((w) => [w.id, flexWindow(w)]));
  const groups = groupBundles(combines, windows);
  const metrics = await edgeMetrics(db, rules, groups.flatMap((g) => g.links));
  return groups.map((g) => {
    const c = common(g.works.map((w) => windows.get(w) as Window));
    let shared = 0;
    let repaving = 0;
    let nuisance = 0;
    for (const l of g.links) {
      const m = metrics.get(l.id);
      shared += m?.shared_m ?? 0;
      repaving += m?.repaving_m2 ?? 0;
      const days = l.works.map((w) => { const i = info.get(w); return i ? dayNumber(i.preferredEnd) - dayNumber(i.preferredStart) + 1 : 0; });
      nuisance += Math.min(...days);
    }
    const id = `bundle:${g.works.join('-')}`;
    return {
      id, works: g.works, findings: g.links.map((l) => l.id).sort(),
      organisations: [...new Set(g.works.map((w) => info.get(w)?.owner ?? '?'))].sort(),
      commonWindow: { start: iso(c.start), end: iso(c.end) },
      metrics: {
        openings_avoided: g.links.length, shared_trench_m: round(shared, 1), repaving_avoided_m2: round(repaving, 1),
        nuisance_days_avoided: nuisance, saving_eur: Math.round(repaving * rules.repavingPricePerM2),
      },
      decision: decisions.get(id) ?? null,
    };
  });
}
