/**
 * The SYNTHETIC city's planned works and dig moratoria go in through the product's own paths
 * (issue 9 §1), as its network layers do (city-import.ts):
 * - works: the generator's staged rows are written to a GeoJSON file (EPSG:28992, the API's
 *   property names, a `sourceId` per work) and loaded by `importWorksFile`, the function behind
 *   `npm run import -- --works` and the web works import: schema, windows, owners and places
 *   checked, all or nothing, history, and a moratorium generated for every finished
 *   reconstruction (from CITY_DAY, so the city stays the same whatever day it is built);
 * - moratoria: there is no file import of moratoria, so each staged one is checked by the API's
 *   schema (NewMoratorium, geometry in WGS84 as the API takes it) and written by the function
 *   behind `POST /api/moratoria`, with its history entry, in one transaction.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { createPool, withTransaction } from '../../api/src/db/pool.ts';
import { addHistory, insertMoratorium } from '../../api/src/db/repositories/works.ts';
import { asSystem, tenantPool } from '../../api/src/db/tenant-context.ts';
import { type WorksImportReport, importWorksFile } from '../../api/src/ingest/works/import-works.ts';
import { NewMoratorium } from '../../api/src/model/moratorium.ts';
import { BENCH_DIR } from './import.ts';

/** The day the city's finished reconstructions count as finished (their moratoria start then). */
export const CITY_DAY = '2026-01-01';

export interface CityPlanning {
  seed: number;
  size: number;
  /** staging tables the generator filled (shaped like work and moratorium); dropped afterwards */
  works: string;
  moratoria: string;
}

/** One GeoJSON feature per staged work, in file order (id), with the works import's property names. */
const WORK_FEATURES = (stage: string) => `
  SELECT json_build_object('type', 'Feature',
    'geometry', ST_AsGeoJSON(s.geom, 3)::json,
    'properties', json_build_object('sourceId', s.source_id, 'title', s.title, 'owner', o.slug, 'kind', s.kind, 'systems', s.systems,
      'status', s.status, 'opensGround', s.opens_ground, 'trenchWidth', s.trench_width, 'earliestStart', s.earliest_start,
      'preferredStart', s.preferred_start, 'preferredEnd', s.preferred_end, 'latestEnd', s.latest_end,
      'costEstimate', s.cost_estimate, 'confidentiality', s.confidentiality))::text AS f
  FROM ${stage} s JOIN organisation o ON o.id = s.owner_id ORDER BY s.id`;

const MORATORIUM_ROWS = (stage: string) => `
  SELECT owner_id, valid_from::text AS "from", valid_until::text AS until, reason, exceptions, ST_AsGeoJSON(ST_Transform(geom, 4326), 9)::json AS geometry
  FROM ${stage} ORDER BY id`;

async function writeWorksFile(db: pg.Client, p: CityPlanning): Promise<string> {
  const r = await db.query<{ f: string }>(WORK_FEATURES(p.works));
  const file = path.join(BENCH_DIR, `city-works-seed${p.seed}-n${p.size}.geojson`);
  const crs = '{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::28992"}}';
  await mkdir(BENCH_DIR, { recursive: true }); // a fresh checkout has no .data/bench yet
  await writeFile(file, `{"type":"FeatureCollection","crs":${crs},"features":[\n${r.rows.map((x) => x.f).join(',\n')}\n]}\n`);
  return file;
}

export async function importCityWorks(url: string, p: CityPlanning): Promise<{ file: string; works: WorksImportReport; moratoria: number }> {
  const db = new pg.Client({ connectionString: url, application_name: 'samenhang-bench-planning' });
  await db.connect();
  const pool = tenantPool(createPool(url, 2));
  try {
    await db.query(`SELECT set_config('samenhang.system', 'on', false)`);
    const file = await writeWorksFile(db, p);
    const works = await asSystem(() => importWorksFile(pool, file, 28992, {
      defaultOwner: null, allowedOwners: null, userId: null, orgId: null, finishedOn: CITY_DAY,
    }));
    const staged = await db.query<{ owner_id: number; from: string; until: string; reason: string; exceptions: string[]; geometry: unknown }>(MORATORIUM_ROWS(p.moratoria));
    const moratoria = await asSystem(() => withTransaction(pool, async (c) => {
      for (const row of staged.rows) {
        const m = NewMoratorium.parse({ from: row.from, until: row.until, reason: row.reason, exceptions: row.exceptions, geometry: row.geometry });
        const id = await insertMoratorium(c, row.owner_id, m);
        await addHistory(c, 'moratorium', { id, version: 1, userId: null, orgId: row.owner_id, action: 'created', changes: m });
      }
      return staged.rows.length;
    }));
    await db.query(`DROP TABLE ${p.works}; DROP TABLE ${p.moratoria}`);
    return { file: path.relative(process.cwd(), file), works, moratoria };
  } finally {
    await pool.end();
    await db.end();
  }
}
