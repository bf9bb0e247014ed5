/**
 * Words for the works view: kinds, statuses, exceptions, facet values, titles and the timeline
 * bars' accessible names, in the current language. Pure (the translation is passed in). Kinds and
 * statuses are the Dutch model values themselves in Dutch; unknown values (KLIC free text) are
 * shown as they are.
 */
import { getSystem, isSystemCode } from '@model/systems.ts';
import type { WorkProperties } from '../../api/types.ts';
import { systemLabel, type Language, type MessageKey, type Translate } from '../../i18n/index.ts';
import { formatDay, type DayWindow } from './dates.ts';
import { NONE_KEY, type Facet, type FacetOption } from './works-filter.ts';

const KIND_KEYS: Readonly<Record<string, MessageKey>> = {
  'vervanging riool': 'workKindSewerReplacement',
  relining: 'workKindRelining',
  'reconstructie weg': 'workKindRoadReconstruction',
  herinrichting: 'workKindRedesign',
  'vergroening/klimaatadaptatie': 'workKindGreening',
  netverzwaring: 'workKindGridReinforcement',
  kabelvervanging: 'workKindCableReplacement',
  'nieuwe warmteleiding': 'workKindNewHeatMain',
  'vervanging waterleiding': 'workKindWaterMainReplacement',
  glasvezel: 'workKindFibre',
  onderhoud: 'workKindMaintenance',
  overig: 'workKindOther',
};

const STATUS_KEYS: Readonly<Record<string, MessageKey>> = {
  idee: 'workStatusIdea',
  gepland: 'workStatusPlanned',
  'in voorbereiding': 'workStatusPreparing',
  'in uitvoering': 'workStatusInProgress',
  gereed: 'workStatusDone',
  vervallen: 'workStatusCancelled',
};

const EXCEPTION_KEYS: Readonly<Record<string, MessageKey>> = {
  spoed: 'moratoriumExceptionEmergency',
  'nieuwe aansluiting': 'moratoriumExceptionNewConnection',
};

const lookup = (table: Readonly<Record<string, MessageKey>>, value: string, t: Translate): string => {
  const key = Object.hasOwn(table, value) ? table[value] : undefined;
  return key ? t(key) : value;
};

export const workKindLabel = (t: Translate, kind: string): string => lookup(KIND_KEYS, kind, t);
export const workStatusLabel = (t: Translate, status: string): string => lookup(STATUS_KEYS, status, t);
/** A moratorium exception: 'spoed', 'nieuwe aansluiting' or a kind of work. */
export const exceptionLabel = (t: Translate, value: string): string =>
  Object.hasOwn(EXCEPTION_KEYS, value) ? lookup(EXCEPTION_KEYS, value, t) : workKindLabel(t, value);

const NONE_LABELS: Readonly<Record<Facet, MessageKey>> = {
  owners: 'worksNoOwner',
  systems: 'worksNoSystem',
  statuses: 'worksNoStatus',
  kinds: 'worksNoKind',
};

/** The label of a value in a filter list, a legend or a timeline group header. */
export function facetLabel(t: Translate, lang: Language, facet: Facet, option: Pick<FacetOption, 'key' | 'name'>): string {
  if (option.key === NONE_KEY) return t(NONE_LABELS[facet]);
  switch (facet) {
    case 'owners':
      return option.name ?? option.key;
    case 'systems':
      return isSystemCode(option.key) ? systemLabel(lang, getSystem(option.key)) : option.key;
    case 'statuses':
      return workStatusLabel(t, option.key);
    case 'kinds':
      return workKindLabel(t, option.key);
  }
}

export function workTitle(t: Translate, p: Pick<WorkProperties, 'id' | 'title'>): string {
  const title = p.title?.trim();
  return title ? title : t('worksUntitled', { id: p.id });
}

/** The accessible name of a timeline bar: the title with its dates. */
export function barLabel(t: Translate, lang: Language, bar: { title: string; span: DayWindow | null; preferred: DayWindow | null }): string {
  const { title, span, preferred } = bar;
  if (span === null) return t('worksBarNoDate', { title });
  const from = formatDay(lang, span.from);
  const to = formatDay(lang, span.to);
  if (preferred === null || (preferred.from === span.from && preferred.to === span.to)) return t('worksBarLabel', { title, from, to });
  return t('worksBarLabelPreferred', { title, from, to, preferredFrom: formatDay(lang, preferred.from), preferredTo: formatDay(lang, preferred.to) });
}

/** A safe fragment of a data-testid: lower case letters, digits, '_' and '-'. */
export function testIdPart(key: string): string {
  return key === NONE_KEY ? 'none' : key.toLowerCase().replace(/[^a-z0-9_-]+/g, '-');
}
