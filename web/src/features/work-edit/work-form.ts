/**
 * The work form (issue 5): its state as the inputs hold it (strings), the values it stands for,
 * the API body, validation with the shared zod schema (NewWork) plus the rules the user should
 * hear about before the server does (the windows nest, the geometry is not empty), and the
 * change (PATCH) against the loaded work: only the fields that differ. Pure.
 */
import { NewWork, WORK_KINDS, WORK_STATUSES, WorkGeometry } from '@model/work.ts';
import { SYSTEM_CODES } from '@model/systems.ts';
import type { LineString, MultiLineString, MultiPolygon, Polygon } from 'geojson';
import type { WorkDetail } from '../../api/types.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { measureGeometry } from '../../map/measure.ts';
import { toDay } from '../works/dates.ts';
import { changedFields, issuesToErrors, numberInput, parseDecimal, pick, type FieldErrors } from './form-common.ts';

export type EditGeometry = LineString | MultiLineString | Polygon | MultiPolygon;

export const WORK_FIELDS = [
  'title', 'owner', 'kind', 'systems', 'status', 'opensGround', 'trenchWidth', 'earliestStart', 'preferredStart', 'preferredEnd',
  'latestEnd', 'costEstimate', 'contact', 'confidentiality', 'geometry',
] as const;
export type WorkField = (typeof WORK_FIELDS)[number];

export const CONFIDENTIALITY_LEVELS = ['C0', 'C1', 'C2', 'C3'] as const;
export { SYSTEM_CODES, WORK_KINDS, WORK_STATUSES };

/** What the inputs hold. */
export interface WorkForm {
  title: string;
  /** Organisation slug of the owner (read-only: one's own organisation). */
  owner: string;
  kind: string;
  systems: string[];
  status: string;
  opensGround: boolean;
  /** Metres, as typed. */
  trenchWidth: string;
  earliestStart: string;
  preferredStart: string;
  preferredEnd: string;
  latestEnd: string;
  /** Euros, as typed. */
  costEstimate: string;
  contact: string;
  confidentiality: string;
  geometry: EditGeometry | null;
}

/** What the form stands for: the API's fields, absent ones null. */
export interface WorkValues {
  title: string;
  owner: string | null;
  kind: string;
  systems: string[];
  status: string;
  opensGround: boolean;
  trenchWidth: number | null;
  earliestStart: string | null;
  preferredStart: string | null;
  preferredEnd: string | null;
  latestEnd: string | null;
  costEstimate: number | null;
  contact: string | null;
  confidentiality: string;
  geometry: EditGeometry | null;
}

export const FIELD_LABELS: Readonly<Record<WorkField, MessageKey>> = {
  title: 'workFieldTitle',
  owner: 'workFieldOwner',
  kind: 'workFieldKind',
  systems: 'workFieldSystems',
  status: 'workFieldStatus',
  opensGround: 'workFieldOpensGround',
  trenchWidth: 'workFieldTrenchWidth',
  earliestStart: 'workFieldEarliestStart',
  preferredStart: 'workFieldPreferredStart',
  preferredEnd: 'workFieldPreferredEnd',
  latestEnd: 'workFieldLatestEnd',
  costEstimate: 'workFieldCostEstimate',
  contact: 'workFieldContact',
  confidentiality: 'workFieldConfidentiality',
  geometry: 'workFieldGeometry',
};

/** Trench width when a work opens the ground and nobody said otherwise (m). */
export const DEFAULT_TRENCH_WIDTH = '1';

export function newWorkForm(owner: string): WorkForm {
  return {
    title: '', owner, kind: '', systems: [], status: 'gepland', opensGround: true, trenchWidth: DEFAULT_TRENCH_WIDTH,
    earliestStart: '', preferredStart: '', preferredEnd: '', latestEnd: '', costEstimate: '', contact: '', confidentiality: 'C1', geometry: null,
  };
}

/** The geometry of an API answer when the form can take it (lines and polygons); else null. */
export function editGeometry(geometry: unknown): EditGeometry | null {
  const r = WorkGeometry.safeParse(geometry);
  return r.success ? (r.data as EditGeometry) : null;
}

const day = (v: string | null | undefined): string => toDay(v) ?? '';

export function workFormFrom(work: WorkDetail): WorkForm {
  return {
    title: work.title ?? '',
    owner: work.owner ?? '',
    kind: work.kind ?? '',
    systems: [...(work.systems ?? [])],
    status: work.status ?? 'gepland',
    opensGround: work.opensGround ?? true,
    trenchWidth: numberInput(work.trenchWidth),
    earliestStart: day(work.earliestStart),
    preferredStart: day(work.preferredStart),
    preferredEnd: day(work.preferredEnd),
    latestEnd: day(work.latestEnd),
    costEstimate: numberInput(work.costEstimate),
    contact: work.contact ?? '',
    confidentiality: work.confidentiality ?? 'C1',
    geometry: editGeometry(work.geometry),
  };
}

const text = (s: string): string | null => (s.trim() === '' ? null : s.trim());
const systemOrder = (code: string): number => {
  const i = (SYSTEM_CODES as readonly string[]).indexOf(code);
  return i < 0 ? SYSTEM_CODES.length : i;
};

export function workValues(form: WorkForm): WorkValues {
  return {
    title: form.title.trim(),
    owner: text(form.owner),
    kind: form.kind,
    systems: [...new Set(form.systems)].sort((a, b) => systemOrder(a) - systemOrder(b) || a.localeCompare(b)),
    status: form.status,
    opensGround: form.opensGround,
    // a work that does not open the ground has no trench
    trenchWidth: form.opensGround ? parseDecimal(form.trenchWidth) : null,
    earliestStart: text(form.earliestStart),
    preferredStart: text(form.preferredStart),
    preferredEnd: text(form.preferredEnd),
    latestEnd: text(form.latestEnd),
    costEstimate: parseDecimal(form.costEstimate),
    contact: text(form.contact),
    confidentiality: form.confidentiality,
    geometry: form.geometry,
  };
}

export const workValuesFrom = (work: WorkDetail): WorkValues => workValues(workFormFrom(work));

/** The form showing some values (after a merge). */
export function workFormOf(values: WorkValues): WorkForm {
  return {
    title: values.title, owner: values.owner ?? '', kind: values.kind, systems: [...values.systems], status: values.status,
    opensGround: values.opensGround, trenchWidth: numberInput(values.trenchWidth), earliestStart: values.earliestStart ?? '',
    preferredStart: values.preferredStart ?? '', preferredEnd: values.preferredEnd ?? '', latestEnd: values.latestEnd ?? '',
    costEstimate: numberInput(values.costEstimate), contact: values.contact ?? '', confidentiality: values.confidentiality, geometry: values.geometry,
  };
}

/** The JSON body of some values: absent required ones left out (the schema then names them), no owner when unknown. */
export function workBody(values: Partial<WorkValues>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of WORK_FIELDS) {
    if (!(field in values)) continue;
    const v = values[field];
    const required = field === 'title' || field === 'kind' || field === 'preferredStart' || field === 'preferredEnd' || field === 'geometry';
    if ((v === null || v === undefined) && (required || field === 'owner')) continue;
    body[field] = v;
  }
  return body;
}

const WINDOW_ORDER = ['earliestStart', 'preferredStart', 'preferredEnd', 'latestEnd'] as const;

/** The windows nest: earliest start ≤ preferred start ≤ preferred end ≤ latest end (the given ones, as the server checks). */
export function windowErrors(values: Pick<WorkValues, (typeof WINDOW_ORDER)[number]>): FieldErrors<WorkField> {
  const errors: FieldErrors<WorkField> = {};
  const given = WINDOW_ORDER.flatMap((f) => {
    const v = toDay(values[f]);
    return v === null ? [] : [{ field: f, day: v }];
  });
  for (let i = 1; i < given.length; i++) {
    const a = given[i - 1];
    const b = given[i];
    if (a && b && a.day > b.day) errors[b.field] = { key: 'editErrorWindow', other: FIELD_LABELS[a.field], vars: { date: a.day } };
  }
  return errors;
}

/** A geometry of length 0 (all vertices on one spot) or a polygon without area. */
export function geometryEmpty(geometry: EditGeometry | null): boolean {
  const m = measureGeometry(geometry);
  if (!m) return false;
  return m.kind === 'line' ? m.lengthM < 0.01 : (m.areaM2 ?? 0) < 0.01;
}

export type WorkValidation = { ok: true; values: WorkValues; body: NewWork } | { ok: false; values: WorkValues; errors: FieldErrors<WorkField> };

/** The form checked as a whole work (the shared schema and the rules above); errors per field. */
export function validateWork(form: WorkForm): WorkValidation {
  const values = workValues(form);
  const body = workBody(values);
  const parsed = NewWork.safeParse(body);
  // the schema's own window message is English and names one pair only: ours replaces it
  const issues = parsed.success ? [] : parsed.error.issues.filter((i) => !(i.code === 'custom' && i.message.includes('must nest')));
  const errors: FieldErrors<WorkField> = { ...windowErrors(values), ...issuesToErrors(issues, WORK_FIELDS, values) };
  if (!errors.geometry && geometryEmpty(values.geometry)) errors.geometry = { key: 'editErrorGeometryEmpty' };
  if (parsed.success && Object.keys(errors).length === 0) return { ok: true, values, body: parsed.data };
  return { ok: false, values, errors };
}

/** The fields that differ from the loaded work. */
export const changedWorkFields = (base: WorkValues, values: WorkValues): WorkField[] => changedFields(WORK_FIELDS, base, values);

/** The PATCH body: only what changed (an empty object when nothing did). */
export function workChange(base: WorkValues, values: WorkValues): Record<string, unknown> {
  const changed = changedWorkFields(base, values);
  const change = pick(values, changed);
  const body: Record<string, unknown> = {};
  for (const f of changed) {
    const v = change[f];
    // owner and the required fields cannot be cleared; nullable ones can
    if ((v === null || v === undefined) && (f === 'owner' || f === 'title' || f === 'kind' || f === 'preferredStart' || f === 'preferredEnd' || f === 'geometry')) continue;
    body[f] = v ?? null;
  }
  return body;
}
