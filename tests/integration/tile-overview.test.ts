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
const N = 20_000;
const SPARSE = 12; // … and a row of single mains 200 m south of it, one per 100 m cell
const X0 = 188_600; // a 400 m square of SYNTHETIC heat mains, 1,250 per 100 m cell (dense at every level), 1 km west of the KLIC delivery
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
  const features: SourceFeature[] = Array.from({ length: N + SPARSE }, (_, i) => ({
    index: i + 1,
    geometry: i < N
      ? { type: 'LineString', coordinates: [[X0 + (i % 50) * 8, Y0 + Math.floor(i / 50)], [X0 + (i % 50) * 8 + 6, Y0 + Math.floor(i / 50) + 0.5]] }
      : { type: 'LineString', coordinates: [[X0 - 600 + (i - N) * 100 + 20, Y0 - 150], [X0 - 600 + (i - N) * 100 + 60, Y0 - 150]] },
    properties: { id: `d${i}` },
  }));
  return {
    format: 'geojson', fileName: 'synthetic-dense.geojson', layerName: 'synthetic-dense',
    crs: { epsg: 28992, source: 'geojson-crs', guessed: false, detail: 'test' },
    fields: [{ name: 'id', type: 'string' }], featureCountHint: N + SPARSE,
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
    const all = N + SPARSE;
    expect(r.rows).toEqual([{ level: 1, n: all, cells: 16 }, { level: 2, n: all, cells: expect.any(Number) }, { level: 3, n: all, cells: expect.any(Number) }]);
    const ds = await db.pool.query('SELECT count(*)::int AS n FROM dataset WHERE overview_at IS NULL');
    expect(ds.rows[0].n).toBe(0); // the KLIC delivery's too
  });

  it('analyses the new partition first, so the sparse cells are joined by the index, not a hash on the system', async () => {
    const stats = await db.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_stats WHERE tablename = $1 AND attname IN ('system', 'owner_id', 'geom')", [`asset_file_${dense.layer.datasetId}`]);
    expect(stats.rows[0]?.n).toBe(3);
  });

  it('draws a dense layer below z14 as cells with count and density, and single features from z14', async () => {
    const z12 = await denseTile(12, owner);
    const cells = z12.filter((f) => f.properties?.cell === true);
    expect(cells.length).toBe(16);
    expect(cells.reduce((s, f) => s + Number(f.properties?.n), 0)).toBe(N);
    for (const c of cells) {
      expect(c.geometry.type).toBe('Polygon');
      expect(c.properties?.id).toBeUndefined();
      expect(Number(c.properties?.m_per_ha)).toBeGreaterThan(1000); // 1,250 lines of 6 m in one hectare
    }
    // the single mains in their own cells: merged lines, no ids
    const merged = z12.filter((f) => f.properties?.cell === false);
    expect(merged.reduce((s, f) => s + Number(f.properties?.n), 0)).toBe(SPARSE);
    expect(merged.every((f) => /LineString/.test(f.geometry.type) && f.properties?.id === undefined)).toBe(true);
    const z10 = await denseTile(10, owner);
    expect(z10.reduce((s, f) => s + Number(f.properties?.n), 0)).toBe(N + SPARSE);
    const z14 = await denseTile(14, owner);
    expect(z14.length).toBeGreaterThanOrEqual(N); // the whole square, and those of the single mains in this tile
    expect(z14.length).toBeLessThanOrEqual(N + SPARSE);
    expect(z14.every((f) => typeof f.properties?.id === 'number')).toBe(true);
  });

  it('still draws a sparse tile below z14 feature by feature (the real KLIC delivery: clickable pipes)', async () => {
    const r = await db.pool.query<{ x: number; y: number; n: number }>(
      "SELECT ST_X(ST_Centroid(ST_Extent(geom))) AS x, ST_Y(ST_Centroid(ST_Extent(geom))) AS y, count(*)::int AS n FROM asset WHERE system = 'gas_ld'");
    const { x, y, n } = r.rows[0] ?? { x: 0, y: 0, n: 0 };
    const [tx, ty] = await tileAt(12, x, y);
    const features = await tile('gas_ld', 12, tx, ty, wide);
    // 683 gas pipes, far below the 8,000 that switch a tile to the overview; the shortest collapse to
    // nothing at z12's resolution (as at any zoom)
    expect(features.length).toBeGreaterThan(n * 0.8);
    expect(features.length).toBeLessThanOrEqual(n);
    expect(features.every((f) => typeof f.properties?.id === 'number' && f.properties?.cell === undefined)).toBe(true);
  });

  it('draws a layer whose overview is not built yet from its rows, and the overview again once built', async () => {
    await db.pool.query('UPDATE dataset SET overview_at = NULL WHERE id = $1', [dense.layer.datasetId]);
    await new Promise((r) => setTimeout(r, 300)); // NOTIFY moves the cached tiles out
    const pending = await denseTile(12, owner);
    expect(pending.length).toBe(N + SPARSE);
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
    expect(r.rows[0]?.n).toBe(N + SPARSE);
  });

  it('shows an area-bound caller only what lies inside its area: clipped lines, whole cells', async () => {
    const lonOf = async (x: number, y: number) => (await db.pool.query<{ lon: number }>(
      'SELECT ST_X(ST_Transform(ST_SetSRID(ST_MakePoint($1, $2), 28992), 4326)) AS lon', [x, y])).rows[0]?.lon ?? 0;
    let seen = 0;
    let summaries = 0;
    for (const [layer, x, y] of [['warmte', DENSE_EDGE, Y0 + 200], ['gas_ld', KLIC_EDGE, 350_850]] as const) {
      const edgeLon = await lonOf(x, y);
      for (const z of [10, 12]) {
        const [tx, ty] = await tileAt(z, x, y);
        // (the half-area caller may get single features where the owner gets the overview: it reads fewer)
        const mine = await tile(layer, z, tx, ty, half);
        seen += mine.length;
        // one tile unit of rounding (≈ 10 m at z10) beyond the area's edge at most
        for (const f of mine) {
          const lons = lonsOf(f.geometry);
          // a summary (no id) lies inside the area; a single feature (a sparse tile) at least touches it
          if (f.properties?.id === undefined) expect(Math.max(...lons)).toBeLessThanOrEqual(edgeLon + 0.0002);
          else expect(Math.min(...lons)).toBeLessThanOrEqual(edgeLon + 0.0002);
          summaries += f.properties?.id === undefined ? 1 : 0;
        }
        expect(await tile(layer, z, tx, ty, outsider)).toEqual([]);
      }
    }
    expect(seen).toBeGreaterThan(0);
    expect(summaries).toBeGreaterThan(0); // the dense square is summarised for this caller too
  });
});
