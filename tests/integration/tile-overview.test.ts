/**
 * Low-zoom overviews (issue 9, migration 020) against PostGIS and the real tile endpoint: a load
 * builds its layer's overview; below z14 a dense layer is drawn as cells with counts and density
 * and a sparse one (the real KLIC delivery of Maasgouw) as merged lines without feature ids; a layer
 * whose overview is not built yet is drawn from its rows; and a caller whose rights are bound to
 * an area never sees a summary of what lies outside it. The dense layer is SYNTHETIC (4,000 short
 * lines written by the test: density is what matters here).
 */
import path from 'node:path';
import type { Feature, Geometry } from 'geojson';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importKlicZip } from '../../api/src/ingest/klic/import-klic.ts';
import { loadSource } from '../../api/src/ingest/load/load-layer.ts';
import type { OpenedSource, SourceFeature } from '../../api/src/ingest/formats/types.ts';
import { EMPTY_MAPPING } from '../../api/src/model/asset-mapping.ts';
import type { ImportReport } from '../../api/src/ingest/load/report.ts';
import { buildMissingOverviews, buildOverview } from '../../api/src/db/overview.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { TEST_PASSWORD, areaWideAnalyst, userToken } from '../helpers/auth.ts';

const DATA = path.resolve(import.meta.dirname, '..', '..', 'data');
const N = 4000;
const X0 = 188_600; // a 400 m square of SYNTHETIC heat mains, 250 per 100 m cell (dense at every level), 1 km west of the KLIC delivery
const Y0 = 350_600;
const DENSE_EDGE = X0 + 200; // the half-area analyst's area: the west half of the square …
const KLIC_EDGE = 190_110; // … and the west half of the KLIC delivery (x 189,989 – 190,236)

let db: TestDatabase;
let server: TestServer;
let wide = '';
let owner = ''; // an analyst of the organisation that owns the SYNTHETIC layer
let half = '';
let outsider = '';
let dense: ImportReport;

function denseSource(): OpenedSource {
  const features: SourceFeature[] = Array.from({ length: N }, (_, i) => ({
    index: i + 1,
    geometry: { type: 'LineString', coordinates: [[X0 + (i % 40) * 10, Y0 + Math.floor(i / 40) * 4], [X0 + (i % 40) * 10 + 8, Y0 + Math.floor(i / 40) * 4 + 2]] },
    properties: { id: `d${i}` },
  }));
  return {
    format: 'geojson', fileName: 'synthetic-dense.geojson', layerName: 'synthetic-dense',
    crs: { epsg: 28992, source: 'geojson-crs', guessed: false, detail: 'test' },
    fields: [{ name: 'id', type: 'string' }], featureCountHint: N,
    async *features() {
      for (let i = 0; i < features.length; i += 500) yield features.slice(i, i + 500);
    },
    progress: () => ({ bytesRead: 0, bytesTotal: 0 }),
    close: async () => undefined,
  };
}

beforeAll(async () => {
  db = await createTestDatabase('it_tile_overview');
  await importKlicZip(db.pool, path.join(DATA, 'klic-maasgouw', 'Levering_22G003179_1.zip'), { srid: 28992 });
  const ownerOrg = await db.pool.query<{ id: number }>(
    "INSERT INTO organisation (name, kind, slug) VALUES ('Synthetisch netbedrijf', 'netbeheerder', 'syn-net') RETURNING id");
  dense = await loadSource(db.pool, denseSource(), {
    srid: 28992, layerName: 'synthetic-dense', invalid: 'skip', datasetOwnerId: ownerOrg.rows[0]?.id,
    mapping: { ...EMPTY_MAPPING, system: { value: 'warmte' }, sourceId: { field: 'id' } },
  });
  await db.pool.query("UPDATE dataset SET confidentiality = 'C3' WHERE id = $1", [dense.layer.datasetId]);
  wide = await areaWideAnalyst(db.pool, 'wide@samenhang.test');
  owner = await userToken(db.pool, { slug: 'syn-net', name: 'Synthetisch netbedrijf', kind: 'netbeheerder' }, 'analyst', 'owner@samenhang.test');
  half = await userToken(db.pool, { slug: 'half', name: 'Halve wijk', kind: 'gemeente' }, 'analyst', 'half@samenhang.test');
  await db.pool.query(
    `INSERT INTO area_assignment (user_id, name, geom, valid_until)
     SELECT u.id, 'west', ST_Multi(ST_Union(ST_MakeEnvelope($1 - 10, $2 - 10, $3, $2 + 410, 28992), ST_MakeEnvelope(189900, 350600, $4, 351100, 28992))),
            current_date + 30
     FROM app_user u WHERE u.email = 'half@samenhang.test'`, [X0, Y0, DENSE_EDGE, KLIC_EDGE]);
  outsider = await userToken(db.pool, { slug: 'buiten', name: 'Buitenstaander', kind: 'overig' }, 'analyst', 'out@samenhang.test');
  server = await startTestServer(db.pool);
  expect(TEST_PASSWORD).toBeTruthy();
});
afterAll(async () => {
  await server?.close();
  await db.drop();
});

/** The z/x/y tile that holds an RD point. */
async function tileAt(z: number, x: number, y: number): Promise<[number, number]> {
  const r = await db.pool.query<{ lon: number; lat: number }>(
    'SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_Transform(ST_SetSRID(ST_MakePoint($1, $2), 28992), 4326) AS p) q', [x, y]);
  const { lon, lat } = r.rows[0] ?? { lon: 0, lat: 0 };
  const rad = (lat * Math.PI) / 180;
  return [Math.floor(((lon + 180) / 360) * 2 ** z), Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * 2 ** z)];
}

async function tile(layer: string, z: number, x: number, y: number, token: string): Promise<Feature<Geometry>[]> {
  const res = await fetch(`${server.baseUrl}/tiles/${layer}/${z}/${x}/${y}.mvt`, { headers: { authorization: `Bearer ${token}` } });
  if (res.status === 204) return [];
  expect(res.status).toBe(200);
  const l = new VectorTile(new PbfReader(new Uint8Array(await res.arrayBuffer()))).layers[layer];
  return Array.from({ length: l?.length ?? 0 }, (_, i) => l!.feature(i).toGeoJSON(x, y, z) as Feature<Geometry>);
}

const coords = (g: Geometry): number[][] => (g.type === 'GeometryCollection' ? g.geometries.flatMap(coords) : (g.coordinates as unknown[]).flat(3) as unknown as number[][]);
function lonsOf(g: Geometry): number[] {
  const flat = coords(g) as unknown as number[];
  return flat.filter((_, i) => i % 2 === 0);
}

async function denseTile(z: number, token: string): Promise<Feature<Geometry>[]> {
  const [x, y] = await tileAt(z, X0 + 200, Y0 + 200);
  const [x2, y2] = await tileAt(z, X0 + 400, Y0);
  expect([x2, y2], 'the SYNTHETIC square lies inside one tile').toEqual([x, y]);
  return tile('warmte', z, x, y, token);
}

describe('low-zoom overview', () => {
  it('is built by the load: three levels, every feature counted once per level', async () => {
    expect(dense.phasesMs?.overview).toBeGreaterThanOrEqual(0);
    const r = await db.pool.query<{ level: number; n: number; cells: number }>(
      `SELECT level, sum(n)::int AS n, count(*) FILTER (WHERE cell)::int AS cells FROM asset_overview WHERE dataset_id = $1 GROUP BY level ORDER BY level`,
      [dense.layer.datasetId]);
    expect(r.rows).toEqual([{ level: 1, n: N, cells: 16 }, { level: 2, n: N, cells: expect.any(Number) }, { level: 3, n: N, cells: expect.any(Number) }]);
    const ds = await db.pool.query('SELECT count(*)::int AS n FROM dataset WHERE overview_at IS NULL');
    expect(ds.rows[0].n).toBe(0); // the KLIC delivery's too
  });

  it('draws a dense layer below z14 as cells with count and density, and single features from z14', async () => {
    const z12 = await denseTile(12, owner);
    const cells = z12.filter((f) => f.properties?.cell === true);
    expect(cells.length).toBe(16);
    expect(cells.reduce((s, f) => s + Number(f.properties?.n), 0)).toBe(N);
    for (const c of cells) {
      expect(c.geometry.type).toBe('Polygon');
      expect(c.properties?.id).toBeUndefined();
      expect(Number(c.properties?.m_per_ha)).toBeGreaterThan(1000); // 250 lines of 8.9 m in one hectare
    }
    const z10 = await denseTile(10, owner);
    expect(z10.reduce((s, f) => s + Number(f.properties?.n), 0)).toBe(N);
    const z14 = await denseTile(14, owner);
    expect(z14.length).toBe(N);
    expect(z14.every((f) => typeof f.properties?.id === 'number')).toBe(true);
  });

  it('draws the sparse real KLIC medium-voltage cables as merged lines without feature ids', async () => {
    const r = await db.pool.query<{ x: number; y: number; n: number }>(
      "SELECT ST_X(ST_Centroid(ST_Extent(geom))) AS x, ST_Y(ST_Centroid(ST_Extent(geom))) AS y, count(*)::int AS n FROM asset WHERE system = 'elektriciteit_ms'");
    const { x, y, n } = r.rows[0] ?? { x: 0, y: 0, n: 0 };
    const [tx, ty] = await tileAt(12, x, y);
    const features = await tile('elektriciteit_ms', 12, tx, ty, wide);
    expect(features.length).toBeGreaterThan(0);
    expect(features.length).toBeLessThan(n); // 32 cables, merged per 100 m cell
    for (const f of features) {
      expect(f.properties?.id).toBeUndefined();
      expect(Number(f.properties?.n)).toBeGreaterThanOrEqual(1);
    }
    expect(features.some((f) => f.properties?.cell === false && /LineString/.test(f.geometry.type))).toBe(true);
  });

  it('draws a layer whose overview is not built yet from its rows, and the overview again once built', async () => {
    await db.pool.query('UPDATE dataset SET overview_at = NULL WHERE id = $1', [dense.layer.datasetId]);
    await new Promise((r) => setTimeout(r, 300)); // NOTIFY moves the cached tiles out
    const pending = await denseTile(12, owner);
    expect(pending.length).toBe(N);
    expect(pending.every((f) => typeof f.properties?.id === 'number')).toBe(true);
    const built = await buildOverview(db.pool, dense.layer.datasetId);
    expect(built.rows).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 300));
    const again = await denseTile(12, owner);
    expect(again.filter((f) => f.properties?.cell === true).length).toBe(16);
  });

  it('builds at start-up what is missing, and a rebuild replaces rather than adds', async () => {
    await db.pool.query('UPDATE dataset SET overview_at = NULL WHERE id = $1', [dense.layer.datasetId]);
    const logged: string[] = [];
    const built = await buildMissingOverviews(db.pool, (m) => logged.push(m));
    expect(built.map((b) => b.datasetId)).toEqual([dense.layer.datasetId]);
    expect(logged).toEqual([]);
    await Promise.all([buildOverview(db.pool, dense.layer.datasetId), buildOverview(db.pool, dense.layer.datasetId)]);
    const r = await db.pool.query<{ n: number }>('SELECT sum(n)::int AS n FROM asset_overview WHERE dataset_id = $1 AND level = 1', [dense.layer.datasetId]);
    expect(r.rows[0]?.n).toBe(N);
  });

  it('shows an area-bound caller only what lies inside its area: clipped lines, whole cells', async () => {
    const lonOf = async (x: number, y: number) => (await db.pool.query<{ lon: number }>(
      'SELECT ST_X(ST_Transform(ST_SetSRID(ST_MakePoint($1, $2), 28992), 4326)) AS lon', [x, y])).rows[0]?.lon ?? 0;
    let seen = 0;
    for (const [layer, x, y] of [['warmte', DENSE_EDGE, Y0 + 200], ['gas_ld', KLIC_EDGE, 350_850]] as const) {
      const edgeLon = await lonOf(x, y);
      for (const z of [10, 12]) {
        const [tx, ty] = await tileAt(z, x, y);
        const all = await tile(layer, z, tx, ty, layer === 'warmte' ? owner : wide);
        const mine = await tile(layer, z, tx, ty, half);
        seen += mine.length;
        expect(mine.length).toBeLessThanOrEqual(all.length);
        // one tile unit of rounding (≈ 10 m at z10) beyond the area's edge at most
        for (const f of mine) expect(Math.max(...lonsOf(f.geometry))).toBeLessThanOrEqual(edgeLon + 0.0002);
        expect(await tile(layer, z, tx, ty, outsider)).toEqual([]);
      }
    }
    expect(seen).toBeGreaterThan(0);
  });
});
