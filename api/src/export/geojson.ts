/**
 * GeoJSON export, streamed feature by feature from a cursor. EPSG:4326 output follows RFC 7946
 * (no crs member). EPSG:28992 output carries the legacy `crs` member, because QGIS and GDAL
 * otherwise read RD New coordinates as degrees.
 */
import type { Writable } from 'node:stream';
import { once } from 'node:events';
import type { Pool } from '../db/pool.ts';
import { cursorRows } from './cursor.ts';
import { ATTRIBUTE_SELECT, type ExportSelection, geomIn, whereClause } from './export-query.ts';

async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

export async function writeGeoJson(pool: Pool, sel: ExportSelection, out: Writable): Promise<number> {
  const { sql, params } = whereClause(sel);
  const crs = sel.epsg === 28992 ? '"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::28992"}},' : '';
  await write(out, `{"type":"FeatureCollection",${crs}"features":[\n`);
  let n = 0;
  const query = `SELECT json_build_object('type', 'Feature', 'id', t.id, 'geometry', t.geometry, 'properties', to_jsonb(t) - 'geometry')::text AS f
    FROM (SELECT ${ATTRIBUTE_SELECT}, ST_AsGeoJSON(${geomIn(sel.epsg)}, ${sel.epsg === 4326 ? 7 : 3})::json AS geometry ${sql}) t`;
  for await (const rows of cursorRows<{ f: string }>(pool, query, params)) {
    let chunk = '';
    for (const r of rows) chunk += `${n++ === 0 ? '' : ',\n'}${r.f}`;
    await write(out, chunk);
  }
  await write(out, '\n]}\n');
  out.end();
  return n;
}
