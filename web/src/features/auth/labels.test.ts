import { describe, expect, it } from 'vitest';
import { createTranslate } from '../../i18n/index.ts';
import { demoAccountTestIds, roleLabel, userName } from './labels.ts';

describe('roleLabel', () => {
  it('names the roles in Dutch and English', () => {
    const nl = createTranslate('nl');
    const en = createTranslate('en');
    const roles = ['admin', 'analyst', 'area_manager', 'participant'];
    expect(roles.map((r) => roleLabel(nl, r))).toEqual(['beheerder', 'analist', 'gebiedsregisseur', 'deelnemer']);
    expect(roles.map((r) => roleLabel(en, r))).toEqual(['administrator', 'analyst', 'area manager', 'participant']);
  });

  it('shows an unknown role as it is', () => {
    expect(roleLabel(createTranslate('nl'), 'auditor')).toBe('auditor');
    expect(roleLabel(createTranslate('nl'), 'toString')).toBe('toString');
  });
});

describe('userName', () => {
  it('prefers the display name, else the email', () => {
    expect(userName({ email: 'a@b.nl', displayName: 'An de Vries' })).toBe('An de Vries');
    expect(userName({ email: 'a@b.nl', displayName: null })).toBe('a@b.nl');
    expect(userName({ email: 'a@b.nl', displayName: '  ' })).toBe('a@b.nl');
  });
});

describe('demoAccountTestIds', () => {
  it('gives the first account of a role the plain id, later ones a number', () => {
    const roles = ['admin', 'analyst', 'area_manager', 'analyst', 'analyst', 'participant'].map((role) => ({ role }));
    expect(demoAccountTestIds(roles)).toEqual([
      'demo-account-admin',
      'demo-account-analyst',
      'demo-account-area_manager',
      'demo-account-analyst-2',
      'demo-account-analyst-3',
      'demo-account-participant',
    ]);
  });
});
