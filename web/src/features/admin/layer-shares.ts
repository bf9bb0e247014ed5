/**
 * The layers part as pure functions: the classification labels, which organisations a layer can be
 * shared with, the share form and its check, and applying a change to the list.
 */
import type { AdminDataset, ConfidentialityLevel, DatasetShare, NewShare } from '../../api/admin-types.ts';
import type { Organisation } from '../../api/types.ts';
import type { MessageKey, Translate } from '../../i18n/index.ts';
import type { Checked, FormIssue } from './admin-errors.ts';

const LEVEL_KEYS: Readonly<Record<ConfidentialityLevel, MessageKey>> = {
  C0: 'levelC0',
  C1: 'levelC1',
  C2: 'levelC2',
  C3: 'levelC3',
};

/** "C2 vertrouwelijk", "C3 critical infrastructure". */
export function levelLabel(t: Translate, level: ConfidentialityLevel): string {
  return `${level} ${t(LEVEL_KEYS[level])}`;
}

export interface ShareTarget {
  slug: string;
  name: string;
}

/**
 * Organisations the layer can be shared with: those with a slug, not the own organisation, and not
 * already in the layer's shares; by name.
 */
export function shareTargets(organisations: readonly Organisation[], ownOrgId: number, dataset: Pick<AdminDataset, 'shares'>): ShareTarget[] {
  const shared = new Set(dataset.shares.map((s) => s.org));
  const targets: ShareTarget[] = [];
  for (const org of organisations) {
    const slug = org.slug ?? '';
    if (slug !== '' && org.id !== ownOrgId && !shared.has(slug)) targets.push({ slug, name: org.name });
  }
  return targets.sort((a, b) => a.name.localeCompare(b.name, 'nl'));
}

/** Today as YYYY-MM-DD in the user's own time zone. */
export function localDate(now: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

const YMD = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for an existing calendar day written as YYYY-MM-DD. */
export function isIsoDate(text: string): boolean {
  const m = YMD.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** A year after `today` (29 February becomes 28 February). */
export function defaultValidUntil(today: string): string {
  const m = YMD.exec(today);
  if (!m) return today;
  const day = m[2] === '02' && m[3] === '29' ? '28' : m[3];
  return `${Number(m[1]) + 1}-${m[2]}-${day}`;
}

export interface ShareForm {
  readonly org: string;
  readonly validUntil: string;
}

/** The form of one layer: what was typed, else nothing chosen and valid for a year. */
export function shareFormOf(forms: Readonly<Record<number, ShareForm>>, datasetId: number, today: string): ShareForm {
  return forms[datasetId] ?? { org: '', validUntil: defaultValidUntil(today) };
}

/** The request to send, or what to fix first. Dates compare as text: YYYY-MM-DD sorts by time. */
export function checkShare(form: ShareForm, today: string): Checked<NewShare> {
  const issues: FormIssue[] = [];
  if (form.org === '') issues.push({ field: 'org', problem: 'required' });
  if (!isIsoDate(form.validUntil)) issues.push({ field: 'validUntil', problem: 'date' });
  else if (form.validUntil < today) issues.push({ field: 'validUntil', problem: 'past' });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: { org: form.org, validUntil: form.validUntil } };
}

/** A share that ended before today (it stays listed until removed, but gives no access). */
export function isShareExpired(share: Pick<DatasetShare, 'validUntil'>, today: string): boolean {
  return share.validUntil < today;
}

export function applyClassification(datasets: readonly AdminDataset[], id: number, level: ConfidentialityLevel): AdminDataset[] {
  return datasets.map((d) => (d.id === id ? { ...d, confidentiality: level } : d));
}

export function removeShareFrom(datasets: readonly AdminDataset[], shareId: number): AdminDataset[] {
  return datasets.map((d) => (d.shares.some((s) => s.id === shareId) ? { ...d, shares: d.shares.filter((s) => s.id !== shareId) } : d));
}
