/** The export dialog's form: defaults from the map, changes, problems and the download URL. */
import { describe, expect, it } from 'vitest';
import { initialVisibility } from '../../state/visibility.ts';
import { type ExportLayerId, exportProblem, exportUrl, initialExportForm, updateExportForm } from './export-form.ts';

const VIEW = [5.8712345678, 51.141, 5.9, 51.16] as const;
const ORDER: readonly ExportLayerId[] = ['riool_vrijverval', 'drinkwater', 'gas_ld', 'works', 'moratoria'];

describe('export form', () => {
  it('starts with what is visible, the map view, no window, GeoPackage in RD New', () => {
    const form = initialExportForm(['riool_vrijverval', 'drinkwater', 'gas_ld'], { hidden: ['drinkwater'], works: true, moratoria: false });
    expect(form).toEqual({ area: 'view', municipality: '', layers: ['riool_vrijverval', 'gas_ld', 'works'], from: '', to: '', format: 'gpkg', crs: 'EPSG:28992' });
    expect(exportUrl(form, VIEW, ORDER)).toBe('/api/export?format=gpkg&layers=riool_vrijverval,gas_ld,works&crs=EPSG:28992&bbox=5.871235,51.141,5.9,51.16');
  });

  it('builds the URL in the layer panel order with a municipality and a time window', () => {
    let form = initialExportForm(['gas_ld', 'riool_vrijverval'], initialVisibility);
    form = updateExportForm(form, { type: 'layer', layer: 'gas_ld', on: false });
    form = updateExportForm(form, { type: 'layer', layer: 'gas_ld', on: true });
    form = updateExportForm(form, { type: 'area', area: 'municipality' });
    form = updateExportForm(form, { type: 'municipality', code: 'GM1641' });
    form = updateExportForm(form, { type: 'from', value: '2027-01-01' });
    form = updateExportForm(form, { type: 'format', format: 'geojson' });
    expect(form.crs).toBe('EPSG:4326'); // follows the format
    expect(exportUrl(form, VIEW, ORDER)).toBe('/api/export?format=geojson&layers=riool_vrijverval,gas_ld,works,moratoria&crs=EPSG:4326&area=GM1641&from=2027-01-01');
    form = updateExportForm(form, { type: 'crs', crs: 'EPSG:28992' });
    expect(exportUrl(form, VIEW, ORDER, 'http://x')).toMatch(/^http:\/\/x\/api\/export\?format=geojson&.*crs=EPSG:28992/);
  });

  it('says what is missing instead of a URL', () => {
    const form = initialExportForm([], { hidden: [], works: false, moratoria: false });
    expect(exportProblem(form, VIEW)).toBe('exportNoLayers');
    const works = updateExportForm(form, { type: 'layer', layer: 'works', on: true });
    expect(exportProblem(works, null)).toBe('exportNoView');
    expect(exportProblem(updateExportForm(works, { type: 'area', area: 'municipality' }), VIEW)).toBe('exportNoMunicipality');
    const backwards = updateExportForm(updateExportForm(works, { type: 'from', value: '2028-01-01' }), { type: 'to', value: '2027-12-31' });
    expect(exportProblem(backwards, VIEW)).toBe('exportBadWindow');
    expect(exportUrl(backwards, VIEW, ORDER)).toBeNull();
  });

  it('keeps a world-wide view inside the valid bbox', () => {
    const form = initialExportForm([], initialVisibility);
    expect(exportUrl(form, [-200, -95, 210, 91], ORDER)).toContain('bbox=-180,-90,180,90');
  });
});
