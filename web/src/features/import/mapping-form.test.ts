import { EMPTY_MAPPING, MAPPING_TARGETS, type AssetMapping } from '@model/asset-mapping.ts';
import { describe, expect, it } from 'vitest';
import { makeJob } from './job-fixture.ts';
import {
  choiceOfOption,
  distinctValues,
  fieldOptions,
  formFromMapping,
  mapSystemValue,
  mappingFromForm,
  NONE_OPTION,
  optionOfChoice,
  parseNumber,
  PER_FIELD_OPTION,
  systemOfOption,
  updateTarget,
  VALUE_OPTION,
} from './mapping-form.ts';

const proposed: AssetMapping = {
  ...EMPTY_MAPPING,
  system: { field: 'STELSEL', map: { DWA: 'riool_vrijverval', PERS: 'riool_pers' }, fallback: 'riool_vrijverval' },
  sourceId: { field: 'GUID' },
  owner: { value: 'Gemeente Venlo' },
  diameterMm: { value: 400 },
};

describe('form ⇄ mapping', () => {
  it('round-trips a mapping with fields, constants and a per-field system', () => {
    expect(mappingFromForm(formFromMapping(proposed))).toEqual({ mapping: proposed, issues: [] });
    expect(mappingFromForm(formFromMapping(EMPTY_MAPPING))).toEqual({ mapping: EMPTY_MAPPING, issues: [] });
  });

  it('turns constants of numeric targets into numbers, decimal comma included; text stays text', () => {
    let form = formFromMapping(EMPTY_MAPPING);
    form = updateTarget(form, 'inServiceYear', { kind: 'value', value: ' 1975 ' });
    form = updateTarget(form, 'diameterMm', { kind: 'value', value: '12,5' });
    form = updateTarget(form, 'material', { kind: 'value', value: '110' });
    const { mapping } = mappingFromForm(form);
    expect(mapping?.inServiceYear).toEqual({ value: 1975 });
    expect(mapping?.diameterMm).toEqual({ value: 12.5 });
    expect(mapping?.material).toEqual({ value: '110' });
  });

  it('lists every problem with its target instead of stopping at the first', () => {
    let form = formFromMapping(EMPTY_MAPPING);
    form = updateTarget(form, 'replacementYear', { kind: 'value', value: 'later' });
    form = updateTarget(form, 'label', { kind: 'value', value: '   ' });
    form = { ...form, system: { kind: 'field', field: '', map: {}, fallback: 'overig' } };
    expect(mappingFromForm(form)).toEqual({
      mapping: null,
      issues: [
        { target: 'system', problem: 'noField' },
        { target: 'replacementYear', problem: 'notNumber' },
        { target: 'label', problem: 'emptyValue' },
      ],
    });
  });

  it('covers every target of the model', () => {
    expect(Object.keys(formFromMapping(EMPTY_MAPPING).targets).sort()).toEqual([...MAPPING_TARGETS].sort());
  });
});

describe('select options', () => {
  it('encode none, a constant and a field', () => {
    expect(optionOfChoice({ kind: 'none' })).toBe(NONE_OPTION);
    expect(optionOfChoice({ kind: 'value', value: 'x' })).toBe(VALUE_OPTION);
    expect(optionOfChoice({ kind: 'field', field: 'MATERIAAL' })).toBe('MATERIAAL');
    expect(choiceOfOption('MATERIAAL', { kind: 'none' })).toEqual({ kind: 'field', field: 'MATERIAAL' });
    expect(choiceOfOption(NONE_OPTION, { kind: 'field', field: 'x' })).toEqual({ kind: 'none' });
  });

  it('keep a constant typed before when "fixed value" is chosen again', () => {
    expect(choiceOfOption(VALUE_OPTION, { kind: 'value', value: 'PVC' })).toEqual({ kind: 'value', value: 'PVC' });
    expect(choiceOfOption(VALUE_OPTION, { kind: 'field', field: 'x' })).toEqual({ kind: 'value', value: '' });
  });

  it('switch the system between one constant and a per-field map', () => {
    const perField = systemOfOption(PER_FIELD_OPTION, { kind: 'value', value: 'drinkwater' }, ['TYPE', 'NET']);
    expect(perField).toEqual({ kind: 'field', field: 'TYPE', map: {}, fallback: 'drinkwater' });
    const mapped = mapSystemValue(mapSystemValue(perField, 'gas', 'gas_ld'), 'water', 'drinkwater');
    expect(mapped.kind === 'field' && mapped.map).toEqual({ gas: 'gas_ld', water: 'drinkwater' });
    const unmapped = mapSystemValue(mapped, 'gas', null);
    expect(unmapped.kind === 'field' && unmapped.map).toEqual({ water: 'drinkwater' });
    expect(systemOfOption('telecom', mapped, [])).toEqual({ kind: 'value', value: 'telecom' });
  });
});

describe('distinctValues', () => {
  it('collects a field’s values from the preview and the sample, most frequent first', () => {
    expect(distinctValues(makeJob(), 'STELSEL')).toEqual(['DWA', 'HWA']);
    expect(distinctValues(makeJob(), 'MATERIAAL')).toEqual(['Beton', 'PVC']);
    expect(distinctValues(makeJob(), 'ONBEKEND')).toEqual([]);
  });
});

describe('fieldOptions', () => {
  it('offers the job’s fields plus fields the proposal names that the job does not list', () => {
    const form = formFromMapping({ ...EMPTY_MAPPING, label: { field: 'NAAM' } });
    expect(fieldOptions(makeJob(), form)).toEqual(['GUID', 'MATERIAAL', 'DIAMETER', 'STELSEL', 'NAAM']);
  });
});

describe('parseNumber', () => {
  it('reads plain and decimal-comma numbers, nothing else', () => {
    expect(parseNumber('400')).toBe(400);
    expect(parseNumber('0,75')).toBe(0.75);
    expect(parseNumber('')).toBeNull();
    expect(parseNumber('DN400')).toBeNull();
  });
});
