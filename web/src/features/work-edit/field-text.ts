/**
 * A field's value as text, for the merge dialog (mine next to theirs): kinds, statuses, systems
 * and exceptions in words, dates and amounts in the language's notation, a geometry by its kind
 * and size. Pure.
 */
import { getSystem, isSystemCode } from '@model/systems.ts';
import type { Geometry } from 'geojson';
import { formatNumber, systemLabel, type Language, type MessageKey, type Translate } from '../../i18n/index.ts';
import { formatMeasure, measureGeometry, type MeasurableGeometry } from '../../map/measure.ts';
import { formatDay, toDay } from '../works/dates.ts';
import { exceptionLabel, workKindLabel, workStatusLabel } from '../works/works-labels.ts';

const LEVEL_KEYS: Readonly<Record<string, MessageKey>> = { C0: 'levelC0', C1: 'levelC1', C2: 'levelC2', C3: 'levelC3' };

const DATE_FIELDS = new Set(['earliestStart', 'preferredStart', 'preferredEnd', 'latestEnd', 'from', 'until']);

const locale = (lang: Language): string => (lang === 'nl' ? 'nl-NL' : 'en-GB');

export function euros(lang: Language, amount: number): string {
  return new Intl.NumberFormat(locale(lang), { style: 'currency', currency: 'EUR', maximumFractionDigits: 2, minimumFractionDigits: 0 }).format(amount);
}

export function levelLabelOf(t: Translate, level: string): string {
  const key = LEVEL_KEYS[level];
  return key ? `${level} ${t(key)}` : level;
}

/** "Lijn · 124 m", "Vlak · 0,35 ha · omtrek 240 m". */
export function geometryText(t: Translate, lang: Language, geometry: Geometry | null | undefined): string {
  if (!geometry) return t('editValueNone');
  const kind = geometry.type.endsWith('Polygon') ? t('editGeometryArea') : t('editGeometryLine');
  // measureGeometry answers null for other kinds of geometry
  const measure = measureGeometry(geometry as MeasurableGeometry);
  return measure ? `${kind} · ${formatMeasure(lang, measure)}` : kind;
}

export function fieldValueText(field: string, value: unknown, t: Translate, lang: Language): string {
  if (value === null || value === undefined || value === '') return t('editValueNone');
  if (Array.isArray(value)) {
    if (value.length === 0) return t('editValueNone');
    if (field === 'systems') return value.map((c: unknown) => (isSystemCode(c) ? systemLabel(lang, getSystem(c)) : String(c))).join(', ');
    if (field === 'exceptions') return value.map((e: unknown) => exceptionLabel(t, String(e))).join(', ');
    return value.map(String).join(', ');
  }
  if (field === 'geometry') return geometryText(t, lang, value as Geometry);
  if (typeof value === 'boolean') return value ? t('yes') : t('no');
  if (typeof value === 'number') {
    if (field === 'costEstimate') return euros(lang, value);
    if (field === 'trenchWidth') return `${formatNumber(lang, value)} m`;
    return formatNumber(lang, value);
  }
  const s = String(value);
  if (DATE_FIELDS.has(field)) {
    const day = toDay(s);
    return day === null ? s : formatDay(lang, day);
  }
  if (field === 'kind') return workKindLabel(t, s);
  if (field === 'status') return workStatusLabel(t, s);
  if (field === 'confidentiality') return levelLabelOf(t, s);
  return s;
}
