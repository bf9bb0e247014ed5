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
    expect(rows.map((r) => r.label).slice(0, 13)).toEqual([
      'Eigenaar', 'Thema', 'Systeem', 'Objecttype', 'Materiaal', 'Diameter (mm)', 'Spanning (V)', 'Druk (bar)', 'Status', 'In gebruik sinds',
      'Conditie', 'Vervangingsjaar', 'Label',
    ]);
    expect(valueOf(rows, 'owner')).toBe('Enexis Netbeheer (KL1031)');
    expect(valueOf(rows, 'theme')).toBe('gasLageDruk');
    expect(valueOf(rows, 'system')).toBe('Gas lage druk');
    expect(valueOf(rows, 'pressure')).toBe('0,1');
    expect(valueOf(rows, 'voltage')).toBeNull();
    expect(valueOf(rows, 'status')).toBe('in gebruik');
    expect(rows.find((r) => r.key === 'source-id')?.label).toBe('Bron-id');
    expect(valueOf(rows, 'feature-no')).toBeNull(); // a KLIC object: no file number
  });

  it('labels and formats in English', () => {
    const rows = assetRows(asset, 'en', createTranslate('en'));
    expect(rows[0]?.label).toBe('Owner');
    expect(valueOf(rows, 'status')).toBe('in use');
    expect(valueOf(rows, 'pressure')).toBe('0.1');
    expect(valueOf(rows, 'system')).toBe('Gas low pressure');
  });

  it('shows the year, condition and replacement year a file import mapped (no longer repeated among the other attributes)', () => {
    const imported = { id: 3, system: 'riool_vrijverval' as const, inServiceYear: 1954, condition: '3', replacementYear: 2031 };
    const rows = assetRows(imported, 'nl', createTranslate('nl'));
    expect(valueOf(rows, 'in-service')).toBe('1954');
    expect(valueOf(rows, 'condition')).toBe('3');
    expect(valueOf(rows, 'replacement-year')).toBe('2031');
    // a delivered date wins over the year
    expect(valueOf(assetRows({ ...imported, inServiceDate: '1954-06-01' }, 'en', createTranslate('en')), 'in-service')).toBe('1954-06-01');
    expect(assetRows(imported, 'en', createTranslate('en')).find((r) => r.key === 'replacement-year')?.label).toBe('Replacement year');
  });

  it('names the layer with the organisation it belongs to, and leaves an unmapped owner unknown', () => {
    const imported = { id: 4, system: 'groen' as const, owner: null, datasetName: 'Monumentale bomen', datasetOwnerName: 'Gemeente Maasgouw' };
    const rows = assetRows(imported, 'nl', createTranslate('nl'));
    expect(valueOf(rows, 'dataset')).toBe('Monumentale bomen (Gemeente Maasgouw)');
    expect(valueOf(rows, 'owner')).toBeNull(); // the layer's organisation is not the asset's owner
    expect(valueOf(assetRows({ ...imported, datasetOwnerName: null }, 'nl', createTranslate('nl')), 'dataset')).toBe('Monumentale bomen');
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

describe('workRows of a planned work', () => {
  const planned = {
    id: 7,
    title: 'Riool Dorpsstraat',
    kind: 'vervanging riool',
    owner: 'gemeente-x',
    ownerName: 'Gemeente X',
    systems: ['riool_vrijverval', 'drinkwater'],
    status: 'in voorbereiding',
    opensGround: true,
    trenchWidth: 1.5,
    earliestStart: '2026-04-01',
    preferredStart: '2026-05-01',
    preferredEnd: '2026-06-30',
    latestEnd: null,
    costEstimate: 125000,
    contact: 'j.jansen@gemeente-x.nl',
    version: 3,
  };

  it('shows the planning fields in Dutch, and of the KLIC fields only those it has', () => {
    const rows = workRows(planned, createTranslate('nl'), 'nl');
    expect(rows.map((r) => r.key)).toEqual([
      'title', 'work-kinds', 'owner', 'status', 'systems', 'earliest-start', 'preferred-start', 'preferred-end', 'latest-end',
      'opens-ground', 'trench-width', 'cost-estimate', 'contact', 'version',
    ]);
    expect(valueOf(rows, 'owner')).toBe('Gemeente X');
    expect(valueOf(rows, 'status')).toBe('in voorbereiding');
    expect(valueOf(rows, 'systems')).toBe('Riolering vrijverval, Drinkwater');
    expect(valueOf(rows, 'preferred-start')).toBe('1 mei 2026');
    expect(valueOf(rows, 'latest-end')).toBeNull();
    expect(valueOf(rows, 'opens-ground')).toBe('ja');
    expect(valueOf(rows, 'trench-width')).toBe('1,5');
    expect(valueOf(rows, 'cost-estimate')).toMatch(/^€\s?125\.000$/);
    expect(valueOf(rows, 'version')).toBe('3');
    expect(rows.find((r) => r.key === 'trench-width')?.label).toBe('Sleufbreedte (m)');
  });

  it('leaves out the requester and the generated source id of a work drawn here', () => {
    // sourceKind comes along from the API without being in WorkDetail
    const drawn = { ...planned, requester: 'Gemeente X', sourceId: 'fd5323a6', ...{ sourceKind: 'manual' } };
    const keys = workRows(drawn, createTranslate('nl'), 'nl').map((r) => r.key);
    expect(keys).not.toContain('requester');
    expect(keys).not.toContain('source-id');
    expect(workRows({ ...drawn, ...{ sourceKind: 'import' } }, createTranslate('nl'), 'nl').map((r) => r.key)).toContain('source-id');
  });

  it('speaks English', () => {
    const rows = workRows(planned, createTranslate('en'), 'en');
    expect(valueOf(rows, 'status')).toBe('in preparation');
    expect(valueOf(rows, 'work-kinds')).toBe('sewer replacement');
    expect(valueOf(rows, 'systems')).toBe('Gravity sewer, Drinking water');
    expect(valueOf(rows, 'preferred-end')).toBe('30 Jun 2026');
    expect(rows.find((r) => r.key === 'cost-estimate')?.label).toBe('Cost estimate (€)');
  });

  it('has no trench for a work that does not open the ground', () => {
    const rows = workRows({ ...planned, opensGround: false }, createTranslate('nl'), 'nl');
    expect(valueOf(rows, 'opens-ground')).toBe('nee');
    expect(valueOf(rows, 'trench-width')).toBeNull();
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

describe('assetRows of a file layer\'s feature', () => {
  it('shows its number in the delivered file, in Dutch and English', () => {
    const feature = { ...asset, sourceId: null, featureNo: 390 };
    const nl = assetRows(feature, 'nl', createTranslate('nl'));
    expect(nl.find((r) => r.key === 'feature-no')).toMatchObject({ label: 'Objectnummer in bestand', value: '390' });
    expect(valueOf(nl, 'source-id')).toBeNull();
    expect(assetRows(feature, 'en', createTranslate('en')).find((r) => r.key === 'feature-no')?.label).toBe('Feature number in file');
  });
});
