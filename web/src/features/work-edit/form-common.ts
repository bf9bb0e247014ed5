/**
 * What the work form and the moratorium form share: field errors as message keys (so they follow
 * a language switch), the mapping of zod issues of the shared schemas to them, the server's
 * 400 message ("preferredEnd: …") to its field, value equality and the changed fields. Pure.
 */
import type { MessageKey, Translate } from '../../i18n/index.ts';

export interface FieldError {
  key: MessageKey;
  vars?: Readonly<Record<string, string | number>>;
  /** The label of another field, filled in as {other}. */
  other?: MessageKey;
}

export type FieldErrors<F extends string> = Partial<Record<F, FieldError>>;

/** The errors without the one of `field` (it was just changed). */
export function withoutError<F extends string>(errors: FieldErrors<F>, field: string): FieldErrors<F> {
  if (!(field in errors)) return errors;
  const rest = { ...errors };
  delete rest[field as F];
  return rest;
}

export function errorText(t: Translate, error: FieldError): string {
  return t(error.key, { ...error.vars, ...(error.other ? { other: t(error.other) } : {}) });
}

/** A zod issue as far as it matters here (zod 4's issue shape). */
export interface IssueLike {
  code: string;
  path: readonly PropertyKey[];
  message: string;
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  inclusive?: boolean;
}

const isBlank = (v: unknown): boolean => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** The message for one issue on a field whose submitted value was `value`. */
export function issueError(issue: IssueLike, value: unknown): FieldError {
  const field = String(issue.path[0] ?? '');
  if (field === 'geometry') {
    if (isBlank(value)) return { key: 'editErrorGeometryRequired' };
    if (issue.code === 'too_small') return { key: 'editErrorGeometryPoints' };
    return { key: 'editErrorGeometryType' };
  }
  if (typeof value === 'number' && Number.isNaN(value)) return { key: 'editErrorNumber' };
  if (isBlank(value) && (issue.code === 'invalid_type' || issue.code === 'invalid_format' || issue.code === 'invalid_value' || issue.code === 'too_small')) {
    return { key: 'editErrorRequired' };
  }
  const min = Number(issue.minimum ?? 0);
  const max = Number(issue.maximum ?? 0);
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string') return { key: 'editErrorTooShort', vars: { min } };
      if (issue.origin === 'number') return { key: issue.inclusive === false ? 'editErrorPositive' : 'editErrorNotNegative' };
      return { key: 'editErrorInvalid' };
    case 'too_big':
      if (issue.origin === 'string') return { key: 'editErrorTooLong', vars: { max } };
      if (issue.origin === 'array') return { key: 'editErrorTooMany', vars: { max } };
      return { key: 'editErrorTooLarge', vars: { max } };
    case 'invalid_value':
      return { key: 'editErrorChoose' };
    case 'invalid_format':
      return { key: 'editErrorDate' };
    case 'custom':
      return issue.message === 'not a date' ? { key: 'editErrorDate' } : { key: 'editErrorInvalid' };
    case 'invalid_type':
      return { key: typeof value === 'string' ? 'editErrorInvalid' : 'editErrorNumber' };
    default:
      return { key: 'editErrorInvalid' };
  }
}

/** The first issue per field, for the fields in `fields`; `values` are what was validated. */
export function issuesToErrors<F extends string>(issues: readonly IssueLike[], fields: readonly F[], values: Readonly<Partial<Record<F, unknown>>>): FieldErrors<F> {
  const errors: FieldErrors<F> = {};
  for (const issue of issues) {
    const field = String(issue.path[0] ?? '') as F;
    if (!fields.includes(field) || errors[field]) continue;
    errors[field] = issueError(issue, values[field]);
  }
  return errors;
}

/** The field a server message names ("preferredEnd: …", "preferredEnd (2026-…) lies before …"), with the text. */
export function serverFieldError<F extends string>(message: string, fields: readonly F[]): { field: F; error: FieldError } | null {
  const m = /^([a-zA-Z]+)(?:[.\d\w]*)?(?::|\s\()/.exec(message);
  const field = m?.[1] as F | undefined;
  if (!field || !fields.includes(field)) return null;
  return { field, error: { key: 'editErrorServer', vars: { message } } };
}

/** Decimal input in either notation ("1,5" or "1.5"); '' is null, anything else not a number NaN. */
export function parseDecimal(input: string): number | null {
  const s = input.trim().replace(/\s/g, '');
  if (s === '') return null;
  if (!/^[-+]?(\d+([.,]\d*)?|[.,]\d+)$/.test(s)) return Number.NaN;
  return Number(s.replace(',', '.'));
}

/** A number as the form shows it ('' for none). */
export const numberInput = (v: number | null | undefined): string => (v === null || v === undefined ? '' : String(v));

const round7 = (n: number): number => Math.round(n * 1e7) / 1e7;

/** Coordinates compared at the precision the API answers (7 decimals). */
function normalise(v: unknown): unknown {
  if (v === undefined) return null;
  if (typeof v === 'number') return round7(v);
  if (Array.isArray(v)) return v.map(normalise);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(v).sort()) out[key] = normalise((v as Record<string, unknown>)[key]);
    return out;
  }
  return v;
}

/** Equal values: null and absent alike, arrays in order, numbers at 7 decimals. */
export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(normalise(a)) === JSON.stringify(normalise(b));
}

/** The fields whose values differ between `base` and `next`. */
export function changedFields<F extends string>(fields: readonly F[], base: Readonly<Record<F, unknown>>, next: Readonly<Record<F, unknown>>): F[] {
  return fields.filter((f) => !sameValue(base[f], next[f]));
}

/** The values of some fields. */
export function pick<F extends string, V extends Record<F, unknown>>(values: V, fields: readonly F[]): Partial<V> {
  const out: Partial<V> = {};
  for (const f of fields) out[f] = values[f];
  return out;
}

/** Today as 'YYYY-MM-DD' in UTC. */
export const todayIso = (now: Date = new Date()): string => now.toISOString().slice(0, 10);
