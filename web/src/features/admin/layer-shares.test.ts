import { describe, expect, it } from 'vitest';
import type { AdminDataset } from '../../api/admin-types.ts';
import type { Organisation } from '../../api/types.ts';
import { createTranslate } from '../../i18n/index.ts';
import {
  applyClassification,
  checkShare,
  defaultValidUntil,
  isIsoDate,
  isShareExpired,
  levelLabel,
  localDate,
  removeShareFrom,
  shareFormOf,
  shareTargets,
} from './layer-shares.ts';

const org = (id: number, name: string, slug: string | null | undefined): Organisation => {
  const o: Organisation = { id, name, kind: 'gemeente', klicCode: null };
  if (slug !== undefined) o.slug = slug;
  return o;
};
const DATASET: AdminDataset = {
  id: 12,
  name: 'Riolering',
  confidentiality: 'C2',
  importedAt: '2026-02-01T09:00:00Z',
  shares: [{ id: 9, org: 'wml', orgName: 'WML N.V.', validUntil: '2026-12-31' }],
};

describe('levelLabel', () => {
  it('names the four levels in both languages', () => {
    const levels = ['C0', 'C1', 'C2', 'C3'] as const;
    expect(levels.map((l) => levelLabel(createTranslate('nl'), l))).toEqual(['C0 openbaar', 'C1 partners', 'C2 vertrouwelijk', 'C3 vitale infrastructuur']);
    expect(levels.map((l) => levelLabel(createTranslate('en'), l))).toEqual(['C0 public', 'C1 partners', 'C2 confidential', 'C3 critical infrastructure']);
  });
});

describe('shareTargets', () => {
  it('offers other organisations with a slug that do not have the layer yet, by name', () => {
    const orgs = [org(1, 'Gemeente Maasgouw', 'maasgouw'), org(2, 'WML N.V.', 'wml'), org(3, 'Enexis', 'enexis'), org(4, 'Aannemer', null), org(5, 'Oud', undefined), org(6, 'Alliander', 'alliander')];
    expect(shareTargets(orgs, 1, DATASET)).toEqual([
      { slug: 'alliander', name: 'Alliander' },
      { slug: 'enexis', name: 'Enexis' },
    ]);
    expect(shareTargets(orgs, 1, { shares: [] }).map((t) => t.slug)).toEqual(['alliander', 'enexis', 'wml']);
  });
});

describe('dates', () => {
  it('localDate writes the local day', () => {
    expect(localDate(new Date(2026, 2, 5, 23, 59))).toBe('2026-03-05');
  });

  it('isIsoDate accepts existing days only', () => {
    expect(['2026-12-31', '2028-02-29'].every(isIsoDate)).toBe(true);
    expect(['2026-02-29', '2026-13-01', '31-12-2026', '', '2026-1-1'].some(isIsoDate)).toBe(false);
  });

  it('defaultValidUntil is a year later', () => {
    expect(defaultValidUntil('2026-03-05')).toBe('2027-03-05');
    expect(defaultValidUntil('2028-02-29')).toBe('2029-02-28');
  });

  it('a share has expired after its last day', () => {
    expect(isShareExpired({ validUntil: '2026-03-04' }, '2026-03-05')).toBe(true);
    expect(isShareExpired({ validUntil: '2026-03-05' }, '2026-03-05')).toBe(false);
  });
});

describe('the share form', () => {
  const today = '2026-03-05';

  it('starts with no organisation and a year of validity', () => {
    expect(shareFormOf({}, 12, today)).toEqual({ org: '', validUntil: '2027-03-05' });
    expect(shareFormOf({ 12: { org: 'wml', validUntil: '2026-06-01' } }, 12, today)).toEqual({ org: 'wml', validUntil: '2026-06-01' });
  });

  it('needs an organisation and a valid day from today on', () => {
    expect(checkShare({ org: 'wml', validUntil: today }, today)).toEqual({ ok: true, value: { org: 'wml', validUntil: today } });
    expect(checkShare({ org: '', validUntil: '' }, today)).toEqual({
      ok: false,
      issues: [
        { field: 'org', problem: 'required' },
        { field: 'validUntil', problem: 'date' },
      ],
    });
    expect(checkShare({ org: 'wml', validUntil: '2026-03-04' }, today)).toEqual({ ok: false, issues: [{ field: 'validUntil', problem: 'past' }] });
  });
});

describe('changes to the list', () => {
  it('applyClassification sets the level of that layer', () => {
    const other = { ...DATASET, id: 13, confidentiality: 'C1' as const };
    expect(applyClassification([DATASET, other], 12, 'C3').map((d) => d.confidentiality)).toEqual(['C3', 'C1']);
  });

  it('removeShareFrom drops the share from its layer', () => {
    expect(removeShareFrom([DATASET], 9)[0]?.shares).toEqual([]);
    expect(removeShareFrom([DATASET], 99)[0]).toBe(DATASET);
  });
});
