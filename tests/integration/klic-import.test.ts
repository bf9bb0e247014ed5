/**
 * The KLIC importer against the six real Maasgouw deliveries and a real PostGIS.
 *
 * Expected numbers were computed independently of the importer, with a Python regex pass over the
 * unzipped GML (distinct gml:ids of cable/pipe objects per Utiliteitsnet theme and of point objects
 * Appurtenance/Kast/TechnischGebouw): 11,894 distinct objects in 18,861 delivered; 1,070 objects of
 * delivery 22G003179 appear again in 22O000514 (which holds 3,103).
 */
import { copyFile, readFile, writeFile, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importKlicZip } from '../../api/src/ingest/klic/import-klic.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

const KLIC = path.resolve(import.meta.dirname, '..', '..', 'data', 'klic-maasgouw');
const zip = (id: string) => path.join(KLIC, `Levering_${id}_1.zip`);
const ALL = ['22G003179', '22G003181', '22G003182', '22O000514', '22O000517', '22O000518'];

let db: TestDatabase;

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const r = await db.pool.query<{ n: number }>(sql, params);
  return r.rows[0]?.n ?? -1;
}

beforeAll(async () => {
  db = await createTestDatabase('it_klic');
});
afterAll(async () => {
  await db.drop();
});

describe('importing overlapping deliveries', () => {
  it('stores an object that is in two deliveries once and reports new/unchanged', async () => {
    const first = await importKlicZip(db.pool, zip('22G003179'), { srid: 28992 });
    expect(first.assets).toEqual({ new: 2235, updated: 0, unchanged: 0 });
    expect(first.works.new).toBe(1);

    const second = await importKlicZip(db.pool, zip('22O000514'), { srid: 28992 });
    expect(second.assets.new).toBe(3103 - 1070);
    expect(second.assets.new + second.assets.updated + second.assets.unchanged).toBe(3103);
    expect(await count('SELECT count(*)::int AS n FROM asset')).toBe(2235 + 2033);

    // An Enexis gas pipe that both deliveries contain.
    const gid = 'nl.imkl-KL1031.OGCP__gas_g_pipe_6499547023758906794_12201955';
    expect(await count('SELECT count(*)::int AS n FROM asset WHERE source_id = $1', [gid])).toBe(1);
  });

  it('re-importing the same delivery changes nothing', async () => {
    const before = await count('SELECT count(*)::int AS n FROM asset');
    const again = await importKlicZip(db.pool, zip('22G003179'), { srid: 28992 });
    expect(again.assets).toEqual({ new: 0, updated: 0, unchanged: 2235 });
    expect(again.works).toEqual({ new: 0, updated: 0, unchanged: 1 });
    expect(await count('SELECT count(*)::int AS n FROM asset')).toBe(before);
  });

  it('all six deliveries give every distinct object once, per vital system', async () => {
    for (const id of ALL) await importKlicZip(db.pool, zip(id), { srid: 28992 });
    expect(await count('SELECT count(*)::int AS n FROM asset')).toBe(11894);
    expect(await count('SELECT count(*)::int AS n FROM work')).toBe(6);
    const r = await db.pool.query<{ system: string; n: number }>(
      "SELECT system, count(*)::int AS n FROM asset WHERE asset_class NOT IN ('Appurtenance','Kast','TechnischGebouw') GROUP BY system",
    );
    const lines = Object.fromEntries(r.rows.map((x) => [x.system, x.n]));
    expect(lines).toEqual({
      gas_hd: 14,
      gas_ld: 1557,
      elektriciteit_ls: 2081 - 417,
      elektriciteit_ms: 146,
      riool_pers: 4,
      riool_vrijverval: 915,
      drinkwater: 1114,
      verlichting: 11 + 417,
    });
    // 417 distinct Enexis LV cables described "... met functie OV" (street lighting) count as lighting.
    // Street lights are Appurtenances of type streetLight (263 distinct, all Enexis in this area).
    expect(await count("SELECT count(*)::int AS n FROM asset WHERE system = 'verlichting' AND label = 'streetLight'")).toBe(263);
    expect(await count("SELECT count(*)::int AS n FROM asset WHERE label = 'kolk'")).toBe(900);
  });

  it('keeps the attributes of a known cable and its owner', async () => {
    const r = await db.pool.query(
      `SELECT a.system, a.theme, a.material, a.diameter_mm, a.status, a.in_service_date, a.in_service_year, a.pressure_bar,
              o.klic_code, o.kind, ST_NPoints(a.geom) AS npoints, ST_SRID(a.geom) AS srid
       FROM asset a JOIN organisation o ON o.id = a.owner_id WHERE a.source_id = $1`,
      ['nl.imkl-KL1031.OGCP__gas_g_pipe_6499547023758906794_12201955'],
    );
    expect(r.rows[0]).toMatchObject({
      system: 'gas_ld',
      theme: 'gasLageDruk',
      material: 'steel',
      diameter_mm: 80,
      status: 'disused',
      in_service_date: '1972-12-25',
      in_service_year: 1972,
      pressure_bar: 0,
      klic_code: 'KL1031',
      kind: 'netbeheerder',
      srid: 28992,
    });
    expect(r.rows[0].npoints).toBeGreaterThanOrEqual(2);
  });

  it('takes the in-service year from validFrom, but not from the placeholder dates operators use for "unknown"', async () => {
    const r = await db.pool.query<{ d: string; y: number | null; n: number }>(
      `SELECT in_service_date::text AS d, in_service_year AS y, count(*)::int AS n FROM asset
       WHERE in_service_date IN ('0001-01-01', '1700-01-01', '1800-01-01', '1900-01-01', '1957-01-01') GROUP BY 1, 2 ORDER BY 1`);
    const byDate = Object.fromEntries(r.rows.map((x) => [x.d, x.y]));
    expect(byDate['1957-01-01']).toBe(1957);
    expect(byDate['1900-01-01']).toBeNull();
    expect(byDate['0001-01-01']).toBeNull();
    expect(r.rows.filter((x) => x.d !== '1957-01-01').every((x) => x.y === null)).toBe(true);
  });

  it('turns the request polygon into a planned work', async () => {
    const r = await db.pool.query(
      "SELECT request_type, work_kinds, street, place, ST_GeometryType(geom) AS t FROM work WHERE source_id LIKE '%22O000514'",
    );
    expect(r.rows[0]).toMatchObject({ request_type: 'orientatieverzoek', street: 'Parklaan', place: 'Maasbracht', t: 'ST_Polygon' });
    expect(r.rows[0].work_kinds).toEqual(['heien', 'hekwerkPlaatsen', 'hovenierswerkzaamheden']);
  });
});

describe('bad deliveries are rejected whole', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'samenhang-klic-'));
  });

  it('a truncated zip names the file and writes nothing', async () => {
    const bytes = await readFile(zip('22G003182'));
    const broken = path.join(tmp, 'Levering_kapot.zip');
    await writeFile(broken, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const datasets = await count('SELECT count(*)::int AS n FROM dataset');
    const assets = await count('SELECT count(*)::int AS n FROM asset');
    await expect(importKlicZip(db.pool, broken, { srid: 28992 })).rejects.toThrow(/Levering_kapot\.zip/);
    expect(await count('SELECT count(*)::int AS n FROM dataset')).toBe(datasets);
    expect(await count('SELECT count(*)::int AS n FROM asset')).toBe(assets);
  });

  it('a file that is not a zip at all names the file', async () => {
    const notZip = path.join(tmp, 'Levering_tekst.zip');
    await copyFile(path.join(KLIC, '..', 'README.md'), notZip);
    await expect(importKlicZip(db.pool, notZip, { srid: 28992 })).rejects.toThrow(/Levering_tekst\.zip/);
  });
});

describe('malformed GML inside a valid zip', () => {
  it('names the file and the GML entry, and writes nothing of the delivery', async () => {
    const { unzipSync, zipSync } = await import('fflate');
    const entries = unzipSync(new Uint8Array(await readFile(zip('22O000518'))));
    const [name, gml] = Object.entries(entries).find(([n]) => n.endsWith('.xml')) ?? [];
    if (!name || !gml) throw new Error('no GML entry in the real delivery');
    const cut = gml.subarray(0, Math.floor(gml.length / 2));
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'samenhang-gml-'));
    const bad = path.join(tmp, 'Levering_halve_gml.zip');
    await writeFile(bad, zipSync({ [name]: cut }));
    const before = await db.pool.query('SELECT (SELECT count(*) FROM asset) AS a, (SELECT count(*) FROM dataset) AS d, (SELECT max(updated_at) FROM asset) AS u');
    await expect(importKlicZip(db.pool, bad, { srid: 28992 })).rejects.toThrow(/Levering_halve_gml\.zip.*GI_gebiedsinformatielevering/s);
    const after = await db.pool.query('SELECT (SELECT count(*) FROM asset) AS a, (SELECT count(*) FROM dataset) AS d, (SELECT max(updated_at) FROM asset) AS u');
    expect(after.rows[0]).toEqual(before.rows[0]);
  });
});
