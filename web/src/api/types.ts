/**
 * Shapes of the Samenhang HTTP API as the web client sees them.
 * Every response enters through a guard in ./guards.ts.
 */
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
  label?: string | null;
  attributes?: Record<string, AttributeValue>;
  datasetName?: string | null;
}

/** Properties of a planned work (KLIC request). Fields other than id may be absent or null. */
export interface WorkProperties {
  id: number;
  title?: string | null;
  kind?: string | null;
  workKinds?: string[];
  requestType?: string | null;
  startDate?: string | null;
  endDate?: string | null;
  street?: string | null;
  place?: string | null;
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
