import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { GPKG_APPLICATION_ID, GeoPackageWriter } from './gpkg.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'gpkg-writer-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const POINT = (x: number, y: number): Buffer => {
  const b = Buffer.alloc(21);
  b.writeUInt8(1, 0);
  b.writeUInt32LE(1, 1);
  b.writeDoubleLE(x, 5);
  b.writeDoubleLE(y, 13);
  return b;
};

function writeSample(file: string): number {
  const gpkg = GeoPackageWriter.create(file);
  gpkg.addSrs({ id: 28992, name: 'Amersfoort / RD New', organization: 'EPSG', organizationId: 28992, definition: 'PROJCS["Amersfoort / RD New"]', description: null });
  const table = gpkg.addFeatureTable({
    table: 'bomen',
    identifier: 'Bomen',
    description: 'test',
    srsId: 28992,
    fields: [
      { name: 'naam', type: 'TEXT' },
      { name: 'hoogte', type: 'REAL' },
    ],
  });
  table.insert([
    { values: ['eik', 12.5], wkb: POINT(155000, 463000), envelope: [155000, 155000, 463000, 463000] },
    { values: ['beuk', null], wkb: POINT(155010, 463020), envelope: [155010, 155010, 463020, 463020] },
  ]);
  const n = table.finish();
  gpkg.commit();
  return n;
}

describe('GeoPackageWriter', () => {
  const file = path.join(dir, 'sample.gpkg');
  const n = writeSample(file);
  const db = new Database(file, { readonly: true });
  afterAll(() => db.close());

  it('identifies the file as GeoPackage 1.2', () => {
    expect(n).toBe(2);
    expect(db.pragma('application_id', { simple: true })).toBe(GPKG_APPLICATION_ID);
    expect(db.pragma('user_version', { simple: true })).toBe(10200);
  });

  it('registers the required SRSs, the contents with their extent and the geometry column', () => {
    const srs = db.prepare('SELECT srs_id FROM gpkg_spatial_ref_sys ORDER BY srs_id').pluck().all();
    expect(srs).toEqual([-1, 0, 28992]);
    expect(db.prepare('SELECT * FROM gpkg_contents').get()).toMatchObject({
      table_name: 'bomen', data_type: 'features', identifier: 'Bomen', srs_id: 28992,
      min_x: 155000, max_x: 155010, min_y: 463000, max_y: 463020,
    });
    expect(db.prepare('SELECT * FROM gpkg_geometry_columns').get()).toEqual({
      table_name: 'bomen', column_name: 'geom', geometry_type_name: 'GEOMETRY', srs_id: 28992, z: 0, m: 0,
    });
  });

  it('writes fids 1..n, attributes and GeoPackageBinary geometries', () => {
    const rows = db.prepare('SELECT fid, naam, hoogte, geom FROM bomen ORDER BY fid').all() as { fid: number; naam: string; hoogte: number | null; geom: Buffer }[];
    expect(rows.map((r) => [r.fid, r.naam, r.hoogte])).toEqual([[1, 'eik', 12.5], [2, 'beuk', null]]);
    expect(rows[1]?.geom.subarray(0, 2).toString()).toBe('GP');
    expect(rows[1]?.geom.subarray(40).equals(POINT(155010, 463020))).toBe(true);
  });

  it('fills the R-tree, registers the extension and installs its six triggers', () => {
    const hits = db.prepare('SELECT id FROM rtree_bomen_geom WHERE minx <= 155005 AND maxx >= 155005 OR minx >= 155009').pluck().all();
    expect(hits).toEqual([2]);
    expect(db.prepare('SELECT extension_name, scope FROM gpkg_extensions').get()).toEqual({ extension_name: 'gpkg_rtree_index', scope: 'write-only' });
    const triggers = db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name").pluck().all();
    expect(triggers).toEqual(['delete', 'insert', 'update1', 'update2', 'update3', 'update4'].map((s) => `rtree_bomen_geom_${s}`));
  });

  it('refuses table names that are not plain identifiers', () => {
    const gpkg = GeoPackageWriter.create(path.join(dir, 'bad.gpkg'));
    try {
      expect(() => gpkg.addFeatureTable({ table: 'x"; DROP', identifier: 'x', description: '', srsId: 0, fields: [] })).toThrow(/identifier/);
      expect(() => gpkg.addFeatureTable({ table: 'gpkg_x', identifier: 'x', description: '', srsId: 0, fields: [] })).toThrow(/identifier/);
    } finally {
      gpkg.abort();
    }
  });
});
