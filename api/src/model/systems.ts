/**
 * The fixed taxonomy of vital systems. One source of truth: the database seed
 * (migration 002), the API layer catalogue, the MapLibre styles and the legend
 * all derive from this list.
 */
export const SYSTEM_CODES = [
  'riool_vrijverval',
  'riool_pers',
  'drinkwater',
  'elektriciteit_ls',
  'elektriciteit_ms',
  'elektriciteit_hs',
  'gas_ld',
  'gas_hd',
  'warmte',
  'telecom',
  'groen',
  'mobiliteit',
  'verlichting',
  'overig',
] as const;

export type SystemCode = (typeof SYSTEM_CODES)[number];

export interface VitalSystem {
  code: SystemCode;
  labelNl: string;
  labelEn: string;
  /** Hex colour used on the map and in the legend. Distinct per system. */
  color: string;
  /** Draw order: higher is drawn on top. */
  order: number;
}

export const SYSTEMS: readonly VitalSystem[] = [
  { code: 'riool_vrijverval', labelNl: 'Riolering vrijverval', labelEn: 'Gravity sewer', color: '#8b4513', order: 10 },
  { code: 'riool_pers', labelNl: 'Riolering pers', labelEn: 'Pressure sewer', color: '#d2691e', order: 11 },
  { code: 'drinkwater', labelNl: 'Drinkwater', labelEn: 'Drinking water', color: '#0057ff', order: 20 },
  { code: 'elektriciteit_ls', labelNl: 'Elektriciteit laagspanning', labelEn: 'Electricity low voltage', color: '#e6c300', order: 30 },
  { code: 'elektriciteit_ms', labelNl: 'Elektriciteit middenspanning', labelEn: 'Electricity medium voltage', color: '#ff7f00', order: 31 },
  { code: 'elektriciteit_hs', labelNl: 'Elektriciteit hoogspanning', labelEn: 'Electricity high voltage', color: '#e4007c', order: 32 },
  { code: 'gas_ld', labelNl: 'Gas lage druk', labelEn: 'Gas low pressure', color: '#2ca02c', order: 40 },
  { code: 'gas_hd', labelNl: 'Gas hoge druk', labelEn: 'Gas high pressure', color: '#006400', order: 41 },
  { code: 'warmte', labelNl: 'Warmte', labelEn: 'District heat', color: '#dc143c', order: 50 },
  { code: 'telecom', labelNl: 'Telecom / data', labelEn: 'Telecom / data', color: '#9400d3', order: 60 },
  { code: 'groen', labelNl: 'Groen', labelEn: 'Green', color: '#55a630', order: 5 },
  { code: 'mobiliteit', labelNl: 'Mobiliteit', labelEn: 'Mobility', color: '#6c757d', order: 4 },
  { code: 'verlichting', labelNl: 'Openbare verlichting', labelEn: 'Street lighting', color: '#00bcd4', order: 70 },
  { code: 'overig', labelNl: 'Overig', labelEn: 'Other', color: '#444444', order: 1 },
];

export function isSystemCode(value: unknown): value is SystemCode {
  return typeof value === 'string' && (SYSTEM_CODES as readonly string[]).includes(value);
}

export function getSystem(code: SystemCode): VitalSystem {
  const found = SYSTEMS.find((s) => s.code === code);
  if (!found) throw new Error(`unknown system ${code}`);
  return found;
}

/**
 * KLIC/IMKL theme (last segment of the Thema code-list URI) → vital system.
 * Street lighting has no theme of its own in IMKL: see mapKlicSystem in the importer.
 */
export const KLIC_THEME_TO_SYSTEM: Readonly<Record<string, SystemCode>> = {
  laagspanning: 'elektriciteit_ls',
  middenspanning: 'elektriciteit_ms',
  hoogspanning: 'elektriciteit_hs',
  landelijkHoogspanningsnet: 'elektriciteit_hs',
  gasLageDruk: 'gas_ld',
  gasHogeDruk: 'gas_hd',
  water: 'drinkwater',
  rioolVrijverval: 'riool_vrijverval',
  rioolOnderOverOfOnderdruk: 'riool_pers',
  warmte: 'warmte',
  datatransport: 'telecom',
  buisleidingGevaarlijkeInhoud: 'overig',
  overig: 'overig',
};
