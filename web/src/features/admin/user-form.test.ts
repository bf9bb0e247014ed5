import { describe, expect, it } from 'vitest';
import type { AdminUser } from '../../api/admin-types.ts';
import { applyUserChange, checkNewUser, emptyUserForm } from './user-form.ts';

const form = { ...emptyUserForm, email: ' nieuw@maasgouw.demo ', password: 'lang-genoeg', role: 'analyst' as const };

describe('checkNewUser', () => {
  it('starts as a participant, the role with the fewest rights', () => {
    expect(emptyUserForm.role).toBe('participant');
  });

  it('trims the email and leaves an empty name out', () => {
    expect(checkNewUser(form)).toEqual({ ok: true, value: { email: 'nieuw@maasgouw.demo', role: 'analyst', password: 'lang-genoeg' } });
    expect(checkNewUser({ ...form, displayName: ' Nina ' })).toEqual({
      ok: true,
      value: { email: 'nieuw@maasgouw.demo', role: 'analyst', password: 'lang-genoeg', displayName: 'Nina' },
    });
  });

  it('reports every problem at once, with its field', () => {
    expect(checkNewUser(emptyUserForm)).toEqual({
      ok: false,
      issues: [
        { field: 'email', problem: 'required' },
        { field: 'password', problem: 'required' },
      ],
    });
    expect(checkNewUser({ ...form, email: 'geen adres', password: '123456789', displayName: 'x'.repeat(201) })).toEqual({
      ok: false,
      issues: [
        { field: 'email', problem: 'email' },
        { field: 'password', problem: 'tooShort', limit: 10 },
        { field: 'displayName', problem: 'tooLong', limit: 200 },
      ],
    });
  });

  it('takes a password of exactly 10 characters, spaces included', () => {
    expect(checkNewUser({ ...form, password: '12345 7890' }).ok).toBe(true);
  });
});

describe('applyUserChange', () => {
  it('changes only that user', () => {
    const a: AdminUser = { id: 1, email: 'a@b.nl', displayName: null, role: 'admin', disabled: false, totp: true, createdAt: '2026-01-01T00:00:00Z' };
    const b: AdminUser = { ...a, id: 2, email: 'c@d.nl', role: 'analyst', totp: false };
    expect(applyUserChange([a, b], 2, { disabled: true })).toEqual([a, { ...b, disabled: true }]);
    expect(applyUserChange([a, b], 2, { role: 'participant' })[1]?.role).toBe('participant');
  });
});
