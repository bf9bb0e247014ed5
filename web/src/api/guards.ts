/**
 * Type guards for everything that enters the web client over HTTP.
 * Data is `unknown` until one of these has looked at it.
 */
import { isSystemCode } from '@model/systems.ts';
import type {
  ApiErrorBody,
  AssetDetail,
  Bbox,
  BasemapConfig,
  ConfigResponse,
  LayerInfo,
  LayersResponse,
  MoratoriaCollection,
  MoratoriumFeature,
  MoratoriumProperties,
  Owner,
  SearchResponse,
  SearchResult,
  WorkDetail,
  WorkFeature,
  WorkGeometry,
  WorkProperties,
  WorksCollection,
} from './types.ts';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isString = (v: unknown): v is string => typeof v === 'string';
/** Absent, null or a string. */
const isOptString = (v: unknown): boolean => v === undefined || v === null || typeof v === 'string';
/** Absent, null or a finite number. */
const isOptNumber = (v: unknown): boolean => v === undefined || v === null || isFiniteNumber(v);
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);

function allOptStrings(obj: Record<string, unknown>, keys: readonly string[]): boolean {
  return keys.every((k) => isOptString(obj[k]));
}

export function isBbox(value: unknown): value is Bbox {
  return Array.isArray(value) && value.length === 4 && value.every(isFiniteNumber);
}

export function isLayerInfo(value: unknown): value is LayerInfo {
  return (
    isRecord(value) &&
    isSystemCode(value['id']) &&
    isString(value['labelNl']) &&
    isString(value['labelEn']) &&
    isString(value['color']) &&
    isFiniteNumber(value['count']) &&
    isStringArray(value['geometryTypes']) &&
    isString(value['tilejson'])
  );
}

export function isLayersResponse(json: unknown): json is LayersResponse {
  if (!isRecord(json)) return false;
  const works = json['works'];
  return (
    (json['extent'] === null || isBbox(json['extent'])) &&
    Array.isArray(json['layers']) &&
    json['layers'].every(isLayerInfo) &&
    isRecord(works) &&
    isFiniteNumber(works['count'])
  );
}

function isOwner(value: unknown): value is Owner {
  return isRecord(value) && allOptStrings(value, ['code', 'name', 'kind']);
}

function isAttributes(value: unknown): boolean {
  if (value === undefined) return true;
  if (!isRecord(value)) return false;
  return Object.values(value).every(
    (v) => v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean',
  );
}

const ASSET_STRING_KEYS = ['sourceId', 'featureType', 'theme', 'material', 'status', 'inServiceDate', 'condition', 'label', 'datasetName', 'datasetOwnerName'] as const;
const ASSET_NUMBER_KEYS = ['diameterMm', 'voltageV', 'pressureBar', 'inServiceYear', 'replacementYear', 'featureNo'] as const;

export function isAssetDetail(json: unknown): json is AssetDetail {
  return (
    isRecord(json) &&
    isFiniteNumber(json['id']) &&
    isSystemCode(json['system']) &&
    allOptStrings(json, ASSET_STRING_KEYS) &&
    ASSET_NUMBER_KEYS.every((k) => isOptNumber(json[k])) &&
    (json['owner'] === undefined || json['owner'] === null || isOwner(json['owner'])) &&
    isAttributes(json['attributes'])
  );
}

const WORK_STRING_KEYS = [
  'title', 'kind', 'owner', 'ownerName', 'status', 'earliestStart', 'preferredStart', 'preferredEnd', 'latestEnd', 'contact',
  'confidentiality', 'requestType', 'startDate', 'endDate', 'requestDate', 'street', 'place', 'description', 'requester', 'sourceId',
] as const;
const WORK_NUMBER_KEYS = ['trenchWidth', 'costEstimate', 'version'] as const;
const isOptBoolean = (v: unknown): boolean => v === undefined || v === null || typeof v === 'boolean';
const isOptStringArray = (v: unknown): boolean => v === undefined || isStringArray(v);

export function isWorkProperties(value: unknown): value is WorkProperties {
  return (
    isRecord(value) &&
    isFiniteNumber(value['id']) &&
    allOptStrings(value, WORK_STRING_KEYS) &&
    WORK_NUMBER_KEYS.every((k) => isOptNumber(value[k])) &&
    isOptBoolean(value['opensGround']) &&
    isOptStringArray(value['systems']) &&
    isOptStringArray(value['workKinds'])
  );
}

function isGeometry(value: unknown): value is WorkGeometry {
  return isRecord(value) && isString(value['type']) && ('coordinates' in value || 'geometries' in value);
}

export function isWorkFeature(value: unknown): value is WorkFeature {
  return (
    isRecord(value) &&
    value['type'] === 'Feature' &&
    isFiniteNumber(value['id']) &&
    (value['geometry'] === null || isGeometry(value['geometry'])) &&
    isWorkProperties(value['properties'])
  );
}

export function isWorksCollection(json: unknown): json is WorksCollection {
  return (
    isRecord(json) &&
    json['type'] === 'FeatureCollection' &&
    Array.isArray(json['features']) &&
    json['features'].every(isWorkFeature)
  );
}

export function isWorkDetail(json: unknown): json is WorkDetail {
  if (!isRecord(json)) return false;
  const geometry = json['geometry'];
  return isWorkProperties(json) && (geometry === undefined || geometry === null || isGeometry(geometry));
}

export function isMoratoriumProperties(value: unknown): value is MoratoriumProperties {
  return (
    isRecord(value) &&
    isFiniteNumber(value['id']) &&
    isString(value['from']) &&
    isString(value['until']) &&
    isString(value['reason']) &&
    isStringArray(value['exceptions']) &&
    allOptStrings(value, ['owner', 'ownerName']) &&
    isOptNumber(value['sourceWorkId']) &&
    isOptNumber(value['version'])
  );
}

export function isMoratoriumFeature(value: unknown): value is MoratoriumFeature {
  return (
    isRecord(value) &&
    value['type'] === 'Feature' &&
    (value['id'] === undefined || isFiniteNumber(value['id'])) &&
    (value['geometry'] === null || isGeometry(value['geometry'])) &&
    isMoratoriumProperties(value['properties'])
  );
}

export function isMoratoriaCollection(json: unknown): json is MoratoriaCollection {
  return (
    isRecord(json) &&
    json['type'] === 'FeatureCollection' &&
    Array.isArray(json['features']) &&
    json['features'].every(isMoratoriumFeature)
  );
}

export function isSearchResult(value: unknown): value is SearchResult {
  return (
    isRecord(value) &&
    (value['kind'] === 'asset' || value['kind'] === 'work') &&
    isFiniteNumber(value['id']) &&
    isString(value['title']) &&
    isString(value['subtitle']) &&
    (value['system'] === null || isSystemCode(value['system'])) &&
    isBbox(value['bbox'])
  );
}

export function isSearchResponse(json: unknown): json is SearchResponse {
  return isRecord(json) && Array.isArray(json['results']) && json['results'].every(isSearchResult);
}

function isBasemapConfig(value: unknown): value is BasemapConfig {
  return isRecord(value) && isStringArray(value['tiles']) && value['tiles'].length > 0 && isString(value['attribution']);
}

export function isConfigResponse(json: unknown): json is ConfigResponse {
  return isRecord(json) && (json['basemap'] === null || isBasemapConfig(json['basemap']));
}

export function isApiErrorBody(json: unknown): json is ApiErrorBody {
  if (!isRecord(json) || !isRecord(json['error'])) return false;
  const e = json['error'];
  return (
    isString(e['message']) &&
    (e['status'] === undefined || isFiniteNumber(e['status'])) &&
    (e['code'] === undefined || isString(e['code'])) &&
    (e['id'] === undefined || isString(e['id']) || isFiniteNumber(e['id']))
  );
}
