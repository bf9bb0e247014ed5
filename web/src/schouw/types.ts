/** What the wijkschouw API answers and what the phone sends (see api.ts for the guards). */
import type { Feature, FeatureCollection, Geometry, Point } from 'geojson';

export type HotspotKind = 'kans' | 'knelpunt';
export const HOTSPOT_KINDS: readonly HotspotKind[] = ['kans', 'knelpunt'];

export interface Walk {
  id: number | string;
  title: string;
  date: string;
  themes: string[];
  status: string;
  /** WGS84 */
  route: Geometry | null;
  /** WGS84 */
  area: Geometry | null;
}

export interface JoinResponse {
  token: string;
  walk: Walk;
}

export interface MeResponse {
  walk: Walk;
  device: { id: number | string; name: string | null };
}

export interface HotspotProperties {
  id: string;
  kind: HotspotKind;
  theme: string;
  note: string;
  own: boolean;
  status: string;
  hasPhoto: boolean;
  receivedAt: string | null;
}

export type HotspotFeature = Feature<Point, HotspotProperties>;
export type HotspotCollection = FeatureCollection<Point, HotspotProperties>;

/** The body of POST /api/walk/hotspots. */
export interface HotspotBody {
  /** uuid v4 made on the phone: a resent post is stored once */
  id: string;
  kind: HotspotKind;
  theme: string;
  note: string;
  lon: number;
  lat: number;
  /** metres; null when placed by hand */
  accuracy: number | null;
  /** ISO 8601 */
  observedAt: string;
}
