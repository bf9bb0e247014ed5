import { describe, expect, it } from 'vitest';
import {
  isApiErrorBody,
  isAssetDetail,
  isConfigResponse,
  isLayersResponse,
  isSearchResponse,
  isWorkDetail,
  isWorksCollection,
  isWorkProperties,
  isMoratoriaCollection,
  isMoratoriumProperties,
} from './guards.ts';

const layer = {
  id: 'elektriciteit_ls',
  labelNl: 'Elektriciteit laagspanning',
  labelEn: 'Electricity low voltage',
  color: '#e6c300',
  count: 120,
  geometryTypes: ['LineString', 'Point'],
  tilejson: '/tiles/elektriciteit_ls.json',
};

describe('isLayersResponse', () => {
  it('accepts the documented shape, with or without an extent', () => {
    expect(isLayersResponse({ extent: [5.8, 51.1, 5.9, 51.2], layers: [layer], works: { count: 6 } })).toBe(true);
    expect(isLayersResponse({ extent: null, layers: [], works: { count: 0 } })).toBe(true);
  });

  it('rejects unknown systems, bad extents and missing works', () => {
    expect(isLayersResponse({ extent: null, layers: [{ ...layer, id: 'kabelgoot' }], works: { count: 0 } })).toBe(false);
    expect(isLayersResponse({ extent: [1, 2, 3], layers: [], works: { count: 0 } })).toBe(false);
    expect(isLayersResponse({ extent: null, layers: [] })).toBe(false);
    expect(isLayersResponse(null)).toBe(false);
  });
});

describe('isAssetDetail', () => {
  const asset = {
    id: 5,
    sourceId: 'nl.imkl-KL1031.abc',
    system: 'gas_ld',
    featureType: 'OlieGasChemicalienPijpleiding',
    theme: 'gasLageDruk',
    owner: { code: 'KL1031', name: 'Enexis', kind: 'netbeheerder' },
    material: 'PE',
    diameterMm: 110,
    voltageV: null,
    pressureBar: 0.1,
    status: 'functional',
    inServiceDate: '1998-01-01',
    label: null,
    attributes: { kleur: 'geel', diepte: 0.8, beschermd: false, opmerking: null },
    datasetName: 'Levering_22G003179_1',
  };

  it('accepts a full asset and one with unknowns left out', () => {
    expect(isAssetDetail(asset)).toBe(true);
    expect(isAssetDetail({ id: 1, system: 'drinkwater', owner: null })).toBe(true);
  });

  it('rejects wrong types', () => {
    expect(isAssetDetail({ ...asset, id: '5' })).toBe(false);
    expect(isAssetDetail({ ...asset, diameterMm: '110' })).toBe(false);
    expect(isAssetDetail({ ...asset, attributes: { x: { nested: true } } })).toBe(false);
    expect(isAssetDetail({ ...asset, owner: 'Enexis' })).toBe(false);
  });
});

describe('works', () => {
  const properties = {
    id: 3,
    title: 'Vervangen gasleiding',
    kind: 'gas',
    workKinds: ['gas'],
    requestType: 'graafmelding',
    startDate: '2022-03-01',
    endDate: '2022-04-01',
    street: 'Markt',
    place: 'Maasbracht',
    requester: 'Aannemer BV',
    sourceId: '22G003179',
  };
  const geometry = { type: 'Polygon', coordinates: [[[5.9, 51.1], [5.91, 51.1], [5.91, 51.11], [5.9, 51.1]]] };

  it('accepts a feature collection and a single work', () => {
    expect(isWorksCollection({ type: 'FeatureCollection', features: [{ type: 'Feature', id: 3, geometry, properties }] })).toBe(true);
    expect(isWorkDetail({ ...properties, geometry })).toBe(true);
    expect(isWorkDetail({ id: 9 })).toBe(true);
  });

  it('rejects broken features', () => {
    expect(isWorksCollection({ type: 'FeatureCollection', features: [{ type: 'Feature', id: 3, geometry, properties: { ...properties, id: null } }] })).toBe(false);
    expect(isWorksCollection({ type: 'Feature' })).toBe(false);
    expect(isWorkDetail({ ...properties, workKinds: 'gas' })).toBe(false);
  });

  const planned = {
    id: 12, title: 'Vervanging riool Markt', kind: 'vervanging riool', owner: 'maasgouw', ownerName: 'Gemeente Maasgouw',
    systems: ['riool_vrijverval', 'drinkwater'], status: 'gepland', opensGround: true, trenchWidth: 1.2,
    earliestStart: '2026-01-01', preferredStart: '2026-03-01', preferredEnd: '2026-06-30', latestEnd: null,
    costEstimate: 250000, contact: 'j.jansen@maasgouw.demo', confidentiality: 'C1', version: 3,
    startDate: null, endDate: null, requestDate: null, description: null,
  };

  it('accepts a planned work with the issue-5 fields', () => {
    expect(isWorkProperties(planned)).toBe(true);
    expect(isWorkDetail({ ...planned, geometry: { type: 'LineString', coordinates: [[5.9, 51.1], [5.91, 51.1]] } })).toBe(true);
  });

  it('rejects wrongly typed issue-5 fields', () => {
    expect(isWorkProperties({ ...planned, systems: 'riool_vrijverval' })).toBe(false);
    expect(isWorkProperties({ ...planned, systems: [1] })).toBe(false);
    expect(isWorkProperties({ ...planned, opensGround: 'ja' })).toBe(false);
    expect(isWorkProperties({ ...planned, trenchWidth: '1.2' })).toBe(false);
    expect(isWorkProperties({ ...planned, version: Number.NaN })).toBe(false);
    expect(isWorkProperties({ ...planned, preferredStart: 20260301 })).toBe(false);
  });
});

describe('moratoria', () => {
  const properties = {
    id: 4, from: '2026-01-01', until: '2031-01-01', reason: 'Herinrichting Markt gereed', exceptions: ['spoed', 'nieuwe aansluiting'],
    owner: 'maasgouw', ownerName: 'Gemeente Maasgouw', sourceWorkId: null, version: 1,
  };
  const geometry = { type: 'Polygon', coordinates: [[[5.9, 51.1], [5.91, 51.1], [5.91, 51.11], [5.9, 51.1]]] };

  it('accepts a collection, with or without feature ids', () => {
    expect(isMoratoriaCollection({ type: 'FeatureCollection', features: [{ type: 'Feature', id: 4, geometry, properties }] })).toBe(true);
    expect(isMoratoriaCollection({ type: 'FeatureCollection', features: [{ type: 'Feature', geometry, properties: { ...properties, sourceWorkId: 12 } }] })).toBe(true);
    expect(isMoratoriaCollection({ type: 'FeatureCollection', features: [] })).toBe(true);
  });

  it('rejects missing or wrongly typed fields', () => {
    const { reason: _reason, ...noReason } = properties;
    expect(isMoratoriumProperties(noReason)).toBe(false);
    expect(isMoratoriumProperties({ ...properties, exceptions: 'spoed' })).toBe(false);
    expect(isMoratoriumProperties({ ...properties, until: null })).toBe(false);
    expect(isMoratoriumProperties({ ...properties, sourceWorkId: '12' })).toBe(false);
    expect(isMoratoriaCollection({ type: 'FeatureCollection', features: [{ type: 'Feature', id: 'x', geometry, properties }] })).toBe(false);
    expect(isMoratoriaCollection({ type: 'Feature' })).toBe(false);
  });
});

describe('isSearchResponse', () => {
  it('checks every result', () => {
    const result = { kind: 'asset', id: 1, title: 'Kabel', subtitle: 'Enexis', system: 'elektriciteit_ls', bbox: [5, 51, 5.1, 51.1] };
    expect(isSearchResponse({ results: [result, { ...result, kind: 'work', system: null }] })).toBe(true);
    expect(isSearchResponse({ results: [{ ...result, kind: 'hotspot' }] })).toBe(false);
    expect(isSearchResponse({ results: [{ ...result, bbox: null }] })).toBe(false);
  });
});

describe('isConfigResponse / isApiErrorBody', () => {
  it('accepts an offline and an online config', () => {
    expect(isConfigResponse({ basemap: null })).toBe(true);
    expect(isConfigResponse({ basemap: { tiles: ['https://x.test/{z}/{x}/{y}.png'], attribution: 'PDOK' } })).toBe(true);
    expect(isConfigResponse({ basemap: { tiles: [], attribution: 'PDOK' } })).toBe(false);
  });

  it('recognises the error envelope', () => {
    expect(isApiErrorBody({ error: { status: 404, code: 'not_found', message: 'Object 9 bestaat niet', id: 'E404' } })).toBe(true);
    expect(isApiErrorBody({ error: 'boom' })).toBe(false);
  });
});
