import { describe, expect, it } from 'vitest';
import { defaultSrid, exportFileName, tableName } from './formats.ts';

describe('export names', () => {
  const summerEvening = new Date('2026-06-30T23:30:00Z'); // already 1 July in Amsterdam

  it('names files samenhang-<layer>-<yyyymmdd>.<ext> on the Dutch calendar day', () => {
    expect(exportFileName('gas_ld', 'gpkg', summerEvening)).toBe('samenhang-gas_ld-20260701.gpkg');
    expect(exportFileName('KLIC-levering 22G003179', 'csv', summerEvening)).toBe('samenhang-klic-levering-22g003179-20260701.csv');
    expect(exportFileName('Bomen "Zuid" / Roermond; ë', 'geojson', summerEvening)).toBe('samenhang-bomen-zuid-roermond-e-20260701.geojson');
    expect(exportFileName('***', 'csv', summerEvening)).toBe('samenhang-export-20260701.csv');
  });

  it('makes table names plain identifiers, with a fallback', () => {
    expect(tableName('KLIC-levering 22G003179', 'dataset_1')).toBe('klic_levering_22g003179');
    expect(tableName('2023 bomen', 'dataset_7')).toBe('dataset_7');
    expect(tableName('gpkg contents', 'dataset_8')).toBe('dataset_8');
    expect(tableName('Bomen Zuid-Oost (Maaseik, ë)', 'dataset_9')).toBe('bomen_zuid_oost_maaseik_e');
  });

  it('defaults to WGS84 for GeoJSON and RD New otherwise', () => {
    expect(defaultSrid('geojson')).toBe(4326);
    expect(defaultSrid('gpkg')).toBe(28992);
    expect(defaultSrid('csv')).toBe(28992);
  });
});
