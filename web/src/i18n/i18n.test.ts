import { describe, expect, it } from 'vitest';
import { en } from './en.ts';
import { createTranslate, formatMessage, statusLabel } from './index.ts';
import { nl } from './nl.ts';

describe('i18n catalogues', () => {
  it('nl and en have exactly the same keys', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(nl).sort());
  });

  it('no message is empty', () => {
    for (const messages of [nl, en]) {
      for (const [key, value] of Object.entries(messages)) expect(value.trim(), key).not.toBe('');
    }
  });

  it('both languages use the same placeholders per key', () => {
    const placeholders = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();
    for (const key of Object.keys(nl) as (keyof typeof nl)[]) {
      expect(placeholders(en[key]), key).toEqual(placeholders(nl[key]));
    }
  });
});

describe('formatMessage', () => {
  it('fills placeholders and leaves unknown ones', () => {
    expect(formatMessage('{count} objecten in {place}', { count: 3 })).toBe('3 objecten in {place}');
  });

  it('createTranslate picks the language', () => {
    expect(createTranslate('nl')('fieldOwner')).toBe('Eigenaar');
    expect(createTranslate('en')('fieldOwner')).toBe('Owner');
  });
});

describe('statusLabel', () => {
  it('translates IMKL status values', () => {
    expect(statusLabel('nl', 'functional')).toBe('in gebruik');
    expect(statusLabel('en', 'functional')).toBe('in use');
    expect(statusLabel('nl', 'disused')).toBe('buiten gebruik');
    expect(statusLabel('nl', 'projected')).toBe('gepland');
    expect(statusLabel('en', 'projected')).toBe('planned');
  });

  it('accepts a code-list URI', () => {
    expect(statusLabel('nl', 'http://inspire.ec.europa.eu/codelist/ConditionOfFacilityValue/functional')).toBe('in gebruik');
  });

  it('shows unknown values unchanged', () => {
    expect(statusLabel('nl', 'iets anders')).toBe('iets anders');
  });
});
