/**
 * Every finding explained in words (issue 6): what, where (the works by title), who (their
 * owners), which rule with its parameters, and the numbers. Plus the orders of the card list:
 * by estimated saving (a combination: its bundle's €) or by severity. Pure.
 */
import type { ApiBundle, ApiFinding } from '../../api/analysis-endpoints.ts';
import type { Language, MessageKey, Translate } from '../../i18n/index.ts';

export interface WorkLabel { title: string; owner: string | null }
export type WorkLabels = ReadonlyMap<number, WorkLabel>;

export const TYPE_KEYS: Readonly<Record<ApiFinding['type'], MessageKey>> = {
  combine: 'typeCombine', clash: 'typeClash', repeat_opening: 'typeRepeatOpening', moratorium: 'typeMoratorium', coupling: 'typeCoupling',
};

const num = (lang: Language, v: unknown, digits = 1): string =>
  typeof v === 'number' ? new Intl.NumberFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', { maximumFractionDigits: digits }).format(v) : '?';

const workName = (labels: WorkLabels, id: number | undefined): string => (id === undefined ? '?' : `“${labels.get(id)?.title ?? `#${id}`}”`);

export interface Explanation {
  title: string;
  sentences: string[];
  who: string[];
  rule: string;
}

function ruleText(f: ApiFinding, lang: Language): string {
  return Object.entries(f.rule).map(([k, v]) => `${k} = ${typeof v === 'number' ? num(lang, v, 2) : v}`).join(', ');
}

export function explainFinding(f: ApiFinding, labels: WorkLabels, t: Translate, lang: Language, systemLabel: (code: string) => string): Explanation {
  const m = f.metrics;
  const a = workName(labels, f.works[0]);
  const b = workName(labels, f.works[1]);
  const distance = num(lang, m.distance_m);
  const sentences: string[] = [];
  switch (f.type) {
    case 'combine':
      sentences.push(t('explainCombine', { a, b, distance, gap: num(lang, m.gap_days, 0), limit: num(lang, f.rule.distance_m), days: num(lang, f.rule.combine_days, 0) }));
      sentences.push(m.preferred_overlap === true ? t('explainCombineOverlap', { overlap: num(lang, m.overlap_days, 0) }) : t('explainCombineShift', { shift: num(lang, m.shift_days, 0) }));
      break;
    case 'clash':
      sentences.push(t('explainClash', { a, b, distance, overlap: num(lang, m.overlap_days, 0), limit: num(lang, f.rule.distance_m) }));
      break;
    case 'repeat_opening':
      sentences.push(t('explainRepeat', { a, b, distance, gap: num(lang, m.gap_days, 0), low: num(lang, f.rule.combine_days, 0), high: num(lang, f.rule.repeat_days, 0) }));
      break;
    case 'moratorium':
      sentences.push(t('explainMoratorium', { a, until: String(m.until ?? '?'), overlap: num(lang, m.overlap_days, 0), exceptions: String(f.rule.exceptions ?? '—') }));
      break;
    case 'coupling':
      sentences.push(t('explainCoupling', {
        a, count: num(lang, m.asset_count, 0), system: systemLabel(String(m.system ?? '')), due: String(m.earliest_due_year ?? '?'),
        years: num(lang, m.years_before_start, 0), reach: num(lang, f.rule.distance_m), couplingYears: num(lang, f.rule.years, 0),
      }));
      break;
  }
  const who = [...new Set(f.works.map((id) => labels.get(id)?.owner).filter((o): o is string => typeof o === 'string'))];
  return { title: t(TYPE_KEYS[f.type]), sentences, who, rule: ruleText(f, lang) };
}

export function explainBundle(bundle: ApiBundle, t: Translate, lang: Language): Explanation {
  const m = bundle.metrics;
  return {
    title: t('typeBundle'),
    sentences: [
      t('explainBundle', { count: bundle.works.length, organisations: bundle.organisations.join(', '), start: bundle.commonWindow.start, end: bundle.commonWindow.end }),
      t('bundleMetrics', {
        openings: m.openings_avoided, shared: num(lang, m.shared_trench_m, 0), repaving: num(lang, m.repaving_avoided_m2, 0),
        days: num(lang, m.nuisance_days_avoided, 0), saving: num(lang, m.saving_eur, 0),
      }),
    ],
    who: bundle.organisations,
    rule: '',
  };
}

/** Severity: a clash and a moratorium breach block work; a repeat opening wastes; chances come last. */
const SEVERITY: Readonly<Record<ApiFinding['type'], number>> = { clash: 5, moratorium: 4, repeat_opening: 3, coupling: 2, combine: 1 };

export type SortKey = 'saving' | 'severity' | 'type';

/** The estimated saving of a finding: that of the bundle its combination belongs to (0 for others). */
export function savingOf(f: ApiFinding, bundles: readonly ApiBundle[]): number {
  if (f.type !== 'combine') return 0;
  return bundles.find((b) => b.findings.includes(f.id))?.metrics.saving_eur ?? 0;
}

export function sortFindings(list: readonly ApiFinding[], key: SortKey, bundles: readonly ApiBundle[]): ApiFinding[] {
  const order = Object.keys(TYPE_KEYS);
  const byId = (p: ApiFinding, q: ApiFinding): number => (p.id < q.id ? -1 : p.id > q.id ? 1 : 0);
  const overlap = (f: ApiFinding): number => Number(f.metrics.overlap_days ?? 0);
  return [...list].sort((p, q) => {
    if (key === 'saving') return savingOf(q, bundles) - savingOf(p, bundles) || SEVERITY[q.type] - SEVERITY[p.type] || byId(p, q);
    if (key === 'severity') return SEVERITY[q.type] - SEVERITY[p.type] || overlap(q) - overlap(p) || byId(p, q);
    return order.indexOf(p.type) - order.indexOf(q.type) || byId(p, q);
  });
}
