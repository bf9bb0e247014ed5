import type { Writable } from 'node:stream';
import type { ExportSrid } from './formats.ts';
import { endStream, writeChunk } from './write-chunk.ts';

/**
 * The FeatureCollection's opening. In EPSG:4326 it is plain RFC 7946 (no `crs` member, lon/lat).
 * In EPSG:28992 RFC 7946 has no way to say the CRS, so we add the legacy 2008 `crs` member with
 * the OGC URN: QGIS and GDAL honour it, and without it they would read RD metres as degrees.
 * `name` is GDAL's layer-name extension; readers that do not know it ignore it.
 */
export function featureCollectionOpening(srid: ExportSrid, layerName: string): string {
  const crs = srid === 4326 ? '' : `"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::${srid}"}},`;
  return `{"type":"FeatureCollection","name":${JSON.stringify(layerName)},${crs}"features":[\n`;
}

/**
 * Stream a FeatureCollection whose features PostgreSQL already serialised, batch by batch:
 * memory holds one batch. Nothing is written before the first batch arrives, so a failing query
 * can still be answered with a JSON error. Returns false if the client went away.
 */
export async function writeGeoJson(
  batches: AsyncIterable<{ feature: string }[]>,
  out: Writable,
  opts: { srid: ExportSrid; layerName: string },
): Promise<boolean> {
  let prefix = featureCollectionOpening(opts.srid, opts.layerName);
  for await (const rows of batches) {
    const ok = await writeChunk(out, prefix + rows.map((r) => r.feature).join(',\n'));
    if (!ok) return false;
    prefix = ',\n';
  }
  const closing = prefix === ',\n' ? '\n]}\n' : `${prefix}]}\n`;
  if (!(await writeChunk(out, closing))) return false;
  await endStream(out);
  return true;
}
