/**
 * Which assets an export contains and in which CRS. Identifiers never come from the request:
 * the selection is a dataset id or a system code (validated), values are bound parameters.
 */
export type ExportFormat = 'geojson' | 'gpkg' | 'csv';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['geojson', 'gpkg', 'csv'];

export interface ExportSelection {
  /** dataset id or system code */
  by: { datasetId: number } | { system: string };
  /** EPSG code of the output */
  epsg: 4326 | 28992;
  /** WGS84 bbox filter */
  bbox: [number, number, number, number] | null;
}

/** The attribute columns every export carries, in order. */
export const COLUMNS = [
  'id', 'source_id', 'system', 'owner', 'asset_class', 'theme', 'status', 'in_service_date', 'in_service_year',
  'material', 'diameter_mm', 'voltage_v', 'pressure_bar', 'condition', 'replacement_year', 'label',
] as const;
export const TEXT_COLUMNS = ['source_id', 'system', 'owner', 'asset_class', 'theme', 'status', 'material', 'condition', 'label'] as const;

/** FROM/WHERE part and its parameters ($1 = dataset id or system, then bbox). */
export function whereClause(sel: ExportSelection): { sql: string; params: unknown[] } {
  const params: unknown[] = ['datasetId' in sel.by ? sel.by.datasetId : sel.by.system];
  let sql = `FROM asset a LEFT JOIN organisation o ON o.id = a.owner_id
    WHERE ${'datasetId' in sel.by ? 'a.dataset_id = $1::int' : 'a.system = $1::text'}`;
  if (sel.bbox) {
    params.push(...sel.bbox);
    sql += ` AND a.geom && ST_Transform(ST_MakeEnvelope($2, $3, $4, $5, 4326), ST_SRID(a.geom))`;
  }
  return { sql: `${sql} ORDER BY a.id`, params };
}

/** SELECT list of the attribute columns (dates as ISO text). */
export const ATTRIBUTE_SELECT = `a.id, a.source_id, a.system, o.name AS owner, a.asset_class, a.theme, a.status,
  to_char(a.in_service_date, 'YYYY-MM-DD') AS in_service_date, a.in_service_year, a.material, a.diameter_mm,
  a.voltage_v, a.pressure_bar, a.condition, a.replacement_year, a.label`;

export function geomIn(epsg: number): string {
  return `ST_Transform(a.geom, ${epsg === 4326 ? 4326 : 28992})`;
}
