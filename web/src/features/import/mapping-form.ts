/**
 * The mapping form, as the analyst edits it, and its conversion to and from the AssetMapping the
 * API takes. Pure. A constant is typed as text; numeric targets turn it into a number here, and
 * what cannot become a valid mapping comes back as a list of issues with the target it concerns.
 */
import { MAPPING_TARGETS, type AssetMapping, type FieldRef, type MappingTarget, type SystemRef } from '@model/asset-mapping.ts';
import { isSystemCode, type SystemCode } from '@model/systems.ts';
import type { ImportJob, SampleValue } from '../../api/types.ts';

export type FieldChoice = { kind: 'none' } | { kind: 'field'; field: string } | { kind: 'value'; value: string };

export type SystemChoice =
  | { kind: 'value'; value: SystemCode }
  /** per feature: source value → system; values not in `map` get `fallback` */
  | { kind: 'field'; field: string; map: Readonly<Record<string, SystemCode>>; fallback: SystemCode };

export interface MappingForm {
  system: SystemChoice;
  targets: Readonly<Record<MappingTarget, FieldChoice>>;
}

export type FormTarget = MappingTarget | 'system';

export interface FormIssue {
  target: FormTarget;
  problem: 'emptyValue' | 'notNumber' | 'noField';
}

/** Targets stored as numbers: a constant for them must be a number. */
export const NUMERIC_TARGETS: ReadonlySet<MappingTarget> = new Set<MappingTarget>(['diameterMm', 'inServiceYear', 'replacementYear']);

/** Select option values for "nothing" and "a constant"; every other option value is a field name. */
export const NONE_OPTION = '__none';
export const VALUE_OPTION = '__value';
/** Option of the system select that switches to a per-field value map. */
export const PER_FIELD_OPTION = '__per-field';

const NONE: FieldChoice = { kind: 'none' };

function choiceFromRef(ref: FieldRef): FieldChoice {
  if (ref === null) return NONE;
  if ('field' in ref) return { kind: 'field', field: ref.field };
  return { kind: 'value', value: String(ref.value) };
}

function systemChoiceFromRef(ref: SystemRef): SystemChoice {
  if ('value' in ref) return { kind: 'value', value: ref.value };
  return { kind: 'field', field: ref.field, map: { ...ref.map }, fallback: ref.fallback };
}

export function formFromMapping(mapping: AssetMapping): MappingForm {
  const targets = Object.fromEntries(MAPPING_TARGETS.map((t) => [t, choiceFromRef(mapping[t])])) as Record<MappingTarget, FieldChoice>;
  return { system: systemChoiceFromRef(mapping.system), targets };
}

/** A number as typed: a decimal comma ("1,5") is accepted, otherwise the usual notation. */
export function parseNumber(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const normalised = /^-?\d+,\d+$/.test(trimmed) ? trimmed.replace(',', '.') : trimmed;
  const n = Number(normalised);
  return Number.isFinite(n) ? n : null;
}

function refFromChoice(target: MappingTarget, choice: FieldChoice, issues: FormIssue[]): FieldRef {
  switch (choice.kind) {
    case 'none':
      return null;
    case 'field':
      return { field: choice.field };
    case 'value': {
      const text = choice.value.trim();
      if (text === '') {
        issues.push({ target, problem: 'emptyValue' });
        return null;
      }
      if (!NUMERIC_TARGETS.has(target)) return { value: text };
      const n = parseNumber(text);
      if (n === null) issues.push({ target, problem: 'notNumber' });
      return n === null ? null : { value: n };
    }
  }
}

function systemRefFromChoice(choice: SystemChoice, issues: FormIssue[]): SystemRef {
  if (choice.kind === 'value') return { value: choice.value };
  if (choice.field === '') {
    issues.push({ target: 'system', problem: 'noField' });
    return { value: choice.fallback };
  }
  return { field: choice.field, map: { ...choice.map }, fallback: choice.fallback };
}

/** The mapping to send, or null with the issues that prevent it. */
export function mappingFromForm(form: MappingForm): { mapping: AssetMapping | null; issues: FormIssue[] } {
  const issues: FormIssue[] = [];
  const system = systemRefFromChoice(form.system, issues);
  const refs = Object.fromEntries(MAPPING_TARGETS.map((t) => [t, refFromChoice(t, form.targets[t], issues)])) as Record<MappingTarget, FieldRef>;
  return issues.length > 0 ? { mapping: null, issues } : { mapping: { system, ...refs }, issues };
}

export function updateTarget(form: MappingForm, target: MappingTarget, choice: FieldChoice): MappingForm {
  return { ...form, targets: { ...form.targets, [target]: choice } };
}

/** The select's value for a choice. */
export function optionOfChoice(choice: FieldChoice): string {
  if (choice.kind === 'none') return NONE_OPTION;
  if (choice.kind === 'value') return VALUE_OPTION;
  return choice.field;
}

/** The choice for a select value; switching to "constant" keeps a constant typed before. */
export function choiceOfOption(option: string, previous: FieldChoice): FieldChoice {
  if (option === NONE_OPTION) return NONE;
  if (option === VALUE_OPTION) return previous.kind === 'value' ? previous : { kind: 'value', value: '' };
  return { kind: 'field', field: option };
}

/** The system select's value for a choice. */
export function optionOfSystem(choice: SystemChoice): string {
  return choice.kind === 'value' ? choice.value : PER_FIELD_OPTION;
}

/**
 * The system choice for a select value. Switching to "per field" starts with the first field and
 * the current system as fallback; switching back keeps the fallback as the constant.
 */
export function systemOfOption(option: string, previous: SystemChoice, fields: readonly string[]): SystemChoice {
  if (isSystemCode(option)) return { kind: 'value', value: option };
  if (previous.kind === 'field') return previous;
  return { kind: 'field', field: fields[0] ?? '', map: {}, fallback: previous.value };
}

/** Map one source value to a system (null removes it, so it falls back). */
export function mapSystemValue(choice: SystemChoice, value: string, system: SystemCode | null): SystemChoice {
  if (choice.kind !== 'field') return choice;
  const map: Record<string, SystemCode> = { ...choice.map };
  if (system === null) delete map[value];
  else map[value] = system;
  return { ...choice, map };
}

function valueText(value: SampleValue | undefined): string | null {
  if (value === null || value === undefined) return null;
  return String(value);
}

/**
 * The distinct values of a field in what the job shows of the file (preview features and the
 * sample rows), most frequent first, at most `limit`; for the per-field system map.
 */
export function distinctValues(job: Pick<ImportJob, 'preview' | 'sample'>, field: string, limit = 40): string[] {
  const counts = new Map<string, number>();
  const rows = [...(job.preview?.features.map((f) => f.properties ?? {}) ?? []), ...job.sample];
  for (const row of rows) {
    const text = valueText(row[field]);
    if (text !== null && text !== '') counts.set(text, (counts.get(text) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, limit)
    .map(([value]) => value);
}

/** Field names to offer: the job's fields, plus any field the (proposed) mapping names that the job does not list. */
export function fieldOptions(job: Pick<ImportJob, 'fields'>, form: MappingForm): string[] {
  const names = job.fields.map((f) => f.name).filter((n) => n !== '__index');
  const named = MAPPING_TARGETS.flatMap((t) => {
    const c = form.targets[t];
    return c.kind === 'field' ? [c.field] : [];
  });
  if (form.system.kind === 'field' && form.system.field !== '') named.push(form.system.field);
  return [...names, ...named.filter((n) => !names.includes(n))].filter((n, i, all) => all.indexOf(n) === i);
}
