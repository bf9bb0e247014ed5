/**
 * Typed access to the Samenhang API. Every response passes a guard before it
 * is handed out; failures become an ApiError with a message fit for the UI.
 *
 * The client remembers the CSRF token of the session (from /api/auth/me and the sign-in answer)
 * and sends it as X-CSRF-Token with every unsafe request, the import upload included.
 */
import { adminEndpoints, type AdminApi } from './admin-endpoints.ts';
import { isMeResponse, parseRetryAfter } from './auth-guards.ts';
import {
  isApiErrorBody,
  isAssetDetail,
  isConfigResponse,
  isLayersResponse,
  isMoratoriaCollection,
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
  MeResponse,
  MoratoriaCollection,
  Organisation,
  SearchResponse,
  WorkDetail,
  WorksCollection,
} from './types.ts';

import type { LoadRequest } from '@model/asset-mapping.ts';

export * from './admin-guards.ts';
export * from './auth-guards.ts';
export * from './guards.ts';
export * from './import-guards.ts';
export type * from './types.ts';
export type * from './admin-types.ts';
export type { AdminApi } from './admin-endpoints.ts';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly errorId: string | null;
  /** Seconds the server asked to wait before trying again (Retry-After); null when it did not say. */
  readonly retryAfter: number | null;

  constructor(message: string, status: number, code: string, errorId: string | null = null, retryAfter: number | null = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.errorId = errorId;
    this.retryAfter = retryAfter;
  }
}

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface ApiClient extends AdminApi {
  getLayers(signal?: AbortSignal): Promise<LayersResponse>;
  getConfig(signal?: AbortSignal): Promise<ConfigResponse>;
  getAsset(id: number, signal?: AbortSignal): Promise<AssetDetail>;
  getWorks(signal?: AbortSignal): Promise<WorksCollection>;
  getWork(id: number, signal?: AbortSignal): Promise<WorkDetail>;
  /** The dig moratoria (graafrust) the caller may see, as GeoJSON in WGS84. */
  getMoratoria(signal?: AbortSignal): Promise<MoratoriaCollection>;
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
  /** Who is signed in (user null: anonymous); remembers the session's CSRF token. */
  getMe(signal?: AbortSignal): Promise<MeResponse>;
  /**
   * Sign in (sets the session cookie); remembers the new CSRF token. Fails with an ApiError:
   * 401 `invalid_credentials`, 401 `totp_required` (send again with the 6-digit code),
   * 429 `too_many_attempts` (with `retryAfter`).
   */
  login(email: string, password: string, totp?: string): Promise<MeResponse>;
  /** End the session; the CSRF token is forgotten. */
  logout(): Promise<void>;
  /**
   * A request with the session's CSRF token that answers status, parsed body and headers without
   * judging them (for ETag/If-Match, see work-endpoints.ts). Rejects only on network errors.
   */
  requestRaw(path: string, init?: RawInit): Promise<RawAnswer>;
}

/** What requestRaw sends: a JSON body as a string, extra headers (e.g. If-Match). */
export interface RawInit {
  method?: string;
  body?: string;
  headers?: Readonly<Record<string, string>>;
  signal?: AbortSignal;
}

/** What requestRaw answers. */
export interface RawAnswer {
  status: number;
  body: unknown;
  headers: Headers;
}

export const EXPORT_FORMATS = ['geojson', 'gpkg', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Bytes sent so far and in total. */
export type UploadProgress = (loaded: number, total: number) => void;

/**
 * Sends a body with POST (plus `headers`, e.g. the CSRF token) and answers the status and raw
 * text. The default goes through fetch (no upload progress); the browser passes an
 * XMLHttpRequest one (see xhr-upload.ts).
 */
export type Uploader = (
  url: string,
  body: Blob,
  onProgress: UploadProgress,
  signal?: AbortSignal,
  headers?: Readonly<Record<string, string>>,
) => Promise<{ status: number; text: string }>;

/** Methods that change something: these carry the CSRF token of a cookie session. */
export const UNSAFE_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
export const CSRF_HEADER = 'X-CSRF-Token';

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
  return async (url, body, onProgress, signal, headers = {}) => {
    const init: RequestInit = { method: 'POST', body, headers: { ...headers, 'Content-Type': 'application/octet-stream', Accept: 'application/json' } };
    if (signal) init.signal = signal;
    const response = await fetchFn(url, init);
    onProgress(body.size, body.size);
    return { status: response.status, text: await response.text() };
  };
}

/** What came back: status, parsed body and the Retry-After header (null when absent). */
interface Answer {
  status: number;
  body: unknown;
  retryAfter: string | null;
}

function toApiError(path: string, { status, body, retryAfter }: Answer): ApiError {
  const wait = parseRetryAfter(retryAfter, Date.now());
  if (isApiErrorBody(body)) {
    const e = body.error;
    const id = e.id === undefined ? null : String(e.id);
    return new ApiError(e.message, e.status ?? status, e.code ?? 'http_error', id, wait);
  }
  return new ApiError(`${path}: HTTP ${status}`, status, 'http_error', null, wait);
}

/** For answers without a body worth reading (204). */
const acceptAnything = (_json: unknown): _json is unknown => true;

/** What the client remembers of the session. */
interface Session {
  /** The CSRF token of the cookie session, as last seen in /api/auth/me or the sign-in answer. */
  csrfToken: string | null;
}

export type RequestJson = <T>(path: string, guard: (json: unknown) => json is T, init?: RequestInit) => Promise<T>;

/**
 * Build a client on top of any fetch. `base` is prefixed to every path
 * ('' = same origin, the production setup).
 */
export function createApiClient(fetchFn: FetchLike, base = '', uploader: Uploader = fetchUploader(fetchFn)): ApiClient {
  const session: Session = { csrfToken: null };
  const csrfFor = (method: string): Record<string, string> =>
    UNSAFE_METHODS.has(method.toUpperCase()) && session.csrfToken !== null ? { [CSRF_HEADER]: session.csrfToken } : {};

  async function send(path: string, init: RequestInit, extra: Readonly<Record<string, string>> = {}): Promise<Answer & { headers: Headers }> {
    const headers: Record<string, string> = { Accept: 'application/json', ...csrfFor(init.method ?? 'GET'), ...extra };
    if (typeof init.body === 'string') headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await fetchFn(`${base}${path}`, { ...init, headers });
    } catch (err) {
      if (isAbortError(err)) throw err;
      throw new ApiError(`${path}: network error`, 0, 'network_error');
    }
    return { status: response.status, body: await readJson(response), retryAfter: response.headers.get('Retry-After'), headers: response.headers };
  }

  const requestJson: RequestJson = async (path, guard, init = {}) => checked(path, await send(path, init), guard);
  const getJson = <T>(path: string, guard: (json: unknown) => json is T, signal?: AbortSignal): Promise<T> =>
    requestJson(path, guard, signal ? { signal } : {});
  const withSignal = (init: RequestInit, signal?: AbortSignal): RequestInit => (signal ? { ...init, signal } : init);
  const importPath = (id: string): string => `/api/imports/${encodeURIComponent(id)}`;

  async function uploadImport(file: Blob, fileName: string, onProgress: UploadProgress = () => undefined, signal?: AbortSignal, epsg?: number): Promise<ImportJob> {
    const path = `/api/imports?name=${encodeURIComponent(fileName)}${epsg === undefined ? '' : `&epsg=${epsg}`}`;
    let answer: { status: number; text: string };
    try {
      answer = await uploader(`${base}${path}`, file, onProgress, signal, csrfFor('POST'));
    } catch (err) {
      if (isAbortError(err)) throw err;
      throw new ApiError(`${path}: network error`, 0, 'network_error');
    }
    return checked(path, { status: answer.status, body: parseJson(answer.text), retryAfter: null }, isImportJobResponse).job;
  }

  return {
    getLayers: (signal) => getJson('/api/layers', isLayersResponse, signal),
    getConfig: (signal) => getJson('/api/config', isConfigResponse, signal),
    getAsset: (id, signal) => getJson(`/api/assets/${encodeURIComponent(String(id))}`, isAssetDetail, signal),
    getWorks: (signal) => getJson('/api/works', isWorksCollection, signal),
    getWork: (id, signal) => getJson(`/api/works/${encodeURIComponent(String(id))}`, isWorkDetail, signal),
    getMoratoria: (signal) => getJson('/api/moratoria', isMoratoriaCollection, signal),
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
    requestRaw: async (path, { headers, ...init } = {}) => send(path, init, headers),
    ...authEndpoints(requestJson, session),
    ...adminEndpoints(requestJson, base),
  };
}

/** Sign-in, who-am-I and sign-out; they keep the session's CSRF token up to date. */
function authEndpoints(requestJson: RequestJson, session: Session): Pick<ApiClient, 'getMe' | 'login' | 'logout'> {
  const remember = (me: MeResponse): MeResponse => {
    session.csrfToken = me.csrfToken;
    return me;
  };
  const getMe = async (signal?: AbortSignal): Promise<MeResponse> =>
    remember(await requestJson('/api/auth/me', isMeResponse, signal ? { signal } : {}));

  async function login(email: string, password: string, totp?: string): Promise<MeResponse> {
    const body = JSON.stringify(totp === undefined ? { email, password } : { email, password, totp });
    const post = (): Promise<MeResponse> => requestJson('/api/auth/login', isMeResponse, { method: 'POST', body });
    try {
      return remember(await post());
    } catch (err) {
      // A session this client has not seen (signed in from another tab) refuses a POST without
      // its token: learn the token, then try once more.
      if (!(err instanceof ApiError) || err.code !== 'csrf_failed') throw err;
      await getMe();
      return remember(await post());
    }
  }

  async function logout(): Promise<void> {
    await requestJson('/api/auth/logout', acceptAnything, { method: 'POST' });
    session.csrfToken = null;
  }
  return { getMe, login, logout };
}

/** The body when the status is OK (2xx) and the guard accepts it; else an ApiError. */
function checked<T>(path: string, answer: Answer, guard: (json: unknown) => json is T): T {
  if (answer.status < 200 || answer.status > 299) throw toApiError(path, answer);
  if (!guard(answer.body)) throw new ApiError(`${path}: unexpected response`, answer.status, 'bad_response');
  return answer.body;
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
