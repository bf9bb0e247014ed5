/**
 * Human labels for IMKL object types and material codes, Dutch and English. Pure data shared by
 * the API and the web client (the raw code is always shown next to the label).
 */
export interface Label {
  nl: string;
  en: string;
}

export const FEATURE_TYPE_LABELS: Readonly<Record<string, Label>> = {
  Elektriciteitskabel: { nl: 'Elektriciteitskabel', en: 'Power cable' },
  OlieGasChemicalienPijpleiding: { nl: 'Gasleiding', en: 'Gas pipe' },
  Waterleiding: { nl: 'Waterleiding', en: 'Water main' },
  Rioolleiding: { nl: 'Rioolleiding', en: 'Sewer pipe' },
  Telecommunicatiekabel: { nl: 'Telecomkabel', en: 'Telecom cable' },
  ThermischePijpleiding: { nl: 'Warmteleiding', en: 'Heat pipe' },
  Mantelbuis: { nl: 'Mantelbuis', en: 'Casing pipe' },
  Kabelbed: { nl: 'Kabelbed', en: 'Cable bed' },
  Duct: { nl: 'Kabelgoot / buizenbundel', en: 'Duct' },
  Appurtenance: { nl: 'Leidingonderdeel', en: 'Network fitting' },
  Kast: { nl: 'Kast', en: 'Cabinet' },
  Mast: { nl: 'Mast', en: 'Pole' },
  Put: { nl: 'Put', en: 'Manhole' },
  TechnischGebouw: { nl: 'Technisch gebouw', en: 'Technical building' },
};

/** IMKL PipeMaterialType codes and the abbreviations in WML pipe labels. */
export const MATERIAL_LABELS: Readonly<Record<string, Label>> = {
  PVC: { nl: 'pvc', en: 'PVC' },
  SPVC: { nl: 'slagvast pvc', en: 'impact-resistant PVC' },
  PE: { nl: 'polyetheen', en: 'polyethylene' },
  HDPE: { nl: 'hogedichtheid-polyetheen', en: 'high-density polyethylene' },
  steel: { nl: 'staal', en: 'steel' },
  ST: { nl: 'staal', en: 'steel' },
  concrete: { nl: 'beton', en: 'concrete' },
  reinforcedConcrete: { nl: 'gewapend beton', en: 'reinforced concrete' },
  AC: { nl: 'asbestcement', en: 'asbestos cement' },
  NGIJ: { nl: 'nodulair gietijzer', en: 'ductile iron' },
  GIJ: { nl: 'grijs gietijzer', en: 'grey cast iron' },
  castIron: { nl: 'gietijzer', en: 'cast iron' },
  gres: { nl: 'gres', en: 'vitrified clay' },
  CU: { nl: 'koper', en: 'copper' },
  overig: { nl: 'overig', en: 'other' },
  onbekend: { nl: 'onbekend', en: 'unknown' },
};

/** "Label (code)" in the language, or the code itself when there is no label. */
export function labelWithCode(table: Readonly<Record<string, Label>>, code: string, lang: 'nl' | 'en'): string {
  const label = table[code]?.[lang];
  if (!label) return code;
  return label.toLowerCase() === code.toLowerCase() ? label : `${label} (${code})`;
}
