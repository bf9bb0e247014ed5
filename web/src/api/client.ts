/**
 * Typed access to the Samenhang API. Every response passes a guard before it
 * is handed out; failures become an ApiError with a message fit for the UI.
 */
import {
  isApiErrorBody,
  isAssetDetail,
  isConfigResponse,
  isLayersResponse,
  isSearchResponse,
  isWorkDetail,
  isWorksCollection,
} from './guards.ts';
import { isDatasetsResponse, isImportJobResponse, isOrganisationsResponse } from './import-guards.ts';
import type {
  AssetDetail,
  ConfigResponse,
  DatasetInfo,
  ImportJob,
  LayersResponse,
  Organisation,
  SearchResponse,
  WorkDetail,
  WorksCollection,
} from './types.ts';

import type { LoadRequest } from '@model/asset-mapping.ts';

export * from './guards.ts';
export * from './import-guards.ts';
export type * from './types.ts';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly errorId: string | null;

  constructor(message: string, status: number, code: string, errorId: string | null = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.errorId = errorId;
  }
}

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface ApiClient {
  getLayers(signal?: AbortSignal): Promise<LayersResponse>;
  getConfig(signal?: AbortSignal): Promise<ConfigResponse>;
  getAsset(id: number, signal?: AbortSignal): Promise<AssetDetail>;
  getWorks(signal?: AbortSignal): Promise<WorksCollection>;
  getWork(id: number, signal?: AbortSignal): Promise<WorkDetail>;
  search(q: string, signal?: AbortSignal): Promise<SearchResponse>;
  /** Upload a file to import; resolves with the new job (state 'analysing' or later). */
  /** epsg: the analyst's CRS for a file whose CRS is absent or was guessed wrong */
  uploadImport(file: Blob, fileName: string, onProgress?: UploadProgress, signal?: AbortSignal, epsg?: number): Promise<ImportJob>;
  getImport(id: string, signal?: AbortSignal): Promise<ImportJob>;
  loadImport(id: string, request: LoadRequest, signal?: AbortSignal): Promise<ImportJob>;
  cancelImport(id: string, signal?: AbortSignal): Promise<ImportJob>;
  /** URL of the job's Server-Sent Events stream (`event: job`). */
  importEventsUrl(id: string): string;
  getOrganisations(signal?: AbortSignal): Promise<Organisation[]>;
  getDatasets(signal?: AbortSignal): Promise<DatasetInfo[]>;
  datasetExportUrl(id: number, format: ExportFormat): string;
}

export const EXPORT_FORMATS = ['geojson', 'gpkg', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Bytes sent so far and in total. */
export type UploadProgress = (loaded: number, total: number) => void;

/**
 * Sends a body with POST and answers the status and raw text. The default goes through
 * fetch (no upload progress); the browser passes an XMLHttpRequest one (see xhr-upload.ts).
 */
export type Uploader = (url: string, body: Blob, onProgress: UploadProgress, signal?: AbortSignal) => Promise<{ status: number; text: string }>;

function parseJson(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

async function readJson(response: Response): Promise<unknown> {
  return parseJson(await response.text());
}

function fetchUploader(fetchFn: FetchLike): Uploader {
  return async (url, body, onProgress, signal) => {
    const init: RequestInit = { method: 'POST', body, headers: { 'Content-Type': 'application/octet-stream', Accept: 'application/json' } };
    if (signal) init.signal = signal;
    const response = await fetchFn(url, init);
    onProgress(body.size, body.size);
    return { status: response.status, text: await response.text() };
  };
}

function toApiError(path: string, status: number, body: unknown): ApiError {
  if (isApiErrorBody(body)) {
    const e = body.error;
    const id = e.id === undefined ? null : String(e.id);
    return new ApiError(e.message, e.status ?? status, e.code ?? 'http_error', id);
  }
  return new ApiError(`${path}: HTTP ${status}`, status, 'http_error');
}

/**
 * Build a client on top of any fetch. `base` is prefixed to every path
 * ('' = same origin, the production setup).
 */
export function createApiClient(fetchFn: FetchLike, base = '', uploader: Uploader = fetchUploader(fetchFn)): ApiClient {
  async function requestJson<T>(path: string, guard: (json: unknown) => json is T, init: RequestInit = {}): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (typeof init.body === 'string') headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await fetchFn(`${base}${path}`, { ...init, headers });
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') throw err;
      throw new ApiError(`${path}: network error`, 0, 'network_error');
    }
    return checked(path, response.status, response.ok, await readJson(response), guard);
  }

  const getJson = <T>(path: string, guard: (json: unknown) => json is T, signal?: AbortSignal): Promise<T> =>
    requestJson(path, guard, signal ? { signal } : {});
  const withSignal = (init: RequestInit, signal?: AbortSignal): RequestInit => (signal ? { ...init, signal } : init);
  const importPath = (id: string): string => `/api/imports/${encodeURIComponent(id)}`;

  async function uploadImport(file: Blob, fileName: string, onProgress: UploadProgress = () => undefined, signal?: AbortSignal, epsg?: number): Promise<ImportJob> {
    const path = `/api/imports?name=${encodeURIComponent(fileName)}${epsg === undefined ? '' : `&epsg=${epsg}`}`;
    let answer: { status: number; text: string };
    try {
      answer = await uploader(`${base}${path}`, file, onProgress, signal);
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') throw err;
      throw new ApiError(`${path}: network error`, 0, 'network_error');
    }
    const ok = answer.status >= 200 && answer.status < 300;
    return checked(path, answer.status, ok, parseJson(answer.text), isImportJobResponse).job;
  }

  return {
    getLayers: (signal) => getJson('/api/layers', isLayersResponse, signal),
    getConfig: (signal) => getJson('/api/config', isConfigResponse, signal),
    getAsset: (id, signal) => getJson(`/api/assets/${encodeURIComponent(String(id))}`, isAssetDetail, signal),
    getWorks: (signal) => getJson('/api/works', isWorksCollection, signal),
    getWork: (id, signal) => getJson(`/api/works/${encodeURIComponent(String(id))}`, isWorkDetail, signal),
    search: (q, signal) => getJson(`/api/search?q=${encodeURIComponent(q)}`, isSearchResponse, signal),
    uploadImport,
    getImport: async (id, signal) => (await getJson(importPath(id), isImportJobResponse, signal)).job,
    loadImport: async (id, request, signal) =>
      (await requestJson(`${importPath(id)}/load`, isImportJobResponse, withSignal({ method: 'POST', body: JSON.stringify(request) }, signal))).job,
    cancelImport: async (id, signal) => (await requestJson(importPath(id), isImportJobResponse, withSignal({ method: 'DELETE' }, signal))).job,
    importEventsUrl: (id) => `${base}${importPath(id)}/events`,
    getOrganisations: async (signal) => (await getJson('/api/organisations', isOrganisationsResponse, signal)).organisations,
    getDatasets: async (signal) => (await getJson('/api/datasets', isDatasetsResponse, signal)).datasets,
    datasetExportUrl: (id, format) => `${base}/api/datasets/${encodeURIComponent(String(id))}/export?format=${format}`,
  };
}

/** The body when the status is OK and the guard accepts it; else an ApiError. */
function checked<T>(path: string, status: number, ok: boolean, body: unknown, guard: (json: unknown) => json is T): T {
  if (!ok) throw toApiError(path, status, body);
  if (!guard(body)) throw new ApiError(`${path}: unexpected response`, status, 'bad_response');
  return body;
}

/** True for errors caused by aborting a request (not worth a notice). */
export function isAbortError(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}

/** A short text for a notice. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
