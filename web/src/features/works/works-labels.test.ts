import { WORK_KINDS, WORK_STATUSES } from '@model/work.ts';
import { MORATORIUM_EXCEPTIONS } from '@model/moratorium.ts';
import { describe, expect, it } from 'vitest';
import { createTranslate } from '../../i18n/index.ts';
import { NONE_KEY } from './works-filter.ts';
import { barLabel, exceptionLabel, facetLabel, testIdPart, workKindLabel, workStatusLabel, workTitle } from './works-labels.ts';

const nl = createTranslate('nl');
const en = createTranslate('en');

describe('kinds, statuses and exceptions', () => {
  it('are the model values themselves in Dutch', () => {
    for (const kind of WORK_KINDS) expect(workKindLabel(nl, kind)).toBe(kind);
    for (const status of WORK_STATUSES) expect(workStatusLabel(nl, status)).toBe(status);
    for (const exception of MORATORIUM_EXCEPTIONS) expect(exceptionLabel(nl, exception)).toBe(exception);
  });

  it('are translated in English, each differently', () => {
    expect(workKindLabel(en, 'vervanging riool')).toBe('sewer replacement');
    expect(workStatusLabel(en, 'in uitvoering')).toBe('in progress');
    expect(exceptionLabel(en, 'spoed')).toBe('emergency');
    expect(exceptionLabel(en, 'glasvezel')).toBe('fibre optics');
    expect(new Set(WORK_KINDS.map((k) => workKindLabel(en, k))).size).toBe(WORK_KINDS.length);
    expect(new Set(WORK_STATUSES.map((s) => workStatusLabel(en, s))).size).toBe(WORK_STATUSES.length);
  });

  it('shows unknown values (KLIC free text) as they are', () => {
    expect(workKindLabel(en, 'graafmelding')).toBe('graafmelding');
    expect(workKindLabel(en, 'toString')).toBe('toString');
    expect(workStatusLabel(en, 'onbekend')).toBe('onbekend');
  });
});

describe('facetLabel', () => {
  it('names owners, systems, statuses, kinds and "none"', () => {
    expect(facetLabel(nl, 'nl', 'owners', { key: 'wml', name: 'WML' })).toBe('WML');
    expect(facetLabel(nl, 'nl', 'owners', { key: 'wml', name: null })).toBe('wml');
    expect(facetLabel(nl, 'nl', 'systems', { key: 'drinkwater', name: null })).toBe('Drinkwater');
    expect(facetLabel(en, 'en', 'systems', { key: 'drinkwater', name: null })).toBe('Drinking water');
    expect(facetLabel(en, 'en', 'statuses', { key: 'gereed', name: null })).toBe('completed');
    expect(facetLabel(nl, 'nl', 'kinds', { key: 'relining', name: null })).toBe('relining');
    expect(facetLabel(nl, 'nl', 'systems', { key: NONE_KEY, name: null })).toBe('geen systeem');
    expect(facetLabel(en, 'en', 'owners', { key: NONE_KEY, name: null })).toBe('no owner');
  });
});

describe('titles and bar labels', () => {
  it('falls back to "Werk <id>" without a title', () => {
    expect(workTitle(nl, { id: 7, title: '  ' })).toBe('Werk 7');
    expect(workTitle(en, { id: 7, title: null })).toBe('Work 7');
    expect(workTitle(nl, { id: 7, title: 'Riool Markt' })).toBe('Riool Markt');
  });

  it('reads the dates of a bar', () => {
    const span = { from: '2026-01-01', to: '2026-06-30' };
    expect(barLabel(nl, 'nl', { title: 'Riool', span, preferred: span })).toBe('Riool: 1 jan 2026 t/m 30 jun 2026');
    expect(barLabel(en, 'en', { title: 'Sewer', span, preferred: { from: '2026-03-01', to: '2026-04-30' } })).toBe(
      'Sewer: preferred 1 Mar 2026 to 30 Apr 2026, possible 1 Jan 2026 to 30 Jun 2026',
    );
    expect(barLabel(nl, 'nl', { title: 'Riool', span: null, preferred: null })).toBe('Riool: geen datum');
  });

  it('makes safe test id parts', () => {
    expect(testIdPart('vervanging riool')).toBe('vervanging-riool');
    expect(testIdPart('vergroening/klimaatadaptatie')).toBe('vergroening-klimaatadaptatie');
    expect(testIdPart('riool_vrijverval')).toBe('riool_vrijverval');
    expect(testIdPart(NONE_KEY)).toBe('none');
  });
});
