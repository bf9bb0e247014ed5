/**
 * A load staged on worker threads (api/src/ingest/load/parallel-stage.ts) must store and report
 * exactly what the same load on one thread does: every row (feature number, source id, mapped
 * columns, attributes, geometry), the rejected and repaired features with their reasons, the
 * renamed repeats, the owners made from the data. Compared side by side on a real PostGIS, with
 * chunks of a few features so that many chunk borders and every worker are crossed. The GeoJSON
 * here is SYNTHETIC (written by the test: hostile geometries, repeated ids, owners named in the
 * data); the GeoPackage, Shapefile and FlatGeobuf are the real fixtures of tests/fixtures/formats.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../api/src/ingest/formats/index.ts';
import { ImportInputError } from '../../api/src/ingest/formats/types.ts';
import { type LoadOptions, loadSource } from '../../api/src/ingest/load/load-layer.ts';
import type { ImportReport } from '../../api/src/ingest/load/report.ts';
import { EMPTY_MAPPING, type AssetMapping } from '../../api/src/model/asset-mapping.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

const FIXTURES = path.resolve(import.meta.dirname, '..', 'fixtures', 'formats');
const dir = mkdtempSync(path.join(tmpdir(), 'parallel-stage-'));
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('it_parallel');
});
afterAll(async () => {
  await db.drop();
  rmSync(dir, { recursive: true, force: true });
});

const MAPPING: AssetMapping = {
  ...EMPTY_MAPPING, system: { value: 'elektriciteit_ls' }, sourceId: { field: 'id' }, owner: { field: 'beheerder' }, material: { field: 'mat' },
  inServiceYear: { field: 'jaar' }, label: { field: 'naam' },
};

/**
 * SYNTHETIC: 97 features; every 7th a bow-tie polygon, every 11th a one-point line, every 13th far
 * outside the Netherlands, ids repeating every 40. The broken file has 400 features padded to ~10 KB,
 * so that its broken feature 390 lies beyond what opening the file reads (200 features, whole MBs).
 */
function syntheticGeoJson(broken = false): string {
  const pad = broken ? 'x'.repeat(10_000) : '';
  const features: string[] = [];
  for (let i = 1; i <= (broken ? 400 : 97); i++) {
    const x = 155000 + i * 3;
    const y = 463000 + (i % 9) * 4;
    let geometry: unknown = { type: 'LineString', coordinates: [[x, y], [x + 2.5, y + 1.25], [x + 5, y]] };
    if (i % 7 === 0) geometry = { type: 'Polygon', coordinates: [[[x, y], [x + 10, y + 10], [x + 10, y], [x, y + 10], [x, y]]] };
    else if (i % 11 === 0) geometry = { type: 'LineString', coordinates: [[x, y]] };
    else if (i % 13 === 0) geometry = { type: 'LineString', coordinates: [[x * 10, y], [x * 10 + 1, y]] };
    else if (i % 17 === 0) geometry = { type: 'Polygon', coordinates: [[[x, y], [x + 4, y], [x + 4, y + 4], [x, y + 4], [x, y]]] };
    const props = { id: `k${i % 40}`, beheerder: `Netbeheer ${String.fromCharCode(65 + (i % 5))} (synthetisch)`, mat: i % 2 ? 'XLPE' : 'PVC\tmet tab', jaar: 1960 + (i % 60), naam: `kabel ‘${i}’`, extra: { n: i }, ...(pad ? { pad } : {}) };
    features.push(broken && i === 390 ? '{"type":"Feature","properties":{"id":' : JSON.stringify({ type: 'Feature', properties: props, geometry }));
  }
  return `{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::28992"}},"features":[\n${features.join(',\n')}\n]}`;
}

interface Row {
  feature_no: number;
  source_id: string;
  [column: string]: unknown;
}

async function rows(datasetId: number): Promise<Row[]> {
  const r = await db.pool.query<Row>(`
    SELECT feature_no, substr(source_id, length(dataset_id::text) + 2) AS source_id, system, o.name AS owner, asset_class, status, condition,
      material, diameter_mm, in_service_year, replacement_year, label, attributes::text, ST_AsEWKT(geom) AS geom
    FROM asset a LEFT JOIN organisation o ON o.id = a.owner_id WHERE dataset_id = $1 ORDER BY feature_no`, [datasetId]);
  return r.rows;
}

/** what must agree between the two loads: the report without its layer, timings and the source ids' dataset prefix */
function comparable(r: ImportReport): unknown {
  const strip = (s: string): string => s.replace(/\b\d+\//g, '');
  return {
    read: r.read, loaded: r.loaded, new: r.new, rejected: r.rejected, rejectedCount: r.rejectedCount, repaired: r.repaired, repairedCount: r.repairedCount,
    attention: r.attention.map((a) => ({ ...a, reason: strip(a.reason) })), attentionCount: r.attentionCount,
  };
}

async function loadBoth(file: string, opts: Partial<LoadOptions> = {}): Promise<{ one: ImportReport; many: ImportReport }> {
  const load = async (layerName: string, stage: Partial<LoadOptions>): Promise<ImportReport> => {
    const source = await openSource(file);
    try {
      return await loadSource(db.pool, source, { srid: 28992, mapping: MAPPING, layerName, invalid: 'skip', ...opts, ...stage });
    } finally {
      await source.close();
    }
  };
  const base = path.basename(file);
  const one = await load(`${base} one thread ${opts.invalid ?? 'skip'}`, { stageWorkers: 0 });
  const many = await load(`${base} three workers ${opts.invalid ?? 'skip'}`, { stageWorkers: 3, stageChunkSize: 4 });
  return { one, many };
}

describe('a load staged on worker threads', () => {
  it.each(['skip', 'repair'] as const)('stores and reports the synthetic GeoJSON exactly as one thread does (invalid: %s)', async (invalid) => {
    const file = path.join(dir, `synthetic-${invalid}.geojson`);
    writeFileSync(file, syntheticGeoJson());
    const { one, many } = await loadBoth(file, { invalid });
    expect(one.read).toBe(97);
    expect(one.rejectedCount).toBeGreaterThan(10); // one-point lines, outside the Netherlands (and the bow-ties when skipped)
    expect(one.attentionCount).toBeGreaterThan(25); // the repeated ids, renamed
    if (invalid === 'repair') expect(one.repairedCount).toBe(13); // the bow-ties
    expect(comparable(many)).toEqual(comparable(one));
    const a = await rows(one.layer.datasetId);
    expect(a.length).toBe(one.loaded);
    expect(await rows(many.layer.datasetId)).toEqual(a);
    expect(new Set(a.map((r) => r.owner)).size).toBe(5); // owners named in the data, made once
  });

  it.each(['bgt-delft.gpkg', 'bomen.shp.zip', 'traceontwerp-apeldoorn.fgb'])('stores the real %s exactly as one thread does', async (name) => {
    const { one, many } = await loadBoth(path.join(FIXTURES, name));
    expect(one.loaded).toBeGreaterThan(5); // more than one chunk of 4
    expect(comparable(many)).toEqual(comparable(one));
    expect(await rows(many.layer.datasetId)).toEqual(await rows(one.layer.datasetId));
  });

  it('fails the whole load with the reader\'s own error when a worker finds a broken feature, leaving no layer', async () => {
    const file = path.join(dir, 'broken.geojson');
    writeFileSync(file, syntheticGeoJson(true));
    const source = await openSource(file);
    const err = await loadSource(db.pool, source, { srid: 28992, mapping: MAPPING, layerName: 'broken', invalid: 'skip', stageWorkers: 2, stageChunkSize: 4 })
      .catch((e: unknown) => e)
      .finally(() => source.close());
    expect(err).toBeInstanceOf(ImportInputError);
    expect((err as ImportInputError).status).toBe(400);
    expect((err as Error).message).toContain('feature 390');
    expect((await db.pool.query("SELECT count(*)::int AS n FROM dataset WHERE name = 'broken'")).rows[0]?.n).toBe(0);
  });
});
