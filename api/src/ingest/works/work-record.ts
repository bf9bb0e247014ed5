/**
 * One feature of a works file → a checked work, with the API's property names (issue 5): the same
 * names in GeoJSON, GeoPackage and CSV. Text columns (CSV, GeoPackage) are read leniently where
 * the meaning is unambiguous: systems as "a;b" or a JSON array, booleans as true/false/ja/nee/1/0,
 * numbers with a decimal comma, GDAL's `(2:a,b)` lists and `2027/05/01` dates. Everything else is checked by the shared schema. Pure.
 */
import type { Geometry } from 'geojson';
import { z } from 'zod';
import { NewWork, checkWindows } from '../../model/work.ts';
import type { PropertyValue } from '../formats/types.ts';

export type CheckedWork = z.infer<typeof NewWork> & { sourceId: string | null };

const KNOWN = ['title', 'owner', 'kind', 'systems', 'status', 'opensGround', 'trenchWidth', 'earliestStart', 'preferredStart', 'preferredEnd',
  'latestEnd', 'costEstimate', 'contact', 'confidentiality'] as const;
/** Columns an export writes that an import reads past (they are the server's, not the file's). */
const IGNORED = new Set(['id', 'sourceId', 'ownerName', 'version', 'fid', 'wkt', 'WKT', 'geometry']);

const blank = (v: unknown): boolean => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');

function list(v: unknown): unknown {
  if (Array.isArray(v)) return v;
  if (typeof v !== 'string') return v;
  const s = v.trim();
  const gdal = /^\((\d+):(.*)\)$/.exec(s); // GDAL's text form of a string list: (2:a,b)
  if (gdal) return (gdal[2] ?? '').split(',').map((x) => x.trim()).filter((x) => x !== '');
  if (s.startsWith('[')) {
    try {
      return JSON.parse(s) as unknown;
    } catch {
      return v;
    }
  }
  return s.split(/[;,|]/).map((x) => x.trim()).filter((x) => x !== '');
}

function bool(v: unknown): unknown {
  if (typeof v === 'boolean') return v;
  if (v === 1 || v === 0) return v === 1;
  if (typeof v !== 'string') return v;
  const s = v.trim().toLowerCase();
  if (['true', 'ja', 'yes', '1', 'j', 'y', 'waar'].includes(s)) return true;
  if (['false', 'nee', 'no', '0', 'n', 'onwaar'].includes(s)) return false;
  return v;
}

function num(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const s = v.trim().replace(/\s/g, '');
  const normal = /^-?\d+(,\d+)?$/.test(s) ? s.replace(',', '.') : s;
  const n = Number(normal);
  return normal !== '' && Number.isFinite(n) ? n : v;
}

function date(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const s = v.trim();
  if (/^\d{4}\/\d{2}\/\d{2}$/.test(s)) return s.replaceAll('/', '-'); // GDAL writes dates so in CSV
  return /^\d{4}-\d{2}-\d{2}T/.test(s) ? s.slice(0, 10) : s;
}

const READ: Readonly<Record<string, (v: unknown) => unknown>> = {
  systems: list, opensGround: bool, trenchWidth: num, costEstimate: num,
  earliestStart: date, preferredStart: date, preferredEnd: date, latestEnd: date,
};

/**
 * The work a feature describes (geometry in WGS84 for the schema's coordinate check), or the
 * reasons it cannot be one. `defaultOwner`: the slug used when the file has no owner column.
 */
export function checkWorkFeature(
  properties: Record<string, PropertyValue | unknown>, geometry: Geometry | null, defaultOwner: string | null,
): { work: CheckedWork } | { problems: string[] } {
  const problems: string[] = [];
  const unknown = Object.keys(properties).filter((k) => !(KNOWN as readonly string[]).includes(k) && !IGNORED.has(k));
  if (unknown.length > 0) problems.push(`unknown propert${unknown.length === 1 ? 'y' : 'ies'} ${unknown.map((k) => `"${k}"`).join(', ')} (use ${KNOWN.join(', ')})`);
  const input: Record<string, unknown> = {};
  for (const key of KNOWN) {
    const raw = properties[key];
    if (blank(raw)) continue;
    input[key] = (READ[key] ?? ((v: unknown) => v))(raw);
  }
  if (input.owner === undefined && defaultOwner !== null) input.owner = defaultOwner;
  if (geometry === null) problems.push('geometry: missing');
  else if (geometry.type === 'Point' || geometry.type === 'MultiPoint' || geometry.type === 'GeometryCollection') {
    problems.push(`geometry: a work is a line along the street or a polygon, not a ${geometry.type}`);
  } else input.geometry = geometry;
  const parsed = NewWork.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path.join('.') || '(feature)';
      if (field.startsWith('geometry') && geometry === null) continue;
      if (issue.code === 'unrecognized_keys') continue;
      problems.push(`${field}: ${issue.message}`);
    }
    // the schema checks the nesting of the windows only once every field is right; say it anyway
    const window = checkWindows(input as Parameters<typeof checkWindows>[0]);
    if (window && !problems.some((x) => x.includes(window))) problems.push(window);
  }
  if (problems.length > 0 || !parsed.success) return { problems: problems.length ? problems : ['invalid'] };
  const id = properties.sourceId ?? properties.id;
  return { work: { ...parsed.data, sourceId: blank(id) ? null : String(id) } };
}
