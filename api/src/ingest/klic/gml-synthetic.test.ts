/**
 * Parser + mapper on small SYNTHETIC IMKL snippets (not real data): cases the Maasgouw deliveries
 * do not contain — missing links, 3D coordinates, cm/m/kV/mbar units, interior rings, other CRSs —
 * and streaming across awkward chunk boundaries (inside tags and inside a multi-byte character).
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { mapDelivery } from './map-delivery.ts';
import { parseGmlStream } from './parse-gml.ts';
import { KlicImportError } from './types.ts';
import type { KlicDelivery } from './types.ts';

const NS = [
  'xmlns:gml="http://www.opengis.net/gml/3.2"',
  'xmlns:imkl="http://www.geostandaarden.nl/imkl/wibon"',
  'xmlns:net="http://inspire.ec.europa.eu/schemas/net/4.0"',
  'xmlns:us-net-common="http://inspire.ec.europa.eu/schemas/us-net-common/4.0"',
  'xmlns:us-net-el="http://inspire.ec.europa.eu/schemas/us-net-el/4.0"',
  'xmlns:xlink="http://www.w3.org/1999/xlink"',
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
].join(' ');
const CL = 'http://definities.geostandaarden.nl/imkl2015/id/waarde';
const RD = 'urn:ogc:def:crs:EPSG::28992';

const net = (id: string, theme: string): string =>
  `<imkl:Utiliteitsnet gml:id="${id}"><imkl:thema xlink:href="${CL}/Thema/${theme}"/></imkl:Utiliteitsnet>`;
const link = (id: string, posList: string, attrs = `srsName="${RD}"`): string =>
  `<us-net-common:UtilityLink gml:id="${id}"><net:centrelineGeometry><gml:LineString gml:id="${id}-g" ${attrs}>` +
  `<gml:posList>${posList}</gml:posList></gml:LineString></net:centrelineGeometry></us-net-common:UtilityLink>`;

function gml(...features: string[]): string {
  const members = features.map((f) => `<gml:featureMember>${f}</gml:featureMember>`).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<gml:FeatureCollection gml:id="fc" ${NS}>\n${members}\n</gml:FeatureCollection>\n`;
}

/** Feed the document in 7-byte chunks so tags, attribute values and UTF-8 sequences are split. */
async function parse(xml: string): Promise<KlicDelivery> {
  const bytes = Buffer.from(xml, 'utf-8');
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 7) chunks.push(bytes.subarray(i, i + 7));
  const source = { fileName: 'synthetic.zip', entryName: 'GI_gebiedsinformatielevering_test.xml' };
  const parsed = await parseGmlStream(Readable.from(chunks), source);
  return mapDelivery(parsed, { fileName: source.fileName, gmlEntry: source.entryName });
}

const cable = (id: string, links: string[], body = '', network = 'nl.imkl-KL9999.NET_ls'): string =>
  `<imkl:Elektriciteitskabel gml:id="${id}"><net:inNetwork xlink:href="${network}"/>` +
  links.map((l) => `<net:link xlink:href="${l}"/>`).join('') +
  body +
  '</imkl:Elektriciteitskabel>';

describe('synthetic GML', () => {
  it('keeps x,y of 3D coordinates and converts kV, cm and mbar', async () => {
    const d = await parse(
      gml(
        net('nl.imkl-KL9999.NET_ls', 'laagspanning'),
        link('nl.imkl-KL9999.L1', '10 400000 1.5 20 400010 1.7', `srsName="${RD}" srsDimension="3"`),
        cable('nl.imkl-KL9999.C1', ['nl.imkl-KL9999.L1'],
          '<us-net-el:operatingVoltage uom="urn:ogc:def:uom:OGC::kV">10</us-net-el:operatingVoltage>' +
          '<us-net-common:pipeDiameter uom="urn:ogc:def:uom:OGC::cm">16</us-net-common:pipeDiameter>' +
          '<us-net-common:pressure uom="urn:ogc:def:uom:OGC::mbar">100</us-net-common:pressure>' +
          '<us-net-common:warningType xsi:nil="true"/><imkl:label>Tracénaam: 12</imkl:label>'),
      ),
    );
    expect(d.assets).toHaveLength(1);
    expect(d.assets[0]).toMatchObject({
      ownerCode: 'KL9999', system: 'elektriciteit_ls', voltageV: 10000, diameterMm: 160, pressureBar: 0.1, label: 'Tracénaam: 12',
      geometry: { type: 'LineString', coordinates: [[10, 400000], [20, 400010]] },
      attributes: { warningType: null },
    });
  });

  it('skips objects without their links and warns about partial ones', async () => {
    const d = await parse(
      gml(
        net('nl.imkl-KL9999.NET_ls', 'laagspanning'),
        link('nl.imkl-KL9999.L1', '0 300000 1 300001'),
        cable('nl.imkl-KL9999.C1', ['nl.imkl-KL9999.GONE']),
        cable('nl.imkl-KL9999.C2', ['nl.imkl-KL9999.L1', 'nl.imkl-KL9999.GONE']),
      ),
    );
    expect(d.assets.map((a) => a.sourceId)).toEqual(['nl.imkl-KL9999.C2']);
    expect(d.skipped).toEqual({ 'Elektriciteitskabel:missingLink': 1 });
    expect(d.warnings).toEqual(['Elektriciteitskabel nl.imkl-KL9999.C2: 1 of 2 links missing; geometry is partial']);
  });

  it('reads polygons with interior rings and gml:pos points in other RD spellings', async () => {
    const ring = (c: string): string => `<gml:LinearRing><gml:posList>${c}</gml:posList></gml:LinearRing>`;
    const d = await parse(
      gml(
        net('nl.imkl-GM0001.NET_ls', 'laagspanning'),
        '<imkl:TechnischGebouw gml:id="nl.imkl-GM0001.T1"><imkl:inNetwork xlink:href="nl.imkl-GM0001.NET_ls"/>' +
          '<us-net-common:geometry><gml:Polygon srsName="http://www.opengis.net/def/crs/EPSG/0/28992">' +
          `<gml:exterior>${ring('0 0 10 0 10 10 0 0')}</gml:exterior><gml:interior>${ring('1 1 2 1 2 2 1 1')}</gml:interior>` +
          '</gml:Polygon></us-net-common:geometry></imkl:TechnischGebouw>',
        '<imkl:Appurtenance gml:id="nl.imkl-GM0001.A1"><net:inNetwork xlink:href="nl.imkl-GM0001.NET_ls"/>' +
          '<net:geometry><gml:Point srsName="urn:x-ogc:def:crs:EPSG:28992"><gml:pos>5 6 7</gml:pos></gml:Point></net:geometry>' +
          `<us-net-common:appurtenanceType xlink:href="${CL}/ElectricityAppurtenanceTypeIMKLValue/mof"/></imkl:Appurtenance>`,
      ),
    );
    expect(d.assets[0]?.geometry).toEqual({ type: 'Polygon', coordinates: [[[0, 0], [10, 0], [10, 10], [0, 0]], [[1, 1], [2, 1], [2, 2], [1, 1]]] });
    expect(d.assets[1]).toMatchObject({ geometry: { type: 'Point', coordinates: [5, 6] }, label: 'mof', system: 'verlichting' });
  });

  it('rejects a geometry in another CRS, naming the feature', async () => {
    const doc = gml(
      net('nl.imkl-KL9999.NET_ls', 'laagspanning'),
      '<imkl:Kast gml:id="nl.imkl-KL9999.K1"><us-net-common:geometry><gml:Point srsName="EPSG:4326"><gml:pos>51.2 5.9</gml:pos>' +
        '</gml:Point></us-net-common:geometry></imkl:Kast>',
    );
    await expect(parse(doc)).rejects.toThrow(KlicImportError);
    await expect(parse(doc)).rejects.toThrow(/^synthetic\.zip: .*line 4: Kast nl\.imkl-KL9999\.K1: unsupported srsName "EPSG:4326"/);
  });

  it('reports malformed XML with entry, line and column', async () => {
    const doc = gml(net('nl.imkl-KL9999.NET_ls', 'laagspanning'), '<imkl:Kast gml:id="x"></imkl:Mast>');
    await expect(parse(doc)).rejects.toThrow(
      /^synthetic\.zip: malformed XML in GI_gebiedsinformatielevering_test\.xml at line 4, column \d+: unexpected close tag/,
    );
  });

  it('rejects a posList whose length does not fit srsDimension', async () => {
    const doc = gml(link('nl.imkl-KL9999.L1', '1 2 3', `srsName="${RD}" srsDimension="2"`));
    await expect(parse(doc)).rejects.toThrow(/UtilityLink nl\.imkl-KL9999\.L1: gml:posList has 3 numbers/);
  });
});
