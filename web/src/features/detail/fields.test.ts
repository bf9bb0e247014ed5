import { describe, expect, it } from 'vitest';
import { createTranslate } from '../../i18n/index.ts';
import { assetRows, assetTitle, attributeText, workRows } from './fields.ts';

const asset = {
  id: 1,
  system: 'gas_ld' as const,
  sourceId: 'nl.imkl-KL1031.g1',
  featureType: 'OlieGasChemicalienPijpleiding',
  theme: 'http://definities.geostandaarden.nl/imkl2015/id/waarde/Thema/gasLageDruk',
  owner: { code: 'KL1031', name: 'Enexis Netbeheer', kind: 'netbeheerder' },
  material: 'PE',
  diameterMm: 110,
  voltageV: null,
  pressureBar: 0.1,
  status: 'functional',
  inServiceDate: '1998-05-01',
};

const valueOf = (rows: { key: string; value: string | null }[], key: string): string | null | undefined => rows.find((r) => r.key === key)?.value;

describe('assetRows', () => {
  it('labels and formats in Dutch', () => {
    const rows = assetRows(asset, 'nl', createTranslate('nl'));
    expect(rows.map((r) => r.label).slice(0, 11)).toEqual([
      'Eigenaar', 'Thema', 'Systeem', 'Objecttype', 'Materiaal', 'Diameter (mm)', 'Spanning (V)', 'Druk (bar)', 'Status', 'In gebruik sinds', 'Label',
    ]);
    expect(valueOf(rows, 'owner')).toBe('Enexis Netbeheer (KL1031)');
    expect(valueOf(rows, 'theme')).toBe('gasLageDruk');
    expect(valueOf(rows, 'system')).toBe('Gas lage druk');
    expect(valueOf(rows, 'pressure')).toBe('0,1');
    expect(valueOf(rows, 'voltage')).toBeNull();
    expect(valueOf(rows, 'status')).toBe('in gebruik');
    expect(rows.find((r) => r.key === 'source-id')?.label).toBe('Bron-id');
  });

  it('labels and formats in English', () => {
    const rows = assetRows(asset, 'en', createTranslate('en'));
    expect(rows[0]?.label).toBe('Owner');
    expect(valueOf(rows, 'status')).toBe('in use');
    expect(valueOf(rows, 'pressure')).toBe('0.1');
    expect(valueOf(rows, 'system')).toBe('Gas low pressure');
  });

  it('treats absent values as unknown', () => {
    const rows = assetRows({ id: 2, system: 'drinkwater', owner: null }, 'nl', createTranslate('nl'));
    expect(valueOf(rows, 'owner')).toBeNull();
    expect(valueOf(rows, 'status')).toBeNull();
  });
});

describe('workRows', () => {
  it('lists the kinds of work', () => {
    const rows = workRows({ id: 4, title: 'Nieuwe aansluiting', workKinds: ['gas', 'water'], street: 'Markt' }, createTranslate('nl'));
    expect(valueOf(rows, 'work-kinds')).toBe('gas, water');
    expect(valueOf(rows, 'street')).toBe('Markt');
    expect(valueOf(rows, 'end-date')).toBeNull();
  });
});

describe('attributeText', () => {
  it('formats booleans and numbers', () => {
    const t = createTranslate('nl');
    expect(attributeText(true, 'nl', t)).toBe('ja');
    expect(attributeText(1.5, 'nl', t)).toBe('1,5');
    expect(attributeText(null, 'nl', t)).toBe('onbekend');
  });
});

describe('assetTitle and code labels', () => {
  it('names the object type in the language, with its label', () => {
    expect(assetTitle({ ...asset, featureType: 'OlieGasChemicalienPijpleiding', label: null }, 'nl')).toBe('Gasleiding');
    expect(assetTitle({ ...asset, featureType: 'Appurtenance', label: 'kolk' }, 'nl')).toBe('Leidingonderdeel · kolk');
    expect(assetTitle({ ...asset, featureType: 'Appurtenance', label: 'kolk' }, 'en')).toBe('Network fitting · kolk');
    expect(assetTitle({ ...asset, featureType: 'OnbekendType', label: null }, 'nl')).toBe('OnbekendType');
  });

  it('shows material codes as words with the delivered code', () => {
    const nl = createTranslate('nl');
    const rows = assetRows({ ...asset, material: 'AC' }, 'nl', nl);
    expect(rows.find((r) => r.key === 'material')?.value).toBe('asbestcement (AC)');
    const en = assetRows({ ...asset, material: 'steel' }, 'en', createTranslate('en'));
    expect(en.find((r) => r.key === 'material')?.value).toBe('steel');
  });
});
