/**
 * Test support for the golden tests of the format readers: a stable, reviewable GeoJSON rendering
 * of the first features of an opened source — reprojected to RD New, coordinates rounded to the
 * millimetre, one feature per line — that any GIS viewer opens (it carries the legacy crs member).
 */
import type { Geometry, Position } from 'geojson';
import { reprojectGeometry } from '../crs/reproject.ts';
import { openSource } from './index.ts';
import type { OpenOptions, OpenedSource, SourceFeature } from './types.ts';

const TARGET_EPSG = 28992;

function round(v: number): number {
  const r = Math.round(v * 1000) / 1000;
  return Object.is(r, -0) ? 0 : r;
}

function roundPositions(value: unknown): unknown {
  if (typeof value === 'number') return round(value);
  if (Array.isArray(value)) return value.map(roundPositions);
  return value;
}

function roundGeometry(g: Geometry): Geometry {
  if (g.type === 'GeometryCollection') return { type: 'GeometryCollection', geometries: g.geometries.map(roundGeometry) };
  return { ...g, coordinates: roundPositions(g.coordinates) as Position[] } as Geometry;
}

function renderFeature(f: SourceFeature, fromEpsg: number): string {
  const geometry = f.geometry ? roundGeometry(reprojectGeometry(f.geometry, fromEpsg, TARGET_EPSG)) : null;
  const properties = { __index: f.index, ...(f.issue === undefined ? {} : { __issue: f.issue }), ...f.properties };
  return JSON.stringify({ type: 'Feature', properties, geometry });
}

/** The first `n` features of `source` as golden text (the source is read, not closed). */
export async function renderGolden(source: OpenedSource, n: number): Promise<string> {
  const epsg = source.crs.epsg;
  if (epsg === null) throw new Error(`${source.fileName}: no CRS, cannot render in EPSG:${TARGET_EPSG}`);
  const first: SourceFeature[] = [];
  for await (const batch of source.features(Math.min(n, 1000))) {
    first.push(...batch.slice(0, n - first.length));
    if (first.length >= n) break;
  }
  const header = {
    type: 'FeatureCollection',
    name: source.layerName,
    crs: { type: 'name', properties: { name: `urn:ogc:def:crs:EPSG::${TARGET_EPSG}` } },
    source: { format: source.format, epsg, crsSource: source.crs.source, guessed: source.crs.guessed, fields: source.fields, featureCountHint: source.featureCountHint },
  };
  const head = JSON.stringify(header).slice(0, -1);
  return `${head},\n"features": [\n${first.map((f) => renderFeature(f, epsg)).join(',\n')}\n]\n}\n`;
}

/** Every feature of the file (for counts); the source is closed afterwards. */
export async function readAll(path: string, options: OpenOptions = {}): Promise<{ source: OpenedSource; features: SourceFeature[] }> {
  const source = await openSource(path, options);
  const features: SourceFeature[] = [];
  try {
    for await (const batch of source.features()) features.push(...batch);
  } finally {
    await source.close();
  }
  return { source, features };
}

/** Open, render the first `n` features, close. */
export async function goldenOf(path: string, n: number, options: OpenOptions = {}): Promise<string> {
  const source = await openSource(path, options);
  try {
    return await renderGolden(source, n);
  } finally {
    await source.close();
  }
}
