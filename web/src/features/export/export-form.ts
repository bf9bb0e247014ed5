/**
 * The export dialog's form (issue 8) as pure functions: what it starts with (the layers that are
 * visible on the map, the current map view, no time window, GeoPackage in RD New), the changes the
 * user makes, and the download URL of GET /api/export it becomes (or why it cannot be one yet).
 */
import type { SystemCode } from '@model/systems.ts';
import { isSystemVisible, type VisibilityState } from '../../state/visibility.ts';

export const SELECTION_FORMATS = ['gpkg', 'geojson', 'csv'] as const;
export type SelectionFormat = (typeof SELECTION_FORMATS)[number];
export const SELECTION_CRS = ['EPSG:28992', 'EPSG:4326'] as const;
export type SelectionCrs = (typeof SELECTION_CRS)[number];
export type PlanLayerId = 'works' | 'moratoria';
export type ExportLayerId = SystemCode | PlanLayerId;

/** West, south, east, north in WGS84 degrees. */
export type ViewBbox = readonly [number, number, number, number];

export interface ExportForm {
  /** the map's current view, or a municipality (CBS code) */
  area: 'view' | 'municipality';
  municipality: string;
  layers: readonly ExportLayerId[];
  from: string;
  to: string;
  format: SelectionFormat;
  crs: SelectionCrs;
}

export type ExportFormChange =
  | { type: 'area'; area: ExportForm['area'] }
  | { type: 'municipality'; code: string }
  | { type: 'layer'; layer: ExportLayerId; on: boolean }
  | { type: 'from' | 'to'; value: string }
  | { type: 'format'; format: SelectionFormat }
  | { type: 'crs'; crs: SelectionCrs };

/** RFC 7946 GeoJSON is WGS84; GeoPackage and CSV default to RD New (as the API does). */
export const defaultCrs = (format: SelectionFormat): SelectionCrs => (format === 'geojson' ? 'EPSG:4326' : 'EPSG:28992');

/** The layers of the layer panel that are switched on, then works and moratoria when shown. */
export function initialExportForm(systems: readonly SystemCode[], visibility: VisibilityState): ExportForm {
  const layers: ExportLayerId[] = systems.filter((s) => isSystemVisible(visibility, s));
  if (visibility.works) layers.push('works');
  if (visibility.moratoria) layers.push('moratoria');
  return { area: 'view', municipality: '', layers, from: '', to: '', format: 'gpkg', crs: defaultCrs('gpkg') };
}

export function updateExportForm(form: ExportForm, change: ExportFormChange): ExportForm {
  switch (change.type) {
    case 'area':
      return { ...form, area: change.area };
    case 'municipality':
      return { ...form, municipality: change.code };
    case 'layer': {
      const rest = form.layers.filter((l) => l !== change.layer);
      return { ...form, layers: change.on ? [...rest, change.layer] : rest };
    }
    case 'from':
      return { ...form, from: change.value };
    case 'to':
      return { ...form, to: change.value };
    case 'format':
      // the CRS follows the format's default; the user can still choose the other one
      return { ...form, format: change.format, crs: defaultCrs(change.format) };
    case 'crs':
      return { ...form, crs: change.crs };
  }
}

/** Why the form cannot be sent yet (a message key), or null. */
export type ExportProblem = 'exportNoLayers' | 'exportNoMunicipality' | 'exportNoView' | 'exportBadWindow';

export function exportProblem(form: ExportForm, view: ViewBbox | null): ExportProblem | null {
  if (form.layers.length === 0) return 'exportNoLayers';
  if (form.area === 'municipality' && form.municipality === '') return 'exportNoMunicipality';
  if (form.area === 'view' && view === null) return 'exportNoView';
  if (form.from !== '' && form.to !== '' && form.to < form.from) return 'exportBadWindow';
  return null;
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));
/** 6 decimals (~0.1 m) keep the URL short and the area exact enough. */
const degrees = (v: number): string => String(Math.round(v * 1e6) / 1e6);

/**
 * The download URL, with the layers in the order of `order` (the layer panel's), or null while
 * the form has a problem.
 */
export function exportUrl(form: ExportForm, view: ViewBbox | null, order: readonly ExportLayerId[], base = ''): string | null {
  if (exportProblem(form, view) !== null) return null;
  const layers = order.filter((l) => form.layers.includes(l));
  const q = new URLSearchParams({ format: form.format, layers: layers.join(','), crs: form.crs });
  if (form.area === 'municipality') q.set('area', form.municipality);
  else if (view) {
    const [w, s, e, n] = view;
    q.set('bbox', [clamp(w, -180, 180), clamp(s, -90, 90), clamp(e, -180, 180), clamp(n, -90, 90)].map(degrees).join(','));
  }
  if (form.from !== '') q.set('from', form.from);
  if (form.to !== '') q.set('to', form.to);
  return `${base}/api/export?${q.toString().replaceAll('%2C', ',').replaceAll('%3A', ':')}`;
}
