/**
 * A realistic import job for unit tests (not used by the app): a sewer GeoPackage in RD New,
 * as the API reports it while it waits for the mapping.
 */
import { EMPTY_MAPPING } from '@model/asset-mapping.ts';
import type { ImportJob } from '../../api/types.ts';

export function makeJob(overrides: Partial<ImportJob> = {}): ImportJob {
  return {
    id: 'job-1',
    fileName: 'riolering.gpkg',
    state: 'awaiting-mapping',
    format: 'geopackage',
    layerName: 'riool_leidingen',
    crs: { epsg: 28992, source: 'geopackage', guessed: false, detail: 'Amersfoort / RD New' },
    fields: [
      { name: 'GUID', type: 'string' },
      { name: 'MATERIAAL', type: 'string' },
      { name: 'DIAMETER', type: 'number' },
      { name: 'STELSEL', type: 'string' },
    ],
    featureCount: 3,
    progress: { phase: 'analyse', parsed: 3, loaded: 0, total: 3, percent: 100 },
    preview: {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', geometry: { type: 'LineString', coordinates: [[5.1, 52.0], [5.2, 52.1]] }, properties: { __index: 1, STELSEL: 'DWA' } },
        { type: 'Feature', geometry: { type: 'LineString', coordinates: [[5.15, 52.05], [5.3, 51.9]] }, properties: { __index: 2, STELSEL: 'HWA' } },
        { type: 'Feature', geometry: null, properties: { __index: 3, STELSEL: 'DWA' } },
      ],
    },
    sample: [
      { GUID: 'a1', MATERIAAL: 'Beton', DIAMETER: 400, STELSEL: 'DWA' },
      { GUID: 'a2', MATERIAAL: 'PVC', DIAMETER: 250, STELSEL: 'HWA' },
      { GUID: 'a3', MATERIAAL: null, DIAMETER: null, STELSEL: 'DWA' },
    ],
    proposedMapping: {
      preset: 'riool',
      mapping: { ...EMPTY_MAPPING, system: { value: 'riool_vrijverval' }, sourceId: { field: 'GUID' }, material: { field: 'MATERIAAL' }, diameterMm: { field: 'DIAMETER' } },
    },
    invalid: { count: 1, examples: [{ index: 3, reason: 'Self-intersection', location: [5.1, 52.0] }] },
    report: null,
    error: null,
    ...overrides,
  };
}

export const REPORT: NonNullable<ImportJob['report']> = {
  layer: { datasetId: 7, name: 'riool_leidingen' },
  read: 3,
  loaded: 2,
  new: 2,
  updated: 0,
  unchanged: 0,
  rejected: [{ index: 3, reason: 'geen geometrie' }],
  rejectedCount: 1,
  repaired: [],
  repairedCount: 0,
  crs: { epsg: 28992, guessed: false },
  durationMs: 1250,
};
