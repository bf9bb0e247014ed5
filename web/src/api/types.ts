/**
 * Shapes of the Samenhang HTTP API as the web client sees them.
 * Every response enters through a guard in ./guards.ts.
 */
import type { AssetMapping } from '@model/asset-mapping.ts';
import type { SystemCode } from '@model/systems.ts';

/** WGS84 bounding box: [west, south, east, north]. */
export type Bbox = [number, number, number, number];

export interface LayerInfo {
  id: SystemCode;
  labelNl: string;
  labelEn: string;
  color: string;
  count: number;
  geometryTypes: string[];
  tilejson: string;
}

export interface LayersResponse {
  extent: Bbox | null;
  layers: LayerInfo[];
  works: { count: number };
}

export interface Owner {
  code?: string | null;
  name?: string | null;
  kind?: string | null;
}

export type AttributeValue = string | number | boolean | null;

/** Detail of one asset. Fields other than id/system may be absent or null when unknown. */
export interface AssetDetail {
  id: number;
  system: SystemCode;
  sourceId?: string | null;
  /** a file layer's feature: its number in the delivered file */
  featureNo?: number | null;
  featureType?: string | null;
  theme?: string | null;
  owner?: Owner | null;
  material?: string | null;
  diameterMm?: number | null;
  voltageV?: number | null;
  pressureBar?: number | null;
  status?: string | null;
  /** YYYY-MM-DD */
  inServiceDate?: string | null;
  /** the year alone, when the source gave no date (file imports) */
  inServiceYear?: number | null;
  condition?: string | null;
  replacementYear?: number | null;
  label?: string | null;
  attributes?: Record<string, AttributeValue>;
  datasetName?: string | null;
  /** the organisation the layer (delivery or imported file) belongs to, which need not own the asset */
  datasetOwnerName?: string | null;
}

/**
 * Properties of a planned work (issue 5: planned by an owner, or a KLIC request). Fields other
 * than id may be absent or null. Dates are 'YYYY-MM-DD'.
 */
export interface WorkProperties {
  id: number;
  title?: string | null;
  /** One of WORK_KINDS (api/src/model/work.ts), or KLIC free text for KLIC requests. */
  kind?: string | null;
  /** Organisation slug of the owner. */
  owner?: string | null;
  ownerName?: string | null;
  /** System codes (SystemCode); unknown codes are kept here and ignored where drawn. */
  systems?: string[];
  /** One of WORK_STATUSES. */
  status?: string | null;
  opensGround?: boolean | null;
  /** Metres. */
  trenchWidth?: number | null;
  earliestStart?: string | null;
  preferredStart?: string | null;
  preferredEnd?: string | null;
  latestEnd?: string | null;
  costEstimate?: number | null;
  contact?: string | null;
  /** 'C0'..'C3' */
  confidentiality?: string | null;
  version?: number | null;
  // KLIC request fields
  workKinds?: string[];
  requestType?: string | null;
  startDate?: string | null;
  endDate?: string | null;
  requestDate?: string | null;
  street?: string | null;
  place?: string | null;
  description?: string | null;
  requester?: string | null;
  sourceId?: string | null;
}

/** A GeoJSON geometry as received; checked in depth only where it is drawn. */
export interface WorkGeometry {
  type: string;
  coordinates?: unknown;
  geometries?: unknown;
}

export interface WorkFeature {
  type: 'Feature';
  id: number;
  geometry: WorkGeometry | null;
  properties: WorkProperties;
}

export interface WorksCollection {
  type: 'FeatureCollection';
  features: WorkFeature[];
}

export type WorkDetail = WorkProperties & { geometry?: WorkGeometry | null };

/** A dig moratorium (graafrust): the ground may not be opened from `from` until `until` (inclusive). */
export interface MoratoriumProperties {
  id: number;
  /** YYYY-MM-DD */
  from: string;
  /** YYYY-MM-DD */
  until: string;
  reason: string;
  /** What may still open the ground (MORATORIUM_EXCEPTIONS: 'spoed', 'nieuwe aansluiting', work kinds). */
  exceptions: string[];
  owner?: string | null;
  ownerName?: string | null;
  /** The work whose completion started it; null when made by hand. */
  sourceWorkId?: number | null;
  version?: number | null;
}

export interface MoratoriumFeature {
  type: 'Feature';
  id?: number;
  geometry: WorkGeometry | null;
  properties: MoratoriumProperties;
}

export interface MoratoriaCollection {
  type: 'FeatureCollection';
  features: MoratoriumFeature[];
}

export interface SearchResult {
  kind: 'asset' | 'work';
  id: number;
  title: string;
  subtitle: string;
  system: SystemCode | null;
  bbox: Bbox;
}

export interface SearchResponse {
  results: SearchResult[];
}

export interface BasemapConfig {
  tiles: string[];
  attribution: string;
}

export interface ConfigResponse {
  basemap: BasemapConfig | null;
}

/** Error envelope of the API; `id` is a searchable error id, `code` a stable machine code. */
export interface ApiErrorBody {
  error: { status?: number; code?: string; message: string; id?: string | number };
}

// ---------- sign-in (GET /api/auth/me, POST /api/auth/login) ----------

export const USER_ROLES = ['admin', 'analyst', 'area_manager', 'participant'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export interface UserOrganisation {
  id: number;
  name: string;
  slug: string | null;
  kind: string;
}

/** The signed-in user as /api/auth/me describes them. */
export interface CurrentUser {
  id: number;
  email: string;
  displayName: string | null;
  role: UserRole;
  organisation: UserOrganisation;
  /** The second factor (TOTP) is on; absent in answers of an API from before it said so. */
  totp?: boolean;
}

/** An account the demo database offers on the sign-in page (demo mode only). */
export interface DemoAccount {
  email: string;
  password: string;
  role: string;
  organisation: string;
}

/**
 * Who is signed in. `csrfToken` must go along with every unsafe request of this session;
 * `demo` is null outside demo mode.
 */
export interface MeResponse {
  user: CurrentUser | null;
  csrfToken: string | null;
  demo: { accounts: DemoAccount[] } | null;
}

// ---------- imports (files the analyst uploads) ----------
// Re-declared from the API's import contract: the web does not import api/src/ingest.

export const IMPORT_FORMATS = ['geojson', 'shapefile', 'geopackage', 'flatgeobuf', 'csv', 'kml', 'klic'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export const IMPORT_STATES = ['analysing', 'awaiting-mapping', 'loading', 'done', 'failed', 'cancelled'] as const;
export type ImportState = (typeof IMPORT_STATES)[number];

export type SampleValue = string | number | boolean | null;

export interface ImportCrs {
  epsg: number | null;
  /** 'prj' | 'geopackage' | 'geojson-crs' | 'kml' | 'csv-option' | 'guessed' | 'unknown' */
  source: string;
  /** true when derived from the coordinate ranges */
  guessed: boolean;
  detail: string;
}

export interface ImportProgress {
  phase: 'analyse' | 'load';
  parsed: number;
  loaded: number;
  total: number | null;
  percent: number;
}

export interface InvalidExample {
  index: number;
  reason: string;
  /** WGS84 [lon, lat] */
  location: [number, number] | null;
}

export interface IndexedReason {
  index: number;
  reason: string;
}

export interface ImportReport {
  layer: { datasetId: number; name: string };
  read: number;
  loaded: number;
  new: number;
  updated: number;
  unchanged: number;
  rejected: IndexedReason[];
  rejectedCount: number;
  repaired: IndexedReason[];
  repairedCount: number;
  crs: { epsg: number | null; guessed: boolean };
  durationMs: number;
}

/** The preview: WGS84, at most 500 features; `__index` is the 1-based feature number. */
export interface PreviewCollection {
  type: 'FeatureCollection';
  features: PreviewFeature[];
}

export interface PreviewFeature {
  type: 'Feature';
  geometry: WorkGeometry | null;
  properties: Record<string, SampleValue> | null;
}

export interface ProposedMapping {
  /** e.g. 'bgt-wegdeel', 'bomen', 'riool'; null when nothing matched */
  preset: string | null;
  mapping: AssetMapping;
}

export interface ImportJob {
  id: string;
  fileName: string;
  state: ImportState;
  format: ImportFormat | null;
  /** suggested layer name */
  layerName: string | null;
  crs: ImportCrs | null;
  fields: { name: string; type: string }[];
  featureCount: number | null;
  progress: ImportProgress;
  preview: PreviewCollection | null;
  /** first rows, for the attribute table */
  sample: Record<string, SampleValue>[];
  proposedMapping: ProposedMapping | null;
  invalid: { count: number; examples: InvalidExample[] };
  report: ImportReport | null;
  /** things to know before loading (e.g. an id field that is not unique); absent in old servers */
  warnings?: string[];
  error: { code: string; message: string; where: string; status?: number } | null;
}

export interface ImportJobResponse {
  job: ImportJob;
}

export interface Organisation {
  id: number;
  name: string;
  kind: string;
  klicCode: string | null;
  /** short name used to share layers with it; null (or absent from older servers) when it has none */
  slug?: string | null;
}

export interface OrganisationsResponse {
  organisations: Organisation[];
}

export interface DatasetInfo {
  id: number;
  name: string;
  sourceKind: string;
  sourceRef: string;
  owner: { id: number; name: string } | null;
  confidentiality: string;
  importedAt: string;
  featureCount: number;
  systems: string[];
  /** may the caller download it in bulk (others' critical infrastructure, C3, never) */
  exportable?: boolean;
}

export interface DatasetsResponse {
  datasets: DatasetInfo[];
}
