/** The rows of the dig moratorium card (graafrust). Pure. */
import type { MoratoriumProperties } from '../../api/types.ts';
import type { Language, Translate } from '../../i18n/index.ts';
import { formatDay, toDay } from '../works/dates.ts';
import { exceptionLabel } from '../works/works-labels.ts';
import type { DetailRow } from './fields.ts';

const day = (lang: Language, v: string | null | undefined): string | null => {
  const d = toDay(v);
  return d === null ? null : formatDay(lang, d);
};

export function moratoriumRows(m: MoratoriumProperties, lang: Language, t: Translate): DetailRow[] {
  const owner = m.ownerName?.trim() || m.owner?.trim() || null;
  const rows: DetailRow[] = [
    { key: 'from', label: t('fieldFrom'), value: day(lang, m.from) },
    { key: 'until', label: t('fieldUntil'), value: day(lang, m.until) },
    { key: 'reason', label: t('fieldReason'), value: m.reason.trim() || null },
    { key: 'exceptions', label: t('fieldExceptions'), value: m.exceptions.length > 0 ? m.exceptions.map((e) => exceptionLabel(t, e)).join(', ') : null },
    { key: 'owner', label: t('fieldOwner'), value: owner },
  ];
  if (m.sourceWorkId !== undefined && m.sourceWorkId !== null) rows.push({ key: 'source-work', label: t('fieldSourceWork'), value: `#${m.sourceWorkId}` });
  return rows;
}
