/**
 * Planned works and moratoria in the database: reading one as the API shows it, the footprint,
 * history rows, and the moratorium that a finished reconstruction generates. Every function takes
 * a pool or a client inside a transaction (the caller's row-security context applies).
 */
import type pg from 'pg';
import { DEFAULT_MORATORIUM_YEARS, MORATORIUM_TRIGGER_KINDS } from '../../model/moratorium.ts';

export type Db = Pick<pg.Pool | pg.PoolClient, 'query'>;
export type Row = Record<string, unknown> & { version: number };

export const WORK_COLUMNS = `
  w.id, w.title, w.kind, w.work_kinds AS "workKinds", w.request_type AS "requestType",
  w.start_date AS "startDate", w.end_date AS "endDate", w.request_date AS "requestDate",
  w.street, w.place, w.description, o.name AS requester, w.source_id AS "sourceId", w.source_kind AS "sourceKind",
  o.slug AS owner, o.name AS "ownerName", w.systems, w.status, w.opens_ground AS "opensGround",
  w.trench_width AS "trenchWidth", w.earliest_start AS "earliestStart", w.preferred_start AS "preferredStart",
  w.preferred_end AS "preferredEnd", w.latest_end AS "latestEnd", w.cost_estimate::float8 AS "costEstimate",
  w.contact, w.confidentiality, w.version`;

export const MORATORIUM_COLUMNS = `
  m.id, m.valid_from AS "from", m.valid_until AS "until", m.reason, m.exceptions, o.slug AS owner, o.name AS "ownerName",
  m.source_work_id AS "sourceWorkId", m.confidentiality, m.version`;

/**
 * The footprint of a work in the working CRS: its polygon, or its line buffered by half its
 * trench width (1 m when not given), flat ends. `alias` is the work row.
 */
export const footprintSql = (alias: string): string =>
  `(CASE WHEN ST_Dimension(${alias}.geom) = 2 THEN ${alias}.geom
     ELSE ST_Buffer(${alias}.geom, coalesce(${alias}.trench_width, 1) / 2, 'endcap=flat join=round') END)`;

/** The raw row, kept in the history of a deleted item so that undo restores it exactly (same id). */
export const rowStateSql = (table: 'work' | 'moratorium'): string => `SELECT to_jsonb(t) AS row FROM ${table} t WHERE t.id = $1`;

export async function readWorkRow(db: Db, id: number, readable: string, params: unknown[]): Promise<Row | null> {
  const r = await db.query<Row>(
    `SELECT ${WORK_COLUMNS}, ST_AsGeoJSON(ST_Transform(w.geom, 4326), 7)::json AS geometry
     FROM work w LEFT JOIN organisation o ON o.id = w.owner_id WHERE w.id = $1 AND ${readable}`, [id, ...params]);
  return r.rows[0] ?? null;
}

export async function readMoratoriumRow(db: Db, id: number, readable: string, params: unknown[]): Promise<Row | null> {
  const r = await db.query<Row>(
    `SELECT ${MORATORIUM_COLUMNS}, ST_AsGeoJSON(ST_Transform(m.geom, 4326), 7)::json AS geometry
     FROM moratorium m LEFT JOIN organisation o ON o.id = m.owner_id WHERE m.id = $1 AND ${readable}`, [id, ...params]);
  return r.rows[0] ?? null;
}

export interface HistoryEntry {
  id: number;
  version: number;
  userId: number | null;
  orgId: number | null;
  action: 'created' | 'updated' | 'deleted' | 'restored' | 'imported' | 'generated';
  changes: unknown;
  rowState?: unknown;
}

export async function addHistory(db: Db, table: 'work' | 'moratorium', e: HistoryEntry): Promise<void> {
  await db.query(
    `INSERT INTO ${table}_history (${table}_id, version, user_id, org_id, action, changes, row_state) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [e.id, e.version, e.userId, e.orgId, e.action, JSON.stringify(e.changes), e.rowState === undefined ? null : JSON.stringify(e.rowState)]);
}

async function moratoriumYears(db: Db): Promise<number> {
  const r = await db.query<{ value: string }>("SELECT value FROM app_setting WHERE key = 'moratorium_years'");
  const years = Number(r.rows[0]?.value);
  return Number.isFinite(years) && years > 0 ? years : DEFAULT_MORATORIUM_YEARS;
}

/**
 * A reconstruction or redesign marked finished ('gereed') puts its footprint under a moratorium
 * from `finished` for the configured term. Once per work (a second 'gereed' changes nothing).
 * Returns the new moratorium's id, or null when none was made.
 */
export async function generateMoratorium(db: Db, workId: number, finished: string, who: { userId: number | null; orgId: number | null }): Promise<number | null> {
  const years = await moratoriumYears(db);
  const r = await db.query<{ id: number; version: number }>(
    `INSERT INTO moratorium (owner_id, source_work_id, valid_from, valid_until, reason, exceptions, confidentiality, geom)
     SELECT w.owner_id, w.id, $2::date, ($2::date + make_interval(years => $3))::date,
            'Graafrust na ' || w.kind || ': ' || w.title, ARRAY['spoed', 'nieuwe aansluiting'],
            CASE WHEN w.confidentiality = 'C0' THEN 'C0' ELSE 'C1' END, ${footprintSql('w')}
     FROM work w WHERE w.id = $1 AND w.kind = ANY($4) AND w.status = 'gereed' AND w.owner_id IS NOT NULL
     ON CONFLICT (source_work_id) DO NOTHING RETURNING id, version`,
    [workId, finished, years, MORATORIUM_TRIGGER_KINDS]);
  const made = r.rows[0];
  if (!made) return null;
  await addHistory(db, 'moratorium', { id: made.id, version: 1, ...who, action: 'generated', changes: { fromWork: workId, years } });
  return made.id;
}

/** A new moratorium (geometry in WGS84, as the API takes it); returns its id. The caller writes its history entry. */
export async function insertMoratorium(
  db: Db, ownerId: number, m: { from: string; until: string; reason: string; exceptions: readonly string[]; geometry: unknown },
): Promise<number> {
  const r = await db.query<{ id: number }>(
    `INSERT INTO moratorium (owner_id, valid_from, valid_until, reason, exceptions, geom)
     VALUES ($1, $2, $3, $4, $5, ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON($6), 4326), (SELECT value::int FROM app_setting WHERE key = 'working_srid')))
     RETURNING id`, [ownerId, m.from, m.until, m.reason, m.exceptions, JSON.stringify(m.geometry)]);
  const id = r.rows[0]?.id;
  if (id === undefined) throw new Error('moratorium insert returned no id');
  return id;
}
