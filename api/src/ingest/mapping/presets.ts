/**
 * Mapping presets per known source, recognised from the field names. The analyst sees the
 * proposal and corrects it; the mapping actually used is stored with the dataset.
 */
import { type AssetMapping, EMPTY_MAPPING, type SystemRef } from '../../model/asset-mapping.ts';
import { SYSTEMS, type SystemCode } from '../../model/systems.ts';

export type PresetId = 'bgt-wegdeel' | 'bgt-begroeidterreindeel' | 'bomen' | 'riool';

export interface Proposal {
  preset: PresetId | null;
  mapping: AssetMapping;
}

/** The first field (case-insensitive) among the candidates, as a FieldRef. */
function pick(fields: readonly string[], ...candidates: string[]): { field: string } | null {
  for (const c of candidates) {
    const hit = fields.find((f) => f.toLowerCase() === c.toLowerCase());
    if (hit) return { field: hit };
  }
  return null;
}

const has = (fields: readonly string[], ...names: string[]) => names.every((n) => pick(fields, n) !== null);

const ID_FIELDS = ['lokaalid', 'lokaalID', 'identificatie', 'gml_id', 'guid', 'uuid', 'objectid', 'elementnr', 'id', 'fid'];

function bgtWegdeel(f: readonly string[]): AssetMapping {
  return {
    ...EMPTY_MAPPING,
    system: { value: 'mobiliteit' },
    sourceId: pick(f, 'lokaalid', 'identificatie', 'gml_id'),
    assetClass: pick(f, 'function', 'functie', 'bgt-functie'),
    owner: pick(f, 'bronhouder'),
    material: pick(f, 'surfacematerial', 'fysiekvoorkomen', 'bgt-fysiekVoorkomen', 'plus_fysiekvoorkomenwegdeel'),
    status: pick(f, 'bgt_status', 'status'),
    label: pick(f, 'plus_fysiekvoorkomenwegdeel', 'function'),
  };
}

function bgtBegroeid(f: readonly string[]): AssetMapping {
  return {
    ...EMPTY_MAPPING,
    system: { value: 'groen' },
    sourceId: pick(f, 'lokaalid', 'identificatie', 'gml_id'),
    assetClass: pick(f, 'class', 'fysiekvoorkomen', 'bgt-fysiekVoorkomen'),
    owner: pick(f, 'bronhouder'),
    status: pick(f, 'bgt_status', 'status'),
    label: pick(f, 'plus_fysiekvoorkomen', 'class'),
  };
}

function bomen(f: readonly string[]): AssetMapping {
  return {
    ...EMPTY_MAPPING,
    system: { value: 'groen' },
    sourceId: pick(f, 'elementnr', 'boomnummer', 'boom_id', 'id', ...ID_FIELDS),
    assetClass: { value: 'boom' },
    owner: pick(f, 'eigenaar', 'beheerder'),
    inServiceYear: pick(f, 'plantjaar', 'aanlegjaar', 'jaar_aanleg'),
    status: pick(f, 'status'),
    condition: pick(f, 'conditie', 'vitaliteit', 'kwaliteit'),
    replacementYear: pick(f, 'vervangjaar', 'eindjaar'),
    label: pick(f, 'boomsoort', 'soortnaam', 'soort', 'species'),
  };
}

function riool(f: readonly string[]): AssetMapping {
  const type = pick(f, 'stelseltype', 'stelseltyp', 'leidingtype', 'type', 'stelsel');
  return {
    ...EMPTY_MAPPING,
    system: type
      ? { field: type.field, map: { persleiding: 'riool_pers', pers: 'riool_pers', drukriolering: 'riool_pers' }, fallback: 'riool_vrijverval' }
      : { value: 'riool_vrijverval' },
    sourceId: pick(f, 'leidingid', 'streng_id', 'strengid', 'guid', 'id', ...ID_FIELDS),
    assetClass: pick(f, 'stelseltype', 'stelseltyp', 'leidingtype', 'type') ?? { value: 'rioolleiding' },
    owner: pick(f, 'beheerder', 'eigenaar'),
    material: pick(f, 'materiaal', 'material'),
    diameterMm: pick(f, 'diameter', 'diameter_mm', 'breedte', 'nominale_diameter'),
    inServiceYear: pick(f, 'aanlegjaar', 'jaar_aanleg', 'bouwjaar'),
    status: pick(f, 'status'),
    condition: pick(f, 'conditie', 'toestand'),
    replacementYear: pick(f, 'vervangjaar', 'verwacht_vervangjaar'),
    label: pick(f, 'naam', 'omschrijving'),
  };
}

/** Values a "system"/"thema" column commonly holds → the taxonomy; the codes themselves map to themselves. */
const SYSTEM_WORDS: Record<string, SystemCode> = {
  ...Object.fromEntries(SYSTEMS.map((s) => [s.code, s.code])),
  riool: 'riool_vrijverval', riolering: 'riool_vrijverval', persleiding: 'riool_pers', water: 'drinkwater',
  elektriciteit: 'elektriciteit_ls', laagspanning: 'elektriciteit_ls', middenspanning: 'elektriciteit_ms',
  hoogspanning: 'elektriciteit_hs', gas: 'gas_ld', gaslagedruk: 'gas_ld', gashogedruk: 'gas_hd', stadsverwarming: 'warmte',
  datatransport: 'telecom', glasvezel: 'telecom', landelijkhoogspanningsnet: 'elektriciteit_hs',
};

function systemField(f: readonly string[]): SystemRef {
  const field = pick(f, 'system', 'systeem', 'thema', 'theme', 'netwerk');
  return field ? { field: field.field, map: SYSTEM_WORDS, fallback: 'overig' } : { value: 'overig' };
}

function generic(f: readonly string[]): AssetMapping {
  return {
    ...EMPTY_MAPPING,
    system: systemField(f),
    sourceId: pick(f, ...ID_FIELDS),
    assetClass: pick(f, 'type', 'class', 'klasse', 'objecttype'),
    owner: pick(f, 'eigenaar', 'beheerder', 'owner', 'netbeheerder', 'bronhouder'),
    material: pick(f, 'materiaal', 'material'),
    diameterMm: pick(f, 'diameter', 'diameter_mm', 'diameter_m'),
    // 'in_service' is 'in_service_year' cut to a shapefile's 10 characters
    inServiceYear: pick(f, 'aanlegjaar', 'bouwjaar', 'in_service_year', 'in_service', 'jaar'),
    status: pick(f, 'status'),
    condition: pick(f, 'conditie', 'toestand', 'condition'),
    replacementYear: pick(f, 'vervangjaar', 'replacement_year'),
    label: pick(f, 'naam', 'name', 'label', 'omschrijving'),
  };
}

/** Propose a mapping from the field names (and the layer name, e.g. "bgt_wegdeel"). */
export function proposeMapping(fields: readonly string[], layerName = ''): Proposal {
  const layer = layerName.toLowerCase();
  if (layer.includes('wegdeel') || has(fields, 'surfacematerial') || has(fields, 'plus_fysiekvoorkomenwegdeel')) {
    return { preset: 'bgt-wegdeel', mapping: bgtWegdeel(fields) };
  }
  if (layer.includes('begroeid') || has(fields, 'begroeidterreindeeloptalud')) {
    return { preset: 'bgt-begroeidterreindeel', mapping: bgtBegroeid(fields) };
  }
  if (pick(fields, 'boomsoort', 'soortnaam', 'plantjaar') !== null || layer.includes('boom') || layer.includes('bomen')) {
    return { preset: 'bomen', mapping: bomen(fields) };
  }
  if (layer.includes('riool') || pick(fields, 'stelseltype', 'stelseltyp', 'streng_id', 'strengid') !== null || (has(fields, 'materiaal') && pick(fields, 'diameter', 'breedte') !== null)) {
    return { preset: 'riool', mapping: riool(fields) };
  }
  return { preset: null, mapping: generic(fields) };
}
