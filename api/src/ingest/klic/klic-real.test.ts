/**
 * parseKlicZip against the six real KLIC deliveries in data/klic-maasgouw (Maasbracht / Wessem).
 *
 * Expected numbers were computed independently of this code, with a Python script using
 * xml.etree.ElementTree on the unzipped GML (`unzip Levering_*.zip`, then per file): an object is
 * an asset when it has `net:link` children (all of them resolvable to a UtilityLink) or a
 * `net:geometry` / `us-net-common:geometry` child; its theme is the `imkl:thema` of the
 * Utiliteitsnet its first `inNetwork` points to; system = streetLight Appurtenance → verlichting,
 * GM-owned laagspanning → verlichting, laagspanning cables whose omschrijving ends in "met functie
 * OV" (street-lighting function, counted with a regex over imkl:omschrijving) → verlichting, otherwise the theme table of model/systems.ts. Street
 * lights were counted as Appurtenance elements whose appurtenanceType href ends in /streetLight.
 * Overlap figures: for assets whose gml:id occurs in both deliveries, the centreline coordinates
 * (joined via net:link) or gml:pos were compared as tuples.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { parseKlicZip } from './index.ts';
import type { KlicAsset, KlicDelivery } from './types.ts';

const DATA = fileURLToPath(new URL('../../../../data/klic-maasgouw/', import.meta.url));
const zip = (meldnummer: string): string => `${DATA}Levering_${meldnummer}_1.zip`;

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
}

const deliveries = new Map<string, KlicDelivery>();
const get = (meldnummer: string): KlicDelivery => {
  const d = deliveries.get(meldnummer);
  if (!d) throw new Error(`delivery ${meldnummer} not parsed`);
  return d;
};

beforeAll(async () => {
  for (const nr of ['22G003179', '22G003181', '22G003182', '22O000514', '22O000517', '22O000518']) {
    deliveries.set(nr, await parseKlicZip(zip(nr)));
  }
}, 60_000);

describe('assets per vital system (independently counted with Python/ElementTree)', () => {
  const expected: Record<string, Record<string, number>> = {
    '22G003179': { drinkwater: 282, elektriciteit_ls: 575, elektriciteit_ms: 32, gas_ld: 683, riool_vrijverval: 553, verlichting: 110 },
    '22G003181': {
      drinkwater: 385, elektriciteit_ls: 1078, elektriciteit_ms: 63, gas_hd: 1, gas_ld: 990, riool_pers: 3,
      riool_vrijverval: 434, verlichting: 235,
    },
    '22G003182': { drinkwater: 242, elektriciteit_ls: 634, elektriciteit_ms: 47, gas_hd: 12, gas_ld: 638, riool_vrijverval: 218, verlichting: 109 },
    '22O000514': { drinkwater: 536, elektriciteit_ls: 791, elektriciteit_ms: 6, gas_ld: 875, riool_vrijverval: 716, verlichting: 179 },
    '22O000517': {
      drinkwater: 913, elektriciteit_ls: 2434, elektriciteit_ms: 135, gas_hd: 28, gas_ld: 2467, riool_pers: 4,
      riool_vrijverval: 1111, verlichting: 451,
    },
    '22O000518': { drinkwater: 121, elektriciteit_ls: 306, elektriciteit_ms: 20, gas_hd: 2, gas_ld: 292, riool_vrijverval: 103, verlichting: 47 },
  };
  for (const [nr, systems] of Object.entries(expected)) {
    it(`Levering_${nr}_1.zip`, () => {
      expect(countBy(get(nr).assets, (a) => a.system)).toEqual(systems);
    });
  }

  it('counts feature types and skipped types of 22O000517', () => {
    const d = get('22O000517');
    expect(countBy(d.assets, (a) => a.featureType)).toEqual({
      Appurtenance: 3875, Duct: 63, Elektriciteitskabel: 949, Kabelbed: 470, Kast: 36, Mantelbuis: 68,
      OlieGasChemicalienPijpleiding: 1033, Rioolleiding: 413, TechnischGebouw: 8, Waterleiding: 628,
    });
    expect(d.skipped).toMatchObject({ Maatvoering: 7026, Annotatie: 801, ExtraGeometrie: 40, EigenTopografie: 18, AanduidingEisVoorzorgsmaatregel: 15 });
    expect(Object.keys(d.skipped).filter((k) => k.includes(':'))).toEqual([]); // every net:link resolves
    expect(d.warnings).toBeUndefined();
  });

  it('names the organisations as delivered', () => {
    expect(get('22G003179').organisations).toEqual([
      { code: 'KL1110', name: 'WML N.V.' },
      { code: 'GM1641', name: 'Gemeente Maasgouw' },
      { code: 'KL1051', name: 'KPN' },
      { code: 'KL1031', name: 'Enexis B.V.' },
    ]);
  });
});

describe('a real Enexis gas pipe', () => {
  it('maps material, diameter, status, date, owner and geometry (22G003179)', () => {
    const pipe = get('22G003179').assets.find((a) => a.sourceId === 'nl.imkl-KL1031.OGCP__gas_g_pipe_6499547023758906794_12201955');
    expect(pipe).toMatchObject({
      featureType: 'OlieGasChemicalienPijpleiding', theme: 'gasLageDruk', system: 'gas_ld', ownerCode: 'KL1031',
      status: 'disused', inServiceDate: '1972-12-25', material: 'steel', diameterMm: 80, pressureBar: 0, voltageV: null,
    });
    expect(pipe?.attributes).toMatchObject({ oilGasChemicalsProductType: 'naturalGas', utilityDeliveryType: 'distribution', warningType: null });
    expect(pipe?.geometry.type).toBe('LineString');
    expect(pipe?.geometry.coordinates).toHaveLength(4);
    expect(pipe?.geometry.coordinates[0]).toEqual([190105.335, 350876.723]);
  });

  it('joins two links into a MultiLineString (22G003182 clips the pipe into .1 and .2)', () => {
    const id = 'nl.imkl-KL1031.OGCP__gas_g_pipe_29779140_10926935';
    const clipped = get('22G003182').assets.find((a) => a.sourceId === id);
    expect(clipped?.geometry.type).toBe('MultiLineString');
    expect((clipped?.geometry.coordinates as [number, number][][]).map((l) => l.length)).toEqual([3, 7]);
    expect(clipped).toMatchObject({ material: 'SPVC', diameterMm: 110, pressureBar: 0.1, status: 'functional', inServiceDate: '1979-01-01' });
    const whole = get('22O000517').assets.find((a) => a.sourceId === id);
    expect(whole?.geometry).toMatchObject({ type: 'LineString' });
    expect(whole?.geometry.coordinates).toHaveLength(9);
  });
});

describe('street lighting', () => {
  const lights = (nr: string): KlicAsset[] => get(nr).assets.filter((a) => a.label === 'streetLight');

  it('finds the streetLight appurtenances per delivery', () => {
    const counts = ['22G003179', '22G003181', '22G003182', '22O000514', '22O000517', '22O000518'].map((nr) => lights(nr).length);
    expect(counts).toEqual([39, 94, 39, 65, 174, 16]);
    for (const a of lights('22O000517')) {
      expect(a).toMatchObject({ featureType: 'Appurtenance', system: 'verlichting', ownerCode: 'KL1031', theme: 'laagspanning' });
      expect(a.geometry.type).toBe('Point');
    }
  });

  it('maps a known street light point', () => {
    const a = get('22O000517').assets.find((x) => x.sourceId === 'nl.imkl-KL1031.APPU__elec_e_street_light_connection_28791242_78165862');
    expect(a).toMatchObject({ system: 'verlichting', label: 'streetLight', inServiceDate: '2018-05-02', status: 'functional' });
    expect(a?.geometry).toEqual({ type: 'Point', coordinates: [189409.687, 351749.665] });
    expect(a?.attributes['omschrijving']).toBe('Openbare Verlichting (gemeente)');
  });

  it("puts the municipality's 230 V laagspanning network under verlichting", () => {
    const gm = get('22O000517').assets.filter((a) => a.ownerCode === 'GM1641' && a.theme === 'laagspanning');
    expect(countBy(gm, (a) => a.featureType)).toEqual({ Kast: 5, Mantelbuis: 2, Elektriciteitskabel: 6 });
    expect(gm.every((a) => a.system === 'verlichting')).toBe(true);
    expect(gm.filter((a) => a.featureType === 'Elektriciteitskabel').every((a) => a.voltageV === 230)).toBe(true);
    // verlichting = street lights + GM laagspanning objects + Enexis cables "met functie OV"
    expect(get('22O000517').assets.filter((a) => a.system === 'verlichting')).toHaveLength(174 + 13 + 264);
    const ov = get('22O000517').assets.filter((a) => a.ownerCode === 'KL1031' && a.featureType === 'Elektriciteitskabel' && a.system === 'verlichting');
    expect(ov.every((a) => /met functie OV$/.test(a.label ?? ''))).toBe(true);
  });
});

describe('works', () => {
  it('reads the dig notice 22G003179', () => {
    const [work, ...rest] = get('22G003179').works;
    expect(rest).toEqual([]);
    expect(work).toMatchObject({
      sourceId: 'nl.imkl-KA0000._Graafpolygoon_22G003179', klicMeldnummer: '22G003179', requestType: 'graafmelding',
      workKinds: ['HDPEbuisLeggen', 'heien', 'hekwerkPlaatsen', 'waterbouwkundigeWerken', 'waterleidingLeggen'],
      title: 'KLIC 22G003179 — HDPEbuisLeggen Julianalaan', description: 'TEST', street: 'Julianalaan', place: 'Maasbracht',
      startDate: '2022-03-31', endDate: '2022-03-31', requestDate: '2022-03-25', requester: 'FTO Grondroerder01',
    });
    expect(work?.geometry.coordinates[0]).toEqual([[189989, 350924], [190038, 350733], [190239, 350785], [190176, 350982], [189989, 350924]]);
  });

  it('reads the orientation request 22O000514 (no start/end dates delivered)', () => {
    const [work] = get('22O000514').works;
    expect(work).toMatchObject({
      sourceId: 'nl.imkl-KA0000._Orientatiepolygoon_22O000514', requestType: 'orientatieverzoek',
      workKinds: ['heien', 'hekwerkPlaatsen', 'hovenierswerkzaamheden'], street: 'Parklaan', place: 'Maasbracht',
      startDate: null, endDate: null, requestDate: '2022-03-25', title: 'KLIC 22O000514 — heien Parklaan',
    });
    expect(work?.geometry.coordinates[0]).toHaveLength(10);
    expect(get('22O000514').klicMeldnummer).toBe('22O000514');
  });
});

describe('overlapping deliveries', () => {
  function common(a: string, b: string): [KlicAsset, KlicAsset][] {
    const byId = new Map(get(b).assets.map((x) => [x.sourceId, x]));
    return get(a).assets.flatMap((x) => {
      const y = byId.get(x.sourceId);
      return y ? [[x, y] as [KlicAsset, KlicAsset]] : [];
    });
  }

  it('gives identical records for the same gml:id, except lines KLIC clipped to the request area', () => {
    const pairs = common('22G003179', '22O000514');
    expect(pairs).toHaveLength(1070);
    for (const [x, y] of pairs) expect({ ...x, geometry: null }).toEqual({ ...y, geometry: null });
    const same = pairs.filter(([x, y]) => JSON.stringify(x.geometry) === JSON.stringify(y.geometry));
    const points = pairs.filter(([x]) => x.geometry.type === 'Point');
    expect(points).toHaveLength(510);
    expect(points.every(([x, y]) => JSON.stringify(x.geometry) === JSON.stringify(y.geometry))).toBe(true);
    expect(same).toHaveLength(510 + 474); // 86 centrelines differ: clipped differently per delivery
  });

  it('holds for 22G003181 / 22O000517 too', () => {
    const pairs = common('22G003181', '22O000517');
    expect(pairs).toHaveLength(3106);
    for (const [x, y] of pairs) expect({ ...x, geometry: null }).toEqual({ ...y, geometry: null });
    const same = pairs.filter(([x, y]) => JSON.stringify(x.geometry) === JSON.stringify(y.geometry));
    expect(same).toHaveLength(1587 + 1388);
  });
});

describe('performance', () => {
  it('parses the 27 MB delivery 22O000517 in a few seconds', async () => {
    const t0 = performance.now();
    const d = await parseKlicZip(zip('22O000517'));
    const ms = performance.now() - t0;
    console.info(`parseKlicZip(Levering_22O000517_1.zip): ${Math.round(ms)} ms, ${d.assets.length} assets`);
    expect(d.assets).toHaveLength(7543);
    expect(ms).toBeLessThan(5000);
  }, 20_000);
});
