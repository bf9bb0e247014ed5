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
import type {
  AssetDetail,
  ConfigResponse,
  LayersResponse,
  SearchResponse,
  WorkDetail,
  WorksCollection,
} from './types.ts';

export * from './guards.ts';
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
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
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
export function createApiClient(fetchFn: FetchLike, base = ''): ApiClient {
  async function getJson<T>(path: string, guard: (json: unknown) => json is T, signal?: AbortSignal): Promise<T> {
    const init: RequestInit = { headers: { Accept: 'application/json' } };
    if (signal) init.signal = signal;
    let response: Response;
    try {
      response = await fetchFn(`${base}${path}`, init);
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') throw err;
      throw new ApiError(`${path}: network error`, 0, 'network_error');
    }
    const body = await readJson(response);
    if (!response.ok) throw toApiError(path, response.status, body);
    if (!guard(body)) throw new ApiError(`${path}: unexpected response`, response.status, 'bad_response');
    return body;
  }

  return {
    getLayers: (signal) => getJson('/api/layers', isLayersResponse, signal),
    getConfig: (signal) => getJson('/api/config', isConfigResponse, signal),
    getAsset: (id, signal) => getJson(`/api/assets/${encodeURIComponent(String(id))}`, isAssetDetail, signal),
    getWorks: (signal) => getJson('/api/works', isWorksCollection, signal),
    getWork: (id, signal) => getJson(`/api/works/${encodeURIComponent(String(id))}`, isWorkDetail, signal),
    search: (q, signal) => getJson(`/api/search?q=${encodeURIComponent(q)}`, isSearchResponse, signal),
  };
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
