import { describe, expect, it } from 'vitest';
import { mapKlicSystem, materialFromLabel } from './map-asset.ts';

describe('materialFromLabel (WML pipe labels)', () => {
  it.each([
    ['100 AC', 'AC'],
    ['110 PVC BVB', 'PVC'],
    ['25 ST', 'ST'],
    ['100 NGIJ', 'NGIJ'],
    ['Onbekend Onbekend', null],
    ['25 Onbekend', null],
    [null, null],
  ])('%s → %s', (label, material) => {
    expect(materialFromLabel(label)).toBe(material);
  });
});

describe('mapKlicSystem', () => {
  const base = { featureType: 'Elektriciteitskabel', theme: 'laagspanning', ownerCode: 'KL1031', appurtenanceType: null };
  it('an LV cable with only the lighting function is street lighting', () => {
    expect(mapKlicSystem({ ...base, description: 'Aansluitkabel met functie OV' })).toBe('verlichting');
  });
  it('mixed LS/OV and LS cables stay low voltage', () => {
    expect(mapKlicSystem({ ...base, description: 'Laagspanningskabel met functie LS/OV' })).toBe('elektriciteit_ls');
    expect(mapKlicSystem({ ...base, description: 'Aansluitkabel met functie LS' })).toBe('elektriciteit_ls');
  });
  it('follows the theme otherwise', () => {
    expect(mapKlicSystem({ ...base, theme: 'gasLageDruk', featureType: 'OlieGasChemicalienPijpleiding' })).toBe('gas_ld');
    expect(mapKlicSystem({ ...base, theme: 'iets' })).toBe('overig');
  });
});
