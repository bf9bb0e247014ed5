import { DEFAULT_RULES } from '@model/analysis-rules.ts';
import { describe, expect, it } from 'vitest';
import type { ApiBundle, ApiFinding, WhatIfInput } from '../../api/analysis-endpoints.ts';
import { createTranslate } from '../../i18n/index.ts';
import { explainBundle, explainFinding, sortFindings } from './explain.ts';
import { addMonths, whatIf } from './what-if.ts';

const line = (y: number) => ({ type: 'LineString' as const, coordinates: [[190000, 350000 + y], [190100, 350000 + y]] });
const work = (id: number, y: number, start: string, end: string, opensGround = true) => ({
  id, kind: 'vervanging riool', ownerId: 1, systems: [], opensGround, trenchWidth: 1, areal: false, status: 'gepland',
  earliestStart: null, preferredStart: start, preferredEnd: end, latestEnd: null, geometry: line(y),
});

describe('the what-if', () => {
  it('adds calendar months and clamps the day', () => {
    expect(addMonths('2027-01-31', 1)).toBe('2027-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2027-11-15', 3)).toBe('2028-02-15');
    expect(addMonths('2027-03-15', -4)).toBe('2026-11-15');
  });

  it('shows the combination appear when a work is shifted next to its neighbour, and the repeat opening go', () => {
    const input: WhatIfInput = {
      rules: DEFAULT_RULES,
      works: [work(1, 0, '2027-03-01', '2027-04-30'), work(2, 10, '2029-03-01', '2029-04-30'), work(3, 500, '2027-03-01', '2027-04-30')],
      moratoria: [], assets: [],
    };
    const result = whatIf(input, 2, -24);
    expect(result?.appeared.map((f) => f.id)).toEqual(['combine:1-2']);
    expect(result?.gone.map((f) => f.id)).toEqual(['repeat_opening:1-2']);
    expect(result?.findings.map((f) => f.type)).toEqual(['combine']);
    expect(whatIf(input, 2, 0)?.appeared).toEqual([]);
    expect(whatIf(input, 99, 3)).toBeNull();
  });
});

describe('the explanation of a finding', () => {
  const labels = new Map([[1, { title: 'Riool Kerkstraat', owner: 'Gemeente Maasgouw' }], [2, { title: 'Waterleiding Kerkstraat', owner: 'WML N.V.' }]]);
  const combine: ApiFinding = {
    id: 'combine:1-2', type: 'combine', works: [1, 2], assets: [], moratorium: null,
    metrics: { distance_m: 8.5, gap_days: 0, overlap_days: 0, preferred_overlap: false, shift_days: 63 }, rule: { distance_m: 20, combine_days: 365 }, decision: null,
  };
  const clash: ApiFinding = { ...combine, id: 'clash:1-2', type: 'clash', metrics: { distance_m: 3.5, overlap_days: 31 }, rule: { distance_m: 20 } };
  const bundle: ApiBundle = {
    id: 'bundle:1-2', works: [1, 2], findings: ['combine:1-2'], organisations: ['Gemeente Maasgouw', 'WML N.V.'], commonWindow: { start: '2027-09-01', end: '2027-09-30' },
    metrics: { openings_avoided: 1, shared_trench_m: 100, repaving_avoided_m2: 100, nuisance_days_avoided: 122, saving_eur: 8500 }, decision: null,
  };

  it('says what, where, who, which rule and the numbers, in Dutch and English', () => {
    const nl = explainFinding(combine, labels, createTranslate('nl'), 'nl', (c) => c);
    expect(nl.title).toBe('Werk-met-werk-kans');
    expect(nl.sentences.join(' ')).toContain('“Riool Kerkstraat” en “Waterleiding Kerkstraat” liggen 8,5 m uit elkaar');
    expect(nl.sentences.join(' ')).toContain('Schuif 63 dagen');
    expect(nl.who).toEqual(['Gemeente Maasgouw', 'WML N.V.']);
    expect(nl.rule).toBe('distance_m = 20, combine_days = 365');
    const en = explainFinding(clash, labels, createTranslate('en'), 'en', (c) => c);
    expect(en.sentences[0]).toContain('overlap 31 days');
    expect(explainBundle(bundle, createTranslate('nl'), 'nl').sentences[1]).toContain('± € 8.500');
  });

  it('sorts by saving (a combination takes its bundle’s) or by severity', () => {
    expect(sortFindings([clash, combine], 'saving', [bundle]).map((f) => f.type)).toEqual(['combine', 'clash']);
    expect(sortFindings([combine, clash], 'severity', [bundle]).map((f) => f.type)).toEqual(['clash', 'combine']);
  });
});
