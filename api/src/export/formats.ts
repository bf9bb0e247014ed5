/** What a client may ask for: formats, target CRSs and their defaults. */
export const EXPORT_FORMATS = ['geojson', 'gpkg', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_SRIDS = [4326, 28992] as const;
export type ExportSrid = (typeof EXPORT_SRIDS)[number];

export function isExportFormat(value: unknown): value is ExportFormat {
  return typeof value === 'string' && (EXPORT_FORMATS as readonly string[]).includes(value);
}

/** RFC 7946 GeoJSON is WGS84; GeoPackage and CSV default to RD New, the CRS Dutch GIS users work in. */
export function defaultSrid(format: ExportFormat): ExportSrid {
  return format === 'geojson' ? 4326 : 28992;
}

/**
 * Coordinate decimals for the text formats: 8 in degrees (~1 mm) and 4 in metres (0.1 mm), both
 * finer than any utility survey, so rounding never moves a feature in a way that matters.
 */
export function coordinateDecimals(srid: ExportSrid): number {
  return srid === 4326 ? 8 : 4;
}

export const CONTENT_TYPES: Readonly<Record<ExportFormat, string>> = {
  geojson: 'application/geo+json; charset=utf-8',
  gpkg: 'application/geopackage+sqlite3',
  csv: 'text/csv; charset=utf-8; header=present',
};

export const FILE_EXTENSIONS: Readonly<Record<ExportFormat, string>> = { geojson: 'geojson', gpkg: 'gpkg', csv: 'csv' };

/**
 * `samenhang-<layer>-<yyyymmdd>.<ext>`, plain ASCII so no Content-Disposition encoding is needed;
 * the date is the Dutch calendar day of the download.
 */
export function exportFileName(layer: string, format: ExportFormat, now: Date = new Date()): string {
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(now).replaceAll('-', '');
  const slug = slugify(layer, /[^a-z0-9_]+/g, '-') || 'export';
  return `samenhang-${slug}-${day}.${FILE_EXTENSIONS[format]}`;
}

/** A GeoPackage table / GeoJSON layer name: [a-z_][a-z0-9_]*, or `fallback` when nothing is left. */
export function tableName(name: string, fallback: string): string {
  const slug = slugify(name, /[^a-z0-9]+/g, '_');
  return /^[a-z]/.test(slug) && !/^(gpkg|rtree)_/.test(slug) ? slug : fallback;
}

/** Lower-case ASCII: diacritics folded, runs of characters outside the set replaced by `sep`. */
function slugify(text: string, outside: RegExp, sep: string): string {
  const folded = text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  const parts = folded.split(outside).filter((p) => p.length > 0);
  return parts.join(sep).slice(0, 60).replace(/[-_]+$/, '');
}
