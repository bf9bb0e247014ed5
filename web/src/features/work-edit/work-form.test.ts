import { describe, expect, it } from 'vitest';
import { createTranslate } from '../../i18n/index.ts';
import { errorText } from './form-common.ts';
import {
  newWorkForm,
  validateWork,
  windowErrors,
  workBody,
  workChange,
  workFormFrom,
  workFormOf,
  workValues,
  workValuesFrom,
  type WorkForm,
} from './work-form.ts';

const line = { type: 'LineString' as const, coordinates: [[5.1, 52.1], [5.1005, 52.1]] };

const filled = (extra: Partial<WorkForm> = {}): WorkForm => ({
  ...newWorkForm('gemeente-x'),
  title: '  Riool Dorpsstraat ',
  kind: 'vervanging riool',
  systems: ['drinkwater', 'riool_vrijverval'],
  earliestStart: '2026-04-01',
  preferredStart: '2026-05-01',
  preferredEnd: '2026-06-30',
  latestEnd: '2026-09-30',
  costEstimate: '125000,50',
  contact: 'j.jansen@gemeente-x.nl',
  geometry: line,
  ...extra,
});

const loaded = {
  id: 7,
  title: 'Riool Dorpsstraat',
  owner: 'gemeente-x',
  kind: 'vervanging riool',
  systems: ['riool_vrijverval', 'drinkwater'],
  status: 'gepland',
  opensGround: true,
  trenchWidth: 1.5,
  earliestStart: '2026-04-01',
  preferredStart: '2026-05-01',
  preferredEnd: '2026-06-30',
  latestEnd: null,
  costEstimate: 125000.5,
  contact: null,
  confidentiality: 'C1',
  version: 3,
  geometry: line,
};

describe('form ↔ values ↔ body', () => {
  it('starts a new work with the defaults', () => {
    const f = newWorkForm('gemeente-x');
    expect([f.owner, f.status, f.opensGround, f.trenchWidth, f.confidentiality, f.geometry]).toEqual(['gemeente-x', 'gepland', true, '1', 'C1', null]);
  });

  it('turns the inputs into values: trimmed, decimal comma, systems in catalogue order, blanks null', () => {
    const v = workValues(filled({ trenchWidth: '1,5', latestEnd: '' }));
    expect(v.title).toBe('Riool Dorpsstraat');
    expect(v.costEstimate).toBe(125000.5);
    expect(v.trenchWidth).toBe(1.5);
    expect(v.systems).toEqual(['riool_vrijverval', 'drinkwater']);
    expect(v.latestEnd).toBeNull();
  });

  it('has no trench when the ground is not opened', () => {
    expect(workValues(filled({ opensGround: false, trenchWidth: '2' })).trenchWidth).toBeNull();
  });

  it('reads a loaded work into the form and back', () => {
    const form = workFormFrom(loaded);
    expect(form.trenchWidth).toBe('1.5');
    expect(form.latestEnd).toBe('');
    expect(form.contact).toBe('');
    expect(workFormOf(workValues(form))).toEqual({ ...form, systems: ['riool_vrijverval', 'drinkwater'] });
  });

  it('leaves out absent required fields and an unknown owner from the body', () => {
    const body = workBody(workValues({ ...newWorkForm(''), title: 'abc' }));
    expect(body).not.toHaveProperty('owner');
    expect(body).not.toHaveProperty('preferredStart');
    expect(body).toMatchObject({ title: 'abc', earliestStart: null, costEstimate: null, contact: null });
  });

  it('a multi-part geometry is kept, a point is not', () => {
    expect(workFormFrom({ ...loaded, geometry: { type: 'MultiLineString', coordinates: [line.coordinates] } }).geometry?.type).toBe('MultiLineString');
    expect(workFormFrom({ ...loaded, geometry: { type: 'Point', coordinates: [5, 52] } }).geometry).toBeNull();
  });
});

describe('validateWork', () => {
  it('accepts a complete work and answers the body the API takes', () => {
    const r = validateWork(filled());
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.body).toMatchObject({ title: 'Riool Dorpsstraat', owner: 'gemeente-x', kind: 'vervanging riool', trenchWidth: 1, costEstimate: 125000.5 });
  });

  it('names every missing field at once', () => {
    const r = validateWork(newWorkForm('gemeente-x'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.keys(r.errors).sort()).toEqual(['geometry', 'kind', 'preferredEnd', 'preferredStart', 'title']);
    expect(r.errors.title?.key).toBe('editErrorRequired');
    expect(r.errors.geometry?.key).toBe('editErrorGeometryRequired');
  });

  it('says when the end lies before the start, per field and in the language', () => {
    const r = validateWork(filled({ preferredEnd: '2026-04-15' }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.keys(r.errors)).toEqual(['preferredEnd']);
    const error = r.errors.preferredEnd;
    expect(error && errorText(createTranslate('nl'), error)).toContain('Ligt vóór Gewenste start (2026-05-01)');
    expect(error && errorText(createTranslate('en'), error)).toContain('Lies before Preferred start (2026-05-01)');
  });

  it('checks that the windows nest, skipping the ones not given', () => {
    expect(windowErrors({ earliestStart: '2026-06-01', preferredStart: '2026-05-01', preferredEnd: '2026-07-01', latestEnd: null })).toHaveProperty('preferredStart');
    expect(windowErrors({ earliestStart: null, preferredStart: '2026-05-01', preferredEnd: '2026-07-01', latestEnd: '2026-06-01' })).toHaveProperty('latestEnd');
    expect(windowErrors({ earliestStart: null, preferredStart: '2026-05-01', preferredEnd: '2026-05-01', latestEnd: null })).toEqual({});
  });

  it('explains bad numbers and texts', () => {
    const r = validateWork(filled({ title: 'ab', trenchWidth: '0', costEstimate: 'veel', contact: 'x'.repeat(301) }));
    if (r.ok) throw new Error('expected errors');
    expect(r.errors.title).toEqual({ key: 'editErrorTooShort', vars: { min: 3 } });
    expect(r.errors.trenchWidth?.key).toBe('editErrorPositive');
    expect(r.errors.costEstimate?.key).toBe('editErrorNumber');
    expect(r.errors.contact).toEqual({ key: 'editErrorTooLong', vars: { max: 300 } });
  });

  it('refuses an empty geometry and one of too few points', () => {
    const dot = { type: 'LineString' as const, coordinates: [[5, 52], [5, 52]] };
    const r1 = validateWork(filled({ geometry: dot }));
    expect(r1.ok ? null : r1.errors.geometry?.key).toBe('editErrorGeometryEmpty');
    const r2 = validateWork(filled({ geometry: { type: 'LineString', coordinates: [[5, 52]] } }));
    expect(r2.ok ? null : r2.errors.geometry?.key).toBe('editErrorGeometryPoints');
  });

  it('refuses a kind that is not in the list', () => {
    const r = validateWork(filled({ kind: 'graven' }));
    expect(r.ok ? null : r.errors.kind?.key).toBe('editErrorChoose');
  });
});

describe('workChange', () => {
  it('sends only the changed fields', () => {
    const base = workValuesFrom(loaded);
    const form = { ...workFormFrom(loaded), title: 'Riool en water Dorpsstraat', latestEnd: '2026-09-30', systems: ['drinkwater', 'riool_vrijverval'] };
    expect(workChange(base, workValues(form))).toEqual({ title: 'Riool en water Dorpsstraat', latestEnd: '2026-09-30' });
  });

  it('clears a nullable field with null', () => {
    const base = workValuesFrom({ ...loaded, contact: 'iemand' });
    expect(workChange(base, workValues({ ...workFormFrom(loaded), contact: '' }))).toEqual({ contact: null });
  });

  it('sends a moved vertex as the new geometry, and nothing for coordinates equal at 7 decimals', () => {
    const base = workValuesFrom(loaded);
    const moved = { type: 'LineString' as const, coordinates: [[5.1, 52.1], [5.1006, 52.1]] };
    expect(workChange(base, workValues({ ...workFormFrom(loaded), geometry: moved }))).toEqual({ geometry: moved });
    const same = { type: 'LineString' as const, coordinates: [[5.100000001, 52.1], [5.1005, 52.1]] };
    expect(workChange(base, workValues({ ...workFormFrom(loaded), geometry: same }))).toEqual({});
  });

  it('answers an empty change when nothing changed', () => {
    expect(workChange(workValuesFrom(loaded), workValuesFrom(loaded))).toEqual({});
  });
});
