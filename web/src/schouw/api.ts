/**
 * The wijkschouw endpoints the phone calls outside the outbox: join, who am I, the hotspots on the
 * map and the basemap config. Every answer passes a guard; failures become a WalkApiError whose
 * message is the server's (or empty, then the UI says what it knows).
 */
import type { Geometry } from 'geojson';
import type { ApiErrorBody, BasemapConfig, ConfigResponse } from '../api/types.ts';
import type { HotspotCollection, HotspotFeature, JoinResponse, MeResponse, Walk } from './types.ts';

export const DEVICE_HEADER = 'X-Walk-Device';

export class WalkApiError extends Error {
  /** HTTP status; 0 for a network failure */
  readonly status: number;
  readonly code: string;

  constructor(message: string, status: number, code: string) {
    super(message);
    this.name = 'WalkApiError';
    this.status = status;
    this.code = code;
  }
}

export type FetchFn = (input: string, init?: RequestInit) => Promise<Response>;

// The guards below repeat a few of web/src/api/guards.ts on purpose: importing that module would
// bring the workbench's system taxonomy into the phone's download.
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isString = (v: unknown): v is string => typeof v === 'string';

export function isApiErrorBody(json: unknown): json is ApiErrorBody {
  return isRecord(json) && isRecord(json['error']) && isString(json['error']['message']);
}

function isBasemapConfig(value: unknown): value is BasemapConfig {
  return isRecord(value) && Array.isArray(value['tiles']) && value['tiles'].length > 0 && value['tiles'].every(isString) && isString(value['attribution']);
}

export function isConfigResponse(json: unknown): json is ConfigResponse {
  return isRecord(json) && (json['basemap'] === null || isBasemapConfig(json['basemap']));
}
const isId = (v: unknown): v is number | string => isString(v) || (typeof v === 'number' && Number.isFinite(v));

export function isGeometry(value: unknown): value is Geometry {
  return isRecord(value) && isString(value['type']) && (Array.isArray(value['coordinates']) || Array.isArray(value['geometries']));
}

const isOptGeometry = (v: unknown): v is Geometry | null => v === null || v === undefined || isGeometry(v);

export function isWalk(value: unknown): value is Walk {
  return (
    isRecord(value) &&
    isId(value['id']) &&
    isString(value['title']) &&
    isString(value['date']) &&
    Array.isArray(value['themes']) &&
    value['themes'].every(isString) &&
    isString(value['status']) &&
    isOptGeometry(value['route']) &&
    isOptGeometry(value['area'])
  );
}

/** The walk with absent geometries as null. */
function normaliseWalk(walk: Walk): Walk {
  return { ...walk, route: walk.route ?? null, area: walk.area ?? null };
}

export function isJoinResponse(json: unknown): json is JoinResponse {
  return isRecord(json) && isString(json['token']) && json['token'] !== '' && isWalk(json['walk']);
}

export function isMeResponse(json: unknown): json is MeResponse {
  return isRecord(json) && isWalk(json['walk']) && isRecord(json['device']) && isId(json['device']['id']);
}

export function isHotspotFeature(value: unknown): value is HotspotFeature {
  if (!isRecord(value) || !isRecord(value['geometry']) || !isRecord(value['properties'])) return false;
  const g = value['geometry'];
  const p = value['properties'];
  const c = g['coordinates'];
  return (
    g['type'] === 'Point' &&
    Array.isArray(c) &&
    c.length >= 2 &&
    c.every((n) => typeof n === 'number' && Number.isFinite(n)) &&
    isString(p['id']) &&
    (p['kind'] === 'kans' || p['kind'] === 'knelpunt') &&
    isString(p['theme']) &&
    (p['note'] === undefined || p['note'] === null || isString(p['note'])) &&
    typeof p['own'] === 'boolean'
  );
}

/** The collection's valid hotspots; one malformed feature does not hide the others. */
export function parseHotspots(json: unknown): HotspotCollection | null {
  if (!isRecord(json) || json['type'] !== 'FeatureCollection' || !Array.isArray(json['features'])) return null;
  const features = json['features'].filter(isHotspotFeature).map((f) => ({
    ...f,
    properties: {
      ...f.properties,
      note: f.properties.note ?? '',
      status: isString(f.properties.status) ? f.properties.status : '',
      hasPhoto: f.properties.hasPhoto === true,
      receivedAt: isString(f.properties.receivedAt) ? f.properties.receivedAt : null,
    },
  }));
  return { type: 'FeatureCollection', features };
}

export interface WalkApi {
  join(code: string, name: string): Promise<JoinResponse>;
  me(token: string): Promise<MeResponse>;
  hotspots(token: string): Promise<HotspotCollection>;
  config(): Promise<ConfigResponse>;
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => '');
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** The server's error message, or '' (the UI then words it). */
export function errorMessage(json: unknown): string {
  return isApiErrorBody(json) ? json.error.message : '';
}

export function createWalkApi(fetchFn: FetchFn): WalkApi {
  async function call<T>(path: string, init: RequestInit, parse: (json: unknown) => T | null): Promise<T> {
    let response: Response;
    try {
      response = await fetchFn(path, { ...init, headers: { Accept: 'application/json', ...init.headers } });
    } catch {
      throw new WalkApiError('', 0, 'network_error');
    }
    const json = await readJson(response);
    if (!response.ok) {
      const code = isApiErrorBody(json) ? (json.error.code ?? 'http_error') : 'http_error';
      throw new WalkApiError(errorMessage(json), response.status, code);
    }
    const value = parse(json);
    if (value === null) throw new WalkApiError('', response.status, 'bad_response');
    return value;
  }
  const device = (token: string): Record<string, string> => ({ [DEVICE_HEADER]: token });
  return {
    join: (code, name) => {
      const body = name.trim() === '' ? { code } : { code, name: name.trim() };
      return call('/api/walk-join', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }, (j) =>
        isJoinResponse(j) ? { token: j.token, walk: normaliseWalk(j.walk) } : null,
      );
    },
    me: (token) =>
      call('/api/walk/me', { headers: device(token) }, (j) => (isMeResponse(j) ? { ...j, walk: normaliseWalk(j.walk) } : null)),
    hotspots: (token) => call('/api/walk/hotspots', { headers: device(token) }, parseHotspots),
    config: () => call('/api/config', {}, (j) => (isConfigResponse(j) ? j : null)),
  };
}
