/**
 * The hand-written PostGIS floor of the analysis benchmark: the minimal SQL that finds the same
 * candidates as the product's analysis (api/src/analysis/findings.ts), counted with count(*), so
 * nothing is sent back, classified or stored. Two forms of each query:
 *  - lateral: driven from the works, a CROSS JOIN LATERAL … OFFSET 0 per work, so the planner
 *    probes the big table's GiST index from the small side (as the product's queries are written);
 *  - plain: the same conditions as an ordinary JOIN, to show what the default plan costs on this data.
 * They run as the connecting (owner) role, so no row security applies to them.
 */
import type pg from 'pg';
import { ANALYSED_STATUSES, DEFAULT_RULES } from '../../api/src/model/analysis-rules.ts';
import { maxPairDistance } from '../../api/src/model/analysis/finding.ts';

export type FloorQuery = 'pairs' | 'moratoria' | 'couplings';
export const FLOOR_QUERIES: readonly FloorQuery[] = ['pairs', 'moratoria', 'couplings'];
export type FloorForm = 'lateral' | 'plain';

const rules = DEFAULT_RULES;
/** Half the trench of a line work (the rules' default when it has none), 0 for a polygon: as the product computes it. */
const half = (w: string) => `(CASE WHEN ST_Dimension(${w}.geom) = 2 THEN 0 ELSE coalesce(${w}.trench_width, ${rules.defaultTrenchWidthM}) / 2 END)`;
/** The works the analysis looks at (findings.ts scopeSql, without a caller's policy). */
const inScope = (w: string) => `${w}.status = ANY($1::text[]) AND ${w}.preferred_start IS NOT NULL AND ${w}.preferred_end IS NOT NULL AND ${w}.source_kind <> 'klic'`;
/** An asset's due year: its replacement year, else in-service year + the lifetime of its system and material (else its system's '*'). */
const due = (a: string) => `coalesce(${a}.replacement_year, ${a}.in_service_year + (
  SELECT l.years FROM life l WHERE l.system = ${a}.system AND (lower(l.material) = lower(${a}.material) OR l.material = '*')
  ORDER BY l.material = '*' LIMIT 1))`;
const LIFE = `life AS MATERIALIZED (SELECT * FROM jsonb_to_recordset($2::jsonb) AS l(system text, material text, years int))`;

/**
 * Work pairs whose footprints lie within the pair distance: each unordered pair once (b.id > w.id).
 * The index probe reaches the pair distance + the widest half trench of the works analysed ($2);
 * the second ST_DWithin is the exact footprint test with both half widths.
 */
function pairs(form: FloorForm): string {
  const near = `ST_DWithin(w.geom, b.geom, ${half('w')} + $2) AND ST_DWithin(w.geom, b.geom, ${half('w')} + ${half('b')} + ${maxPairDistance(rules)})`;
  if (form === 'plain') return `SELECT count(*) AS n FROM work w JOIN work b ON b.id > w.id AND ${inScope('b')} AND ${near} WHERE ${inScope('w')}`;
  return `SELECT count(*) AS n FROM work w CROSS JOIN LATERAL (
      SELECT b.id FROM work b WHERE b.id > w.id AND ${inScope('b')} AND ${near} OFFSET 0) o
    WHERE ${inScope('w')}`;
}

/** Ground-opening works meeting a moratorium in its period whose exceptions do not name the work's kind (= the breaches). */
function moratoria(form: FloorForm): string {
  const meets = `ST_DWithin(w.geom, m.geom, ${half('w')}) AND m.valid_from <= w.preferred_end AND m.valid_until >= w.preferred_start
    AND NOT (w.kind IS NOT NULL AND w.kind = ANY(m.exceptions))`;
  if (form === 'plain') return `SELECT count(*) AS n FROM work w JOIN moratorium m ON ${meets} WHERE w.opens_ground AND ${inScope('w')}`;
  return `SELECT count(*) AS n FROM work w CROSS JOIN LATERAL (SELECT m.id FROM moratorium m WHERE ${meets} OFFSET 0) m
    WHERE w.opens_ground AND ${inScope('w')}`;
}

/** (work, asset) with the asset within half trench + coupling distance of a ground-opening work and due by its start year + N (= the assets of all coupling findings). */
function couplings(form: FloorForm): string {
  const reach = `ST_DWithin(a.geom, w.geom, ${half('w')} + ${rules.couplingDistanceM})`;
  const dated = '(a.replacement_year IS NOT NULL OR a.in_service_year IS NOT NULL)';
  const dueBy = `<= extract(year FROM w.preferred_start)::int + ${rules.couplingYears}`;
  if (form === 'plain') {
    return `WITH ${LIFE} SELECT count(*) AS n FROM work w JOIN asset a ON ${reach} AND ${dated}
      WHERE w.opens_ground AND ${inScope('w')} AND ${due('a')} ${dueBy}`;
  }
  return `WITH ${LIFE} SELECT count(*) AS n FROM work w CROSS JOIN LATERAL (
      SELECT a.id, ${due('a')} AS due FROM asset a WHERE ${reach} AND ${dated} OFFSET 0) a
    WHERE w.opens_ground AND ${inScope('w')} AND a.due ${dueBy}`;
}

export function floorSql(query: FloorQuery, form: FloorForm): string {
  return query === 'pairs' ? pairs(form) : query === 'moratoria' ? moratoria(form) : couplings(form);
}

/** The parameters: $1 the statuses analysed; $2 the widest half trench + pair distance (pairs) or the lifetimes (couplings). */
export async function floorParams(c: pg.Client, query: FloorQuery): Promise<unknown[]> {
  if (query === 'moratoria') return [ANALYSED_STATUSES];
  if (query === 'couplings') return [ANALYSED_STATUSES, JSON.stringify(rules.lifetimes)];
  const widest = await c.query<{ half: number | null }>(`SELECT max(${half('w')}) AS half FROM work w WHERE w.status = ANY($1::text[])`, [ANALYSED_STATUSES]);
  return [ANALYSED_STATUSES, (widest.rows[0]?.half ?? 0) + maxPairDistance(rules)];
}

export interface FloorRun { query: FloorQuery; form: FloorForm; ms: number; rows: number | null; timedOut: boolean }

/** One floor query, timed around the round trip; a statement timeout is reported, not thrown. */
export async function runFloor(c: pg.Client, query: FloorQuery, form: FloorForm): Promise<FloorRun> {
  const params = await floorParams(c, query);
  const started = performance.now();
  try {
    const r = await c.query<{ n: string }>(floorSql(query, form), params);
    return { query, form, ms: performance.now() - started, rows: Number(r.rows[0]?.n ?? NaN), timedOut: false };
  } catch (err) {
    if ((err as { code?: string }).code !== '57014') throw err;
    return { query, form, ms: performance.now() - started, rows: null, timedOut: true };
  }
}

/** The plan PostgreSQL picks for a floor query (EXPLAIN, not run): its join strategy, in one line. */
export async function planSummary(c: pg.Client, query: FloorQuery, form: FloorForm): Promise<string> {
  const r = await c.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${floorSql(query, form)}`, await floorParams(c, query));
  const lines = r.rows.map((x) => x['QUERY PLAN']);
  const strategy = lines.find((l) => /Nested Loop|Hash Join|Merge Join/.test(l))?.trim().replace(/\s+\(cost.*$/, '').replace(/^->\s*/, '') ?? '?';
  const scans = [...new Set(lines.map((l) => /(Index Scan|Index Only Scan|Bitmap Index Scan|Seq Scan)(?: using (\S+))? on (\S+)/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null).map((m) => `${m[1]} ${m[3]}`))];
  return `${strategy}: ${scans.slice(0, 4).join(', ')}${scans.length > 4 ? ', …' : ''}`;
}
