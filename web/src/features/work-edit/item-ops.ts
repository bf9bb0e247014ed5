/**
 * What differs between editing a work and editing a moratorium, behind one interface: the
 * fields, the form and its values, validation, the change, and the API calls (answering values
 * and the ETag). The editor flow (editor-flow.ts) is written once against it.
 */
import { StaleMoratoriumError, StaleWorkError, type ItemKind, type MoratoriumDetail, type WorkApi } from '../../api/work-endpoints.ts';
import type { WorkDetail } from '../../api/types.ts';
import type { MessageKey } from '../../i18n/index.ts';
import type { FieldErrors } from './form-common.ts';
import {
  MORATORIUM_FIELDS,
  MORATORIUM_FIELD_LABELS,
  moratoriumChange,
  moratoriumFormOf,
  moratoriumValues,
  moratoriumValuesFrom,
  validateMoratorium,
  type MoratoriumField,
  type MoratoriumForm,
  type MoratoriumValues,
} from './moratorium-form.ts';
import {
  FIELD_LABELS,
  WORK_FIELDS,
  validateWork,
  workChange,
  workFormOf,
  workValues,
  workValuesFrom,
  type EditGeometry,
  type WorkField,
  type WorkForm,
  type WorkValues,
} from './work-form.ts';

/** An item as the server answered it: its values, id, ETag and version. */
export interface Loaded<V> {
  id: number;
  etag: string;
  version: number | null;
  values: V;
  /** A work marked 'gereed' made the server generate this moratorium. */
  moratoriumCreated: number | null;
}

export type Validation<V, F extends string> = { ok: true; values: V; body: Readonly<Record<string, unknown>> } | { ok: false; values: V; errors: FieldErrors<F> };

export interface ItemOps<Form, V extends Readonly<Record<F, unknown>>, F extends string> {
  kind: ItemKind;
  fields: readonly F[];
  labels: Readonly<Record<F, MessageKey>>;
  validate(form: Form): Validation<V, F>;
  values(form: Form): V;
  formOf(values: V): Form;
  /** The PATCH body from `base` to `values` (empty when equal). */
  change(base: V, values: V): Record<string, unknown>;
  geometryOf(form: Form): EditGeometry | null;
  withGeometry(form: Form, geometry: EditGeometry | null): Form;
  /** A short name for notices: the title, or the reason. */
  label(values: V, id: number | null): string;
  load(api: WorkApi, id: number, signal?: AbortSignal): Promise<Loaded<V>>;
  create(api: WorkApi, body: Readonly<Record<string, unknown>>): Promise<Loaded<V>>;
  /** PATCH `change` (only the fields that changed) against the version `etag` names. */
  update(api: WorkApi, id: number, change: Readonly<Record<string, unknown>>, etag: string): Promise<Loaded<V>>;
  remove(api: WorkApi, id: number, etag: string): Promise<void>;
  restore(api: WorkApi, id: number): Promise<Loaded<V>>;
  /** The server's current state from a 412 of this kind; null for other errors. */
  stale(err: unknown): Omit<Loaded<V>, 'moratoriumCreated'> | null;
}

const version = (v: number | null | undefined): number | null => (typeof v === 'number' ? v : null);

const loadedWork = (w: { work: WorkDetail; etag: string; moratoriumCreated?: number | null }): Loaded<WorkValues> => ({
  id: w.work.id,
  etag: w.etag,
  version: version(w.work.version),
  values: workValuesFrom(w.work),
  moratoriumCreated: w.moratoriumCreated ?? null,
});

const loadedMoratorium = (m: { moratorium: MoratoriumDetail; etag: string }): Loaded<MoratoriumValues> => ({
  id: m.moratorium.id,
  etag: m.etag,
  version: version(m.moratorium.version),
  values: moratoriumValuesFrom(m.moratorium),
  moratoriumCreated: null,
});

export const WORK_OPS: ItemOps<WorkForm, WorkValues, WorkField> = {
  kind: 'work',
  fields: WORK_FIELDS,
  labels: FIELD_LABELS,
  validate: validateWork,
  values: workValues,
  formOf: workFormOf,
  change: workChange,
  geometryOf: (form) => form.geometry,
  withGeometry: (form, geometry) => ({ ...form, geometry }),
  label: (values, id) => values.title.trim() || (id === null ? '' : `#${id}`),
  load: async (api, id, signal) => loadedWork(await api.getWorkWithEtag(id, signal)),
  create: async (api, body) => loadedWork(await api.createWork(body)),
  update: async (api, id, change, etag) => loadedWork(await api.updateWork(id, change, etag)),
  remove: (api, id, etag) => api.deleteWork(id, etag),
  restore: async (api, id) => loadedWork(await api.restoreWork(id)),
  stale: (err) => (err instanceof StaleWorkError ? loadedWork({ work: err.current, etag: err.etag }) : null),
};

export const MORATORIUM_OPS: ItemOps<MoratoriumForm, MoratoriumValues, MoratoriumField> = {
  kind: 'moratorium',
  fields: MORATORIUM_FIELDS,
  labels: MORATORIUM_FIELD_LABELS,
  validate: validateMoratorium,
  values: moratoriumValues,
  formOf: moratoriumFormOf,
  change: moratoriumChange,
  geometryOf: (form) => form.geometry,
  withGeometry: (form, geometry) => ({ ...form, geometry }),
  label: (values, id) => values.reason.trim() || (id === null ? '' : `#${id}`),
  load: async (api, id, signal) => loadedMoratorium(await api.getMoratoriumWithEtag(id, signal)),
  create: async (api, body) => loadedMoratorium(await api.createMoratorium(body)),
  update: async (api, id, change, etag) => loadedMoratorium(await api.updateMoratorium(id, change, etag)),
  remove: (api, id, etag) => api.deleteMoratorium(id, etag),
  restore: async (api, id) => loadedMoratorium(await api.restoreMoratorium(id)),
  stale: (err) => (err instanceof StaleMoratoriumError ? loadedMoratorium({ moratorium: err.current, etag: err.etag }) : null),
};
