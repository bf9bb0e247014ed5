import { describe, expect, it } from 'vitest';
import { createTranslate } from '../../i18n/index.ts';
import type { ImportFlow } from './import-flow.ts';
import { makeJob } from './job-fixture.ts';
import { crsText, durationText, firstOf, formatBytes, progressView } from './progress-text.ts';

const nl = createTranslate('nl');
const en = createTranslate('en');

describe('progressView', () => {
  it('shows the bytes sent during the upload', () => {
    const flow: ImportFlow = { step: 'uploading', fileName: 'a.gpkg', sent: 2_500_000, total: 10_000_000 };
    expect(progressView(flow, nl, 'nl')).toEqual({ percent: 25, text: '2,5 MB van 10 MB verstuurd' });
  });

  it('shows parsed and loaded counts of the total while loading', () => {
    const job = makeJob({ state: 'loading', progress: { phase: 'load', parsed: 12000, loaded: 11950, total: 30000, percent: 40 } });
    expect(progressView({ step: 'loading', job }, nl, 'nl')).toEqual({ percent: 40, text: '12.000 van 30.000 gelezen, 11.950 geladen' });
    expect(progressView({ step: 'loading', job }, en, 'en')?.text).toBe('12,000 of 30,000 read, 11,950 loaded');
  });

  it('is indeterminate when the amount of work is unknown', () => {
    const job = makeJob({ state: 'analysing', progress: { phase: 'analyse', parsed: 800, loaded: 0, total: null, percent: 0 } });
    expect(progressView({ step: 'analysing', job }, nl, 'nl')).toEqual({ percent: null, text: '800 objecten gelezen' });
  });

  it('clamps the percentage and has no bar outside the running steps', () => {
    const job = makeJob({ state: 'loading', progress: { phase: 'load', parsed: 1, loaded: 1, total: 1, percent: 100.4 } });
    expect(progressView({ step: 'loading', job }, nl, 'nl')?.percent).toBe(100);
    expect(progressView({ step: 'idle' }, nl, 'nl')).toBeNull();
  });
});

describe('crsText', () => {
  it('names the CRS and where it came from', () => {
    expect(crsText({ epsg: 28992, source: 'prj', guessed: false, detail: '' }, nl)).toBe('RD New (EPSG:28992), uit .prj');
    expect(crsText({ epsg: 4326, source: 'kml', guessed: false, detail: '' }, en)).toBe('WGS 84 (EPSG:4326), KML is always WGS 84');
    expect(crsText({ epsg: 32631, source: 'prj', guessed: false, detail: '' }, nl)).toBe('EPSG:32631, uit .prj');
  });

  it('says clearly when it was guessed', () => {
    expect(crsText({ epsg: 28992, source: 'guessed', guessed: true, detail: 'x 150000..200000' }, nl)).toBe('RD New (EPSG:28992), geraden uit de coördinaten');
    expect(crsText(null, nl)).toBe('onbekend');
  });
});

describe('small formatters', () => {
  it('format durations, sizes and "and N more"', () => {
    expect(durationText('nl', 1250)).toBe('1,3 s');
    expect(durationText('en', 72_000)).toBe('1 min 12 s');
    expect(formatBytes('nl', 999)).toBe('999 B');
    expect(formatBytes('en', 1_234_567_890)).toBe('1.2 GB');
    expect(firstOf([1, 2, 3], 45, 2)).toEqual({ shown: [1, 2], more: 43 });
    expect(firstOf([1], 1)).toEqual({ shown: [1], more: 0 });
  });
});
