import { readFile } from 'node:fs/promises';
import { type Pool, withTransaction } from '../../db/pool.ts';

interface MunicipalityFeature {
  properties: { gemeentecode: string; gemeentenaam: string; jaar?: number };
  geometry: unknown;
}

function isMunicipalityCollection(json: unknown): json is { features: MunicipalityFeature[] } {
  if (typeof json !== 'object' || json === null || !('features' in json)) return false;
  const features = (json as { features: unknown }).features;
  return Array.isArray(features) && features.every((f: unknown) => {
    const p = (f as { properties?: Record<string, unknown> } | null)?.properties;
    return typeof p?.gemeentecode === 'string' && typeof p.gemeentenaam === 'string';
  });
}

/** Load the CBS municipality outlines (GeoJSON, WGS84) into `municipality`, replacing what was there. */
export async function loadMunicipalities(pool: Pool, file: string, srid: number): Promise<number> {
  const json: unknown = JSON.parse(await readFile(file, 'utf8'));
  if (!isMunicipalityCollection(json)) throw new Error(`${file}: not a GeoJSON FeatureCollection of CBS municipalities`);
  const rows = json.features.map((f) => ({
    code: f.properties.gemeentecode,
    name: f.properties.gemeentenaam,
    year: f.properties.jaar ?? 2023,
    geometry: f.geometry,
  }));
  return withTransaction(pool, async (client) => {
    await client.query('DELETE FROM municipality');
    const res = await client.query(
      `INSERT INTO municipality (code, name, year, geom)
       SELECT code, name, year, ST_Multi(ST_Transform(ST_CollectionExtract(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(geometry), 4326)), 3), $2::int))
       FROM jsonb_to_recordset($1::jsonb) AS r(code text, name text, year int, geometry jsonb)`,
      [JSON.stringify(rows), srid],
    );
    return res.rowCount ?? 0;
  });
}

export async function municipalityCount(pool: Pool): Promise<number> {
  const r = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM municipality');
  return r.rows[0]?.n ?? 0;
}
