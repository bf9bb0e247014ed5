import type { SystemCode } from '../../model/systems.ts';

/** GeoJSON geometry with coordinates in EPSG:28992 (RD New) metres, as delivered. */
export type RdGeometry =
  | { type: 'Point'; coordinates: [number, number] }
  | { type: 'LineString'; coordinates: [number, number][] }
  | { type: 'MultiLineString'; coordinates: [number, number][][] }
  | { type: 'Polygon'; coordinates: [number, number][][] };

export interface KlicOrganisation {
  /** KLIC bronhoudercode, e.g. KL1031 (Enexis), GM1641 (gemeente Maasgouw). */
  code: string;
  name: string;
}

export interface KlicAsset {
  /** gml:id of the object, e.g. "nl.imkl-KL1031.OGCP__gas_g_pipe_..." — stable across deliveries. */
  sourceId: string;
  /** IMKL feature type without prefix: Elektriciteitskabel, Waterleiding, Appurtenance, Kast, ... */
  featureType: string;
  /** Theme from the Utiliteitsnet (last URI segment): laagspanning, gasLageDruk, water, ... */
  theme: string;
  system: SystemCode;
  /** bronhoudercode of the owner (id prefix / Beheerder). */
  ownerCode: string;
  geometry: RdGeometry;
  /** last segment of currentStatus, e.g. functional, disused, projected */
  status: string | null;
  /** ISO date (YYYY-MM-DD) from validFrom; null for 1900-01-01 placeholders? no: keep as delivered */
  inServiceDate: string | null;
  /** last segment of buismateriaalType / material code lists, e.g. steel, PE, PVC */
  material: string | null;
  diameterMm: number | null;
  voltageV: number | null;
  pressureBar: number | null;
  /** appurtenanceType / omschrijving / label text useful for display, e.g. "streetLight", "Netstation" */
  label: string | null;
  /** every other simple property as delivered (code-list URIs reduced to the last segment) */
  attributes: Record<string, string | number | boolean | null>;
}

export interface KlicWork {
  /** gml:id of the Graafpolygoon / Orientatiepolygoon */
  sourceId: string;
  klicMeldnummer: string;
  /** graafmelding | orientatieverzoek | calamiteitenmelding */
  requestType: string;
  /** last segments of soortWerkzaamheden, in document order */
  workKinds: string[];
  title: string;
  description: string | null;
  street: string | null;
  place: string | null;
  /** ISO dates; null when the delivery has none */
  startDate: string | null;
  endDate: string | null;
  requestDate: string | null;
  /** organisation name of the Aanvrager (the excavator) */
  requester: string | null;
  geometry: Extract<RdGeometry, { type: 'Polygon' }>;
}

export interface KlicDelivery {
  /** file name of the zip, e.g. Levering_22G003179_1.zip */
  fileName: string;
  /** name of the GML entry inside the zip */
  gmlEntry: string;
  klicMeldnummer: string;
  organisations: KlicOrganisation[];
  assets: KlicAsset[];
  works: KlicWork[];
  /** counts of IMKL feature types seen but not kept (Maatvoering, Annotatie, ...) */
  skipped: Record<string, number>;
  /** non-fatal problems (e.g. an object with only part of its links in the delivery); absent when none */
  warnings?: string[];
}

/** Thrown for a broken zip or malformed GML; message names the file (and entry/line) and the problem. */
export class KlicImportError extends Error {
  constructor(
    message: string,
    readonly fileName: string,
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'KlicImportError';
  }
}
