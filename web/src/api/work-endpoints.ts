/**
 * Creating, changing, deleting and restoring planned works and dig moratoria (issue 5), with
 * optimistic concurrency: every read and write answers an ETag (`"work-<id>-v<n>"`,
 * `"moratorium-<id>-v<n>"`); a change or delete sends it back as If-Match. A stale version is 412
 * with the current state, thrown here as a StaleError carrying it, so the UI can merge. Built on
 * the client's requestRaw (CSRF token included), because the headers matter here.
 */
import { ApiError, type ApiClient, type RawAnswer } from './client.ts';
import { isApiErrorBody, isMoratoriumProperties, isRecord, isWorkDetail } from './guards.ts';
import type { MoratoriumProperties, WorkDetail, WorkGeometry } from './types.ts';

/** One moratorium as GET /api/moratoria/{id} answers it: its properties with the geometry. */
export type MoratoriumDetail = MoratoriumProperties & { geometry?: WorkGeometry | null; confidentiality?: string | null };

export type ItemKind = 'work' | 'moratorium';

/** A body for POST/PATCH; checked by the shared zod schemas before it is sent (work-form.ts). */
export type JsonBody = Readonly<Record<string, unknown>>;

export interface SavedWork {
  work: WorkDetail;
  etag: string;
  /** The moratorium the server generated (a reconstruction marked 'gereed'); null when none. */
  moratoriumCreated: number | null;
}

export interface SavedMoratorium {
  moratorium: MoratoriumDetail;
  etag: string;
}

/** 412: the item changed since it was read. `current` is its state now, `etag` its ETag. */
export class StaleError<T> extends ApiError {
  readonly kind: ItemKind;
  readonly current: T;
  readonly etag: string;

  constructor(kind: ItemKind, message: string, current: T, etag: string) {
    super(message, 412, 'stale');
    this.name = 'StaleError';
    this.kind = kind;
    this.current = current;
    this.etag = etag;
  }
}

export class StaleWorkError extends StaleError<WorkDetail> {
  constructor(message: string, current: WorkDetail, etag: string) {
    super('work', message, current, etag);
    this.name = 'StaleWorkError';
  }
}

export class StaleMoratoriumError extends StaleError<MoratoriumDetail> {
  constructor(message: string, current: MoratoriumDetail, etag: string) {
    super('moratorium', message, current, etag);
    this.name = 'StaleMoratoriumError';
  }
}

export interface WorkApi {
  getWorkWithEtag(id: number, signal?: AbortSignal): Promise<SavedWork>;
  /** POST /api/works → 201 with the work and its ETag. 400 names the field ("preferredEnd: …"). */
  createWork(body: JsonBody): Promise<SavedWork>;
  /** PATCH with If-Match; StaleWorkError on 412. */
  updateWork(id: number, change: JsonBody, etag: string): Promise<SavedWork>;
  /** DELETE with If-Match; StaleWorkError on 412. */
  deleteWork(id: number, etag: string): Promise<void>;
  /** Undo of a delete: the work comes back with its id, one version further. */
  restoreWork(id: number): Promise<SavedWork>;
  getMoratoriumWithEtag(id: number, signal?: AbortSignal): Promise<SavedMoratorium>;
  createMoratorium(body: JsonBody): Promise<SavedMoratorium>;
  updateMoratorium(id: number, change: JsonBody, etag: string): Promise<SavedMoratorium>;
  deleteMoratorium(id: number, etag: string): Promise<void>;
  restoreMoratorium(id: number): Promise<SavedMoratorium>;
}

export const etagOf = (kind: ItemKind, id: number, version: number): string => `"${kind}-${id}-v${version}"`;

/** The version an ETag of ours names; null for anything else. */
export function versionOfEtag(etag: string | null | undefined): number | null {
  const m = /^(?:W\/)?"(?:work|moratorium)-\d+-v(\d+)"$/.exec(etag?.trim() ?? '');
  return m ? Number(m[1]) : null;
}

const isMoratoriumDetail = (json: unknown): json is MoratoriumDetail => isMoratoriumProperties(json);

const ok = (status: number): boolean => status >= 200 && status <= 299;

function errorOf(path: string, answer: RawAnswer): ApiError {
  if (isApiErrorBody(answer.body)) {
    const e = answer.body.error;
    return new ApiError(e.message, e.status ?? answer.status, e.code ?? 'http_error', e.id === undefined ? null : String(e.id));
  }
  return new ApiError(`${path}: HTTP ${answer.status}`, answer.status, 'http_error');
}

/** The ETag header, or one made from the item's version when a proxy dropped it. */
function etagFrom(answer: RawAnswer, kind: ItemKind, item: { id: number; version?: number | null | undefined }): string {
  const header = answer.headers.get('ETag');
  if (header) return header;
  return etagOf(kind, item.id, item.version ?? 1);
}

type Guard<T> = (json: unknown) => json is T;

interface Kind<T> {
  kind: ItemKind;
  collection: string;
  guard: Guard<T>;
  stale: (message: string, current: T, etag: string) => StaleError<T>;
}

const WORK: Kind<WorkDetail> = { kind: 'work', collection: '/api/works', guard: isWorkDetail, stale: (m, c, e) => new StaleWorkError(m, c, e) };
const MORATORIUM: Kind<MoratoriumDetail> = {
  kind: 'moratorium',
  collection: '/api/moratoria',
  guard: isMoratoriumDetail,
  stale: (m, c, e) => new StaleMoratoriumError(m, c, e),
};

/** The endpoints of one kind of item; `save` answers the item with its ETag. */
function itemEndpoints<T extends { id: number; version?: number | null | undefined }>(api: Pick<ApiClient, 'requestRaw'>, k: Kind<T>) {
  const path = (id: number, suffix = ''): string => `${k.collection}/${encodeURIComponent(String(id))}${suffix}`;

  function read(p: string, answer: RawAnswer): { item: T; etag: string; answer: RawAnswer } {
    if (answer.status === 412) {
      const current = isRecord(answer.body) ? answer.body['current'] : undefined;
      const message = isApiErrorBody(answer.body) ? answer.body.error.message : `${k.kind} changed since you read it`;
      if (k.guard(current)) throw k.stale(message, current, etagFrom(answer, k.kind, current));
    }
    if (!ok(answer.status)) throw errorOf(p, answer);
    if (!k.guard(answer.body)) throw new ApiError(`${p}: unexpected response`, answer.status, 'bad_response');
    return { item: answer.body, etag: etagFrom(answer, k.kind, answer.body), answer };
  }

  return {
    get: async (id: number, signal?: AbortSignal) => read(path(id), await api.requestRaw(path(id), signal ? { signal } : {})),
    create: async (body: JsonBody) => read(k.collection, await api.requestRaw(k.collection, { method: 'POST', body: JSON.stringify(body) })),
    update: async (id: number, change: JsonBody, etag: string) =>
      read(path(id), await api.requestRaw(path(id), { method: 'PATCH', body: JSON.stringify(change), headers: { 'If-Match': etag } })),
    remove: async (id: number, etag: string): Promise<void> => {
      const answer = await api.requestRaw(path(id), { method: 'DELETE', headers: { 'If-Match': etag } });
      if (ok(answer.status)) return;
      read(path(id), answer);
    },
    restore: async (id: number) => read(path(id, '/restore'), await api.requestRaw(path(id, '/restore'), { method: 'POST' })),
  };
}

function moratoriumCreated(answer: RawAnswer): number | null {
  const raw = answer.headers.get('X-Moratorium-Created');
  const id = raw === null ? Number.NaN : Number(raw);
  return Number.isInteger(id) ? id : null;
}

export function workEndpoints(api: Pick<ApiClient, 'requestRaw'>): WorkApi {
  const works = itemEndpoints(api, WORK);
  const moratoria = itemEndpoints(api, MORATORIUM);
  const work = ({ item, etag, answer }: { item: WorkDetail; etag: string; answer: RawAnswer }): SavedWork => ({
    work: item,
    etag,
    moratoriumCreated: moratoriumCreated(answer),
  });
  const moratorium = ({ item, etag }: { item: MoratoriumDetail; etag: string }): SavedMoratorium => ({ moratorium: item, etag });
  return {
    getWorkWithEtag: async (id, signal) => work(await works.get(id, signal)),
    createWork: async (body) => work(await works.create(body)),
    updateWork: async (id, change, etag) => work(await works.update(id, change, etag)),
    deleteWork: (id, etag) => works.remove(id, etag),
    restoreWork: async (id) => work(await works.restore(id)),
    getMoratoriumWithEtag: async (id, signal) => moratorium(await moratoria.get(id, signal)),
    createMoratorium: async (body) => moratorium(await moratoria.create(body)),
    updateMoratorium: async (id, change, etag) => moratorium(await moratoria.update(id, change, etag)),
    deleteMoratorium: (id, etag) => moratoria.remove(id, etag),
    restoreMoratorium: async (id) => moratorium(await moratoria.restore(id)),
  };
}
