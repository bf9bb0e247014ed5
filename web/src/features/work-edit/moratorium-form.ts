/**
 * The moratorium form (graafrust): a street or area, from/until, the reason and the exceptions
 * that may still open the ground; validated with the shared schema (NewMoratorium), and the
 * change against the loaded moratorium. Pure.
 */
import { MORATORIUM_EXCEPTIONS, NewMoratorium } from '@model/moratorium.ts';
import type { MoratoriumDetail } from '../../api/work-endpoints.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { toDay } from '../works/dates.ts';
import { changedFields, issuesToErrors, pick, type FieldErrors } from './form-common.ts';
import { editGeometry, geometryEmpty, type EditGeometry } from './work-form.ts';

export const MORATORIUM_FIELDS = ['from', 'until', 'reason', 'exceptions', 'geometry'] as const;
export type MoratoriumField = (typeof MORATORIUM_FIELDS)[number];
export { MORATORIUM_EXCEPTIONS };

export interface MoratoriumForm {
  from: string;
  until: string;
  reason: string;
  exceptions: string[];
  geometry: EditGeometry | null;
}

export interface MoratoriumValues {
  from: string | null;
  until: string | null;
  reason: string;
  exceptions: string[];
  geometry: EditGeometry | null;
}

export const MORATORIUM_FIELD_LABELS: Readonly<Record<MoratoriumField, MessageKey>> = {
  from: 'moratoriumFieldFrom',
  until: 'moratoriumFieldUntil',
  reason: 'moratoriumFieldReason',
  exceptions: 'moratoriumFieldExceptions',
  geometry: 'moratoriumFieldGeometry',
};

/** Default term of a new moratorium: five years from today. */
export function newMoratoriumForm(today: string): MoratoriumForm {
  const until = new Date(`${today}T00:00:00Z`);
  until.setUTCFullYear(until.getUTCFullYear() + 5);
  return { from: today, until: until.toISOString().slice(0, 10), reason: '', exceptions: ['spoed', 'nieuwe aansluiting'], geometry: null };
}

export function moratoriumFormFrom(m: MoratoriumDetail): MoratoriumForm {
  return { from: toDay(m.from) ?? '', until: toDay(m.until) ?? '', reason: m.reason, exceptions: [...m.exceptions], geometry: editGeometry(m.geometry) };
}

const order = (e: string): number => {
  const i = (MORATORIUM_EXCEPTIONS as readonly string[]).indexOf(e);
  return i < 0 ? MORATORIUM_EXCEPTIONS.length : i;
};

export function moratoriumValues(form: MoratoriumForm): MoratoriumValues {
  return {
    from: form.from.trim() === '' ? null : form.from.trim(),
    until: form.until.trim() === '' ? null : form.until.trim(),
    reason: form.reason.trim(),
    exceptions: [...new Set(form.exceptions)].sort((a, b) => order(a) - order(b)),
    geometry: form.geometry,
  };
}

export const moratoriumValuesFrom = (m: MoratoriumDetail): MoratoriumValues => moratoriumValues(moratoriumFormFrom(m));

export function moratoriumFormOf(v: MoratoriumValues): MoratoriumForm {
  return { from: v.from ?? '', until: v.until ?? '', reason: v.reason, exceptions: [...v.exceptions], geometry: v.geometry };
}

export function moratoriumBody(values: Partial<MoratoriumValues>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const f of MORATORIUM_FIELDS) {
    const v = values[f];
    if (v !== null && v !== undefined) body[f] = v;
  }
  return body;
}

export type MoratoriumValidation =
  | { ok: true; values: MoratoriumValues; body: NewMoratorium }
  | { ok: false; values: MoratoriumValues; errors: FieldErrors<MoratoriumField> };

export function validateMoratorium(form: MoratoriumForm): MoratoriumValidation {
  const values = moratoriumValues(form);
  const parsed = NewMoratorium.safeParse(moratoriumBody(values));
  const issues = parsed.success ? [] : parsed.error.issues.filter((i) => !(i.code === 'custom' && i.path[0] === 'until' && i.message.includes('lies before')));
  const errors: FieldErrors<MoratoriumField> = issuesToErrors(issues, MORATORIUM_FIELDS, values);
  const from = toDay(values.from);
  const until = toDay(values.until);
  if (!errors.until && from !== null && until !== null && until < from) errors.until = { key: 'editErrorUntilBeforeFrom', vars: { date: from } };
  if (!errors.geometry && geometryEmpty(values.geometry)) errors.geometry = { key: 'editErrorGeometryEmpty' };
  if (parsed.success && Object.keys(errors).length === 0) return { ok: true, values, body: parsed.data };
  return { ok: false, values, errors };
}

export const changedMoratoriumFields = (base: MoratoriumValues, values: MoratoriumValues): MoratoriumField[] =>
  changedFields(MORATORIUM_FIELDS, base, values);

export function moratoriumChange(base: MoratoriumValues, values: MoratoriumValues): Record<string, unknown> {
  return moratoriumBody(pick(values, changedMoratoriumFields(base, values)));
}
