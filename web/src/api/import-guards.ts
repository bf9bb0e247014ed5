/**
 * Guards for the import endpoints (/api/imports, /api/organisations, /api/datasets).
 * The mapping is checked with the shared zod schema, the one source of truth for its shape.
 */
import { AssetMapping } from '@model/asset-mapping.ts';
import { isRecord } from './guards.ts';
import {
  IMPORT_FORMATS,
  IMPORT_STATES,
  type DatasetInfo,
  type DatasetsResponse,
  type ImportCrs,
  type ImportJob,
  type ImportJobResponse,
  type ImportProgress,
  type ImportReport,
  type IndexedReason,
  type InvalidExample,
  type Organisation,
  type OrganisationsResponse,
  type PreviewCollection,
  type ProposedMapping,
  type SampleValue,
} from './types.ts';

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isNullable =
  <T>(guard: (v: unknown) => v is T) =>
  (v: unknown): v is T | null =>
    v === null || guard(v);
const isArrayOf =
  <T>(guard: (v: unknown) => v is T) =>
  (v: unknown): v is T[] =>
    Array.isArray(v) && v.every(guard);

export function isSampleValue(value: unknown): value is SampleValue {
  return value === null || typeof value === 'string' || typeof value === 'boolean' || isFiniteNumber(value);
}

function isSampleRow(value: unknown): value is Record<string, SampleValue> {
  return isRecord(value) && Object.values(value).every(isSampleValue);
}

export function isImportState(value: unknown): value is ImportJob['state'] {
  return (IMPORT_STATES as readonly unknown[]).includes(value);
}

function isCrs(value: unknown): value is ImportCrs {
  return (
    isRecord(value) &&
    isNullable(isFiniteNumber)(value['epsg']) &&
    isString(value['source']) &&
    typeof value['guessed'] === 'boolean' &&
    isString(value['detail'])
  );
}

function isProgress(value: unknown): value is ImportProgress {
  return (
    isRecord(value) &&
    (value['phase'] === 'analyse' || value['phase'] === 'load') &&
    isFiniteNumber(value['parsed']) &&
    isFiniteNumber(value['loaded']) &&
    isNullable(isFiniteNumber)(value['total']) &&
    isFiniteNumber(value['percent'])
  );
}

function isField(value: unknown): value is { name: string; type: string } {
  return isRecord(value) && isString(value['name']) && isString(value['type']);
}

function isLonLat(value: unknown): value is [number, number] {
  return Array.isArray(value) && value.length === 2 && value.every(isFiniteNumber);
}

function isInvalidExample(value: unknown): value is InvalidExample {
  return isRecord(value) && isFiniteNumber(value['index']) && isString(value['reason']) && isNullable(isLonLat)(value['location']);
}

function isIndexedReason(value: unknown): value is IndexedReason {
  return isRecord(value) && isFiniteNumber(value['index']) && isString(value['reason']);
}

function isPreviewFeature(value: unknown): boolean {
  if (!isRecord(value) || value['type'] !== 'Feature') return false;
  const g = value['geometry'];
  const p = value['properties'];
  const geometryOk = g === null || (isRecord(g) && isString(g['type']) && ('coordinates' in g || 'geometries' in g));
  return geometryOk && (p === null || p === undefined || isSampleRow(p));
}

export function isPreviewCollection(value: unknown): value is PreviewCollection {
  return isRecord(value) && value['type'] === 'FeatureCollection' && Array.isArray(value['features']) && value['features'].every(isPreviewFeature);
}

function isProposedMapping(value: unknown): value is ProposedMapping {
  return isRecord(value) && isNullable(isString)(value['preset']) && AssetMapping.safeParse(value['mapping']).success;
}

const REPORT_COUNTS = ['read', 'loaded', 'new', 'updated', 'unchanged', 'rejectedCount', 'repairedCount', 'durationMs'] as const;

export function isImportReport(value: unknown): value is ImportReport {
  if (!isRecord(value)) return false;
  const layer = value['layer'];
  const crs = value['crs'];
  return (
    isRecord(layer) &&
    isFiniteNumber(layer['datasetId']) &&
    isString(layer['name']) &&
    REPORT_COUNTS.every((k) => isFiniteNumber(value[k])) &&
    isArrayOf(isIndexedReason)(value['rejected']) &&
    isArrayOf(isIndexedReason)(value['repaired']) &&
    isRecord(crs) &&
    isNullable(isFiniteNumber)(crs['epsg']) &&
    typeof crs['guessed'] === 'boolean'
  );
}

function isJobError(value: unknown): value is ImportJob['error'] {
  return value === null || (isRecord(value) && isString(value['code']) && isString(value['message']) && isString(value['where']));
}

function isInvalidSummary(value: unknown): value is ImportJob['invalid'] {
  return isRecord(value) && isFiniteNumber(value['count']) && isArrayOf(isInvalidExample)(value['examples']);
}

export function isImportJob(json: unknown): json is ImportJob {
  return (
    isRecord(json) &&
    isString(json['id']) &&
    isString(json['fileName']) &&
    isImportState(json['state']) &&
    (json['format'] === null || (IMPORT_FORMATS as readonly unknown[]).includes(json['format'])) &&
    isNullable(isString)(json['layerName']) &&
    isNullable(isCrs)(json['crs']) &&
    isArrayOf(isField)(json['fields']) &&
    isNullable(isFiniteNumber)(json['featureCount']) &&
    isProgress(json['progress']) &&
    isNullable(isPreviewCollection)(json['preview']) &&
    isArrayOf(isSampleRow)(json['sample']) &&
    isNullable(isProposedMapping)(json['proposedMapping']) &&
    isInvalidSummary(json['invalid']) &&
    isNullable(isImportReport)(json['report']) &&
    isJobError(json['error'])
  );
}

export function isImportJobResponse(json: unknown): json is ImportJobResponse {
  return isRecord(json) && isImportJob(json['job']);
}

function isOrganisation(value: unknown): value is Organisation {
  return (
    isRecord(value) &&
    isFiniteNumber(value['id']) &&
    isString(value['name']) &&
    isString(value['kind']) &&
    isNullable(isString)(value['klicCode']) &&
    (value['slug'] === undefined || isNullable(isString)(value['slug']))
  );
}

export function isOrganisationsResponse(json: unknown): json is OrganisationsResponse {
  return isRecord(json) && isArrayOf(isOrganisation)(json['organisations']);
}

function isDatasetOwner(value: unknown): value is DatasetInfo['owner'] {
  return value === null || (isRecord(value) && isFiniteNumber(value['id']) && isString(value['name']));
}

const DATASET_STRINGS = ['name', 'sourceKind', 'sourceRef', 'confidentiality', 'importedAt'] as const;

export function isDatasetInfo(value: unknown): value is DatasetInfo {
  return (
    isRecord(value) &&
    isFiniteNumber(value['id']) &&
    DATASET_STRINGS.every((k) => isString(value[k])) &&
    isDatasetOwner(value['owner']) &&
    isFiniteNumber(value['featureCount']) &&
    isArrayOf(isString)(value['systems']) &&
    (value['exportable'] === undefined || typeof value['exportable'] === 'boolean')
  );
}

export function isDatasetsResponse(json: unknown): json is DatasetsResponse {
  return isRecord(json) && isArrayOf(isDatasetInfo)(json['datasets']);
}
