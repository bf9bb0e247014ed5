/**
 * Reading features for the OGC API: one page (ordered by the collection's stable id, LIMIT/OFFSET)
 * plus the exact number matched, with bbox (in CRS84, EPSG:4326 or RD New), datetime and the
 * equality filters all inside the query, so counts and pages hold only what the caller may see.
 * Geometries are transformed by PostGIS into the asked CRS and written by ST_AsGeoJSON; findings
 * and bundles come from the analysis (computed per caller) and get their works' geometry here.
 */
import { createHash } from 'node:crypto';
import { type Client, type Pool, withTransaction } from '../db/pool.ts';
import type { ReadFrom, ReplicaReads } from '../db/replica.ts';
import type { TileFamily } from '../http/tile-cache.ts';
import { asSystem } from '../db/tenant-context.ts';
import { pipelinedRead } from '../db/pipelined.ts';
import { coordinateDecimals } from '../export/formats.ts';
import { CRSS, type Crs, bboxToXy, swapAxes } from './crs.ts';
import type { DayWindow, ItemsQuery } from './params.ts';
import type { SqlSource } from './collections.ts';

export interface Feature {
  type: 'Feature';
  id: number | string;
  geometry: { type: string } | null;
  properties: Record<string, unknown>;
}

export interface Page {
  /**
   * the features as PostgreSQL wrote them (geometry in x/y order), in page order: each part holds
   * up to FEATURES_PER_PART features, comma-separated (join the parts with commas)
   */
  parts: string[];
  /** how many features the parts hold */
  returned: number;
  /** the features as objects, in the asked CRS's axis order (parsed on demand: JSON pages splice the parts) */
  features: () => Feature[];
  numberMatched: number;
  /** with a replica: where the page and its count were read (one read) */
  readFrom?: ReadFrom;
}

/** A page of a collection whose changes NOTIFY names by tile family may be read from the replica. */
export interface ReplicaSource {
  reads: ReplicaReads;
  family: TileFamily;
}

/** Features per row of an items page (~48 KB of JSON at ~740 bytes a feature: V8 keeps such strings young). */
export const FEATURES_PER_PART = 64;

/** Values bound as $n; only registry SQL and these placeholders reach the query text. */
class Params {
  readonly values: unknown[] = [];
  add(value: unknown, cast: string): string {
    this.values.push(value);
    return `$${this.values.length}::${cast}`;
  }
}

/**
 * The bbox as a geometry in the working CRS (in a CROSS JOIN, as `f.env`). A lon/lat box is
 * densified before it is transformed, because its edges are not straight lines in RD New.
 */
function envelopeJoin(q: Pick<ItemsQuery, 'bbox' | 'bboxCrs'>, p: Params, workingSrid: number): string {
  if (!q.bbox) return '';
  const [x1, y1, x2, y2] = bboxToXy(q.bbox, q.bboxCrs).map((v) => p.add(v, 'float8'));
  const srid = q.bboxCrs.srid;
  const box = `ST_MakeEnvelope(${x1}, ${y1}, ${x2}, ${y2}, ${srid})`;
  const shaped = srid === 4326 ? `ST_Segmentize(${box}, 0.001)` : box;
  // OFFSET 0 keeps the box a one-row sub-select computed once: pulled up into a generic plan (asset
  // pages, SqlSource.genericPlan) its transform would run again for every row ST_Intersects checks
  return `CROSS JOIN (SELECT ST_Transform(${shaped}, ${p.add(workingSrid, 'integer')}) AS env OFFSET 0) f`;
}

/** Rows overlapping the window (per day); a row with no start or no end is open on that side. */
function temporalWhere(t: { start: string; end: string }, w: DayWindow, p: Params): string[] {
  const out: string[] = [];
  if (w.to !== null) out.push(`(${t.start} IS NULL OR ${t.start} <= ${p.add(w.to, 'date')})`);
  if (w.from !== null) out.push(`(${t.end} IS NULL OR ${t.end} >= ${p.add(w.from, 'date')})`);
  return out;
}

type Filtering = Pick<ItemsQuery, 'bbox' | 'bboxCrs' | 'datetime' | 'filters'>;
const EVERYTHING: Filtering = { bbox: null, bboxCrs: CRSS[0] as Crs, datetime: null, filters: {} };

interface Selection {
  query: Filtering;
  policy: readonly unknown[];
  workingSrid: number;
  id?: string;
}

/** FROM … WHERE … of a selection from a SQL collection; `lateral`: joined after the collection's FROM. */
function fromWhere(s: SqlSource, sel: Selection, p: Params, lateral = ''): string {
  const where = [s.base];
  if (s.access) {
    const first = p.values.length + 1;
    p.values.push(...sel.policy);
    where.push(s.access(first));
  }
  const env = envelopeJoin(sel.query, p, sel.workingSrid);
  if (env) where.push(`${s.geom} && f.env AND ST_Intersects(${s.geom}, f.env)`);
  if (s.temporal && sel.query.datetime) where.push(...temporalWhere(s.temporal, sel.query.datetime, p));
  for (const [name, value] of Object.entries(sel.query.filters)) {
    const sql = s.filters[name as keyof SqlSource['filters']];
    if (sql && value !== undefined) where.push(sql(p.add(value, 'text')));
  }
  if (sel.id !== undefined) where.push(`${s.id} = ${p.add(sel.id, s.idCast)}`);
  return `FROM ${s.from}${lateral} ${env} WHERE ${where.join(' AND ')}`;
}

const geometrySql = (geom: string, crs: Crs, p: Params): string =>
  `ST_AsGeoJSON(ST_Force2D(ST_Transform(${geom}, ${p.add(crs.srid, 'integer')})), ${coordinateDecimals(crs.srid)}, 0)`;

/** A feature PostgreSQL wrote (x/y order) in the asked CRS's axis order. */
function oriented(f: Feature, crs: Crs): Feature {
  return crs.latLon ? { ...f, geometry: swapAxes(f.geometry) } : f;
}

function toFeature(text: string, crs: Crs): Feature {
  return oriented(JSON.parse(text) as Feature, crs);
}

function run<T>(s: SqlSource, fn: () => Promise<T>): Promise<T> {
  return s.system ? asSystem(fn) : fn();
}

/**
 * A feature as GeoJSON text, written by concatenation: the properties by row_to_json of the row `x`
 * (propertiesJoin), the geometry by ST_AsGeoJSON as it is. json_build_object looked up every
 * argument's type on every row, and its `::json` on the geometry parsed ST_AsGeoJSON's text again
 * (features benchmark, issue 9: the 1,000 features of a page in about two thirds of the SQL time,
 * and no blanks around every key).
 */
function featureSql(s: SqlSource, geometry: string): string {
  return `'{"type":"Feature","id":' || to_json(${s.id})::text || ',"geometry":' || coalesce(${geometry}, 'null')
      || ',"properties":' || row_to_json(x)::text || '}'`;
}

/**
 * The properties as the row `x` of a LATERAL sub-select with no FROM: PostgreSQL pulls it up into
 * the query, so row_to_json(x) is written after the sort, for the page's rows only, without the
 * sub-plan a scalar sub-select ran per feature (~0.5 ms of a 1,000-feature page).
 */
function propertiesJoin(s: SqlSource, available: ReadonlySet<string>): string {
  return ` CROSS JOIN LATERAL (SELECT ${s.properties(available).map(([name, sql]) => `${sql} AS "${name}"`).join(', ')}) x`;
}

function featureQuery(s: SqlSource, sel: Selection, crs: Crs, available: ReadonlySet<string>, page: { limit: number; offset: number } | null): { text: string; values: unknown[] } {
  const p = new Params();
  const from = fromWhere(s, sel, p, propertiesJoin(s, available));
  const paging = page ? ` LIMIT ${p.add(page.limit, 'integer')} OFFSET ${p.add(page.offset, 'bigint')}` : '';
  const text = `SELECT ${featureSql(s, geometrySql(s.geom, crs, p))} AS feature${page ? ', count(*) OVER ()::int AS n' : ''}
    ${from} ORDER BY ${s.id}${paging}`;
  return { text, values: p.values };
}

/**
 * One page of a SQL collection and the number of all rows matching, from one scan: the count is a
 * window over every matching row, taken before the sort and LIMIT, and PostgreSQL writes the
 * features only for the rows of the page and joins them into one text (features benchmark, issue 9:
 * a second, counting query scanned the same rows again, and a thousand separate texts cost the
 * API more to receive and join than the one). A page past the end has no row to carry the count;
 * only then is it counted apart. `replica`: read from the streaming replica when it has replayed the
 * family's last change (db/replica.ts).
 */
export async function sqlItems(pool: Pool, s: SqlSource, q: ItemsQuery, policy: readonly unknown[], workingSrid: number, available: ReadonlySet<string>, replica: ReplicaSource | null = null): Promise<Page> {
  const sel: Selection = { query: q, policy, workingSrid };
  const rows = featureQuery(s, sel, q.crs, available, q);
  // in the order of the sorted sub-select: the aggregate's own ORDER BY sorted the page's texts
  // again (~4 ms); PostgreSQL keeps a sub-select's order into an aggregate with no join above it
  // (documented under Aggregate Expressions), and the integration tests check the page order
  // … numbered in that order too (row_number() over no window order counts the rows as they come)
  // and joined in parts of FEATURES_PER_PART: a whole page (~740 KB) as one string lived in V8's
  // large-object space, freed only by full collections; the parts are written out one by one
  const text = `SELECT string_agg(feature, ',' ORDER BY rn) AS part, count(*)::int AS returned, max(n)::int AS n
    FROM (SELECT feature, n, row_number() OVER () AS rn FROM (${rows.text}) q) page
    GROUP BY (rn - 1) / ${FEATURES_PER_PART} ORDER BY min(rn)`;
  type Read = { parts: string[]; returned: number; n: number };
  // the name stands for the text: one statement per query shape (collection, filters, columns, CRS)
  const statement = s.genericPlan ? { name: `items:${createHash('sha1').update(text).digest('base64url')}`, text, values: rows.values } : { text, values: rows.values };
  type Got = { part: string; returned: number; n: number };
  const pageRead = (got: Got[]): Read => ({ parts: got.map((g) => g.part), returned: got.reduce((sum, g) => sum + g.returned, 0), n: got[0]?.n ?? 0 });
  // an empty page past the end still tells how many there are
  const counted = async (c: Client): Promise<number> => {
    const p = new Params();
    return (await c.query<{ n: number }>(`SELECT count(*)::int AS n ${fromWhere(s, sel, p)}`, p.values)).rows[0]?.n ?? 0;
  };
  const read = async (c: Client): Promise<Read> => {
    const r = pageRead((await c.query<Got>(statement)).rows);
    return r.returned > 0 || q.offset === 0 ? r : { ...r, n: await counted(c) };
  };
  // a page is a small index scan: parallel workers cost more than they bring (as for tiles)
  const setting = s.genericPlan ? 'genericPage' : 'noParallel';
  if (replica) {
    const page = await run(s, () => replica.reads.read(replica.family, pool, read, setting));
    return { ...pageOf(page.value, q.crs), numberMatched: page.value.n, readFrom: page.from };
  }
  const page = await run(s, async () => {
    if (statement.name === undefined) return withTransaction(pool, read, setting);
    // one round trip: context, settings and the named page statement before one Sync (decision 116)
    const r = pageRead((await pipelinedRead<Got>(pool, 'genericPage', { ...statement, name: statement.name })).rows);
    // past the end the count comes from a transaction of its own (a page with rows carries its count)
    return r.returned > 0 || q.offset === 0 ? r : { ...r, n: await withTransaction(pool, counted) };
  });
  return { ...pageOf(page, q.crs), numberMatched: page.n };
}

function pageOf(r: { parts: string[]; returned: number }, crs: Crs): Pick<Page, 'parts' | 'returned' | 'features'> {
  const features = (): Feature[] => (JSON.parse(`[${r.parts.join(',')}]`) as Feature[]).map((f) => oriented(f, crs));
  return { parts: r.parts, returned: r.returned, features };
}

/** One feature of a SQL collection by id, or null when it does not exist for this caller. */
export async function sqlItem(pool: Pool, s: SqlSource, id: string, crs: Crs, policy: readonly unknown[], workingSrid: number, available: ReadonlySet<string>): Promise<Feature | null> {
  if (!s.idPattern.test(id)) return null;
  const sel: Selection = { query: EVERYTHING, policy, workingSrid, id: id.toLowerCase() };
  const q = featureQuery(s, sel, crs, available, null);
  const r = await run(s, () => pool.query<{ feature: string }>(q.text, q.values));
  const text = r.rows[0]?.feature;
  return text === undefined ? null : toFeature(text, crs);
}

/** The spatial (CRS84) and temporal extent of what the caller may read of a SQL collection. */
export async function sqlExtent(pool: Pool, s: SqlSource, policy: readonly unknown[], workingSrid: number): Promise<{ bbox: number[] | null; from: string | null; to: string | null }> {
  const p = new Params();
  const from = fromWhere(s, { query: EVERYTHING, policy, workingSrid }, p);
  const times = s.temporal ? `min(${s.temporal.start})::text AS "from", max(${s.temporal.end})::text AS "to"` : 'NULL::text AS "from", NULL::text AS "to"';
  const r = await run(s, () => pool.query<{ bbox: number[] | null; from: string | null; to: string | null }>(
    `SELECT CASE WHEN e IS NULL THEN NULL ELSE ARRAY[ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)] END AS bbox, "from", "to" FROM (
       SELECT ${boxToCrs84('ST_Extent(' + s.geom + ')', p.add(workingSrid, 'integer'))} AS e, ${times} ${from}) x`, p.values));
  return r.rows[0] ?? { bbox: null, from: null, to: null };
}

/** A box2d in the working CRS as a CRS84 geometry (densified, so the envelope of the result covers it). */
export const boxToCrs84 = (box: string, srid: string): string => `ST_Transform(ST_Segmentize(ST_SetSRID((${box})::geometry, ${srid}), 500), 4326)`;

/** A finding or bundle: its id, its works (the geometry) and its properties. */
export interface AnalysisRow {
  id: string;
  works: number[];
  properties: Record<string, unknown>;
}

/**
 * Findings and bundles with their works' geometry (collected), cut by the bbox, ordered by id:
 * the analysis gives hundreds, not millions, so the page is cut here.
 */
export async function analysisFeatures(pool: Pool, rows: readonly AnalysisRow[], q: Pick<ItemsQuery, 'bbox' | 'bboxCrs' | 'crs'>, workingSrid: number): Promise<Feature[]> {
  if (rows.length === 0) return [];
  const p = new Params();
  const input = p.add(JSON.stringify(rows.map((r) => ({ id: r.id, works: r.works }))), 'jsonb');
  const env = envelopeJoin(q, p, workingSrid);
  const r = await pool.query<{ id: string; geometry: string }>(
    `SELECT x.id, ${geometrySql('g.geom', q.crs, p)} AS geometry
     FROM jsonb_to_recordset(${input}) AS x(id text, works bigint[])
     CROSS JOIN LATERAL (SELECT ST_Collect(w.geom ORDER BY w.id) AS geom FROM work w WHERE w.id = ANY(x.works)) g
     ${env}
     WHERE g.geom IS NOT NULL ${env ? 'AND g.geom && f.env AND ST_Intersects(g.geom, f.env)' : ''}`, p.values);
  const geometryOf = new Map(r.rows.map((row) => [row.id, JSON.parse(row.geometry) as { type: string }]));
  return rows
    .filter((row) => geometryOf.has(row.id))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((row) => {
      const geometry = geometryOf.get(row.id) ?? null;
      return { type: 'Feature', id: row.id, geometry: q.crs.latLon ? swapAxes(geometry) : geometry, properties: row.properties };
    });
}
