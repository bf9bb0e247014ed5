import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client.ts';
import { createTranslate } from '../../i18n/index.ts';
import { adminErrorOf, adminErrorText, invalidFields, issueText, type AdminFailure } from './admin-errors.ts';

const nl = createTranslate('nl');
const en = createTranslate('en');
const api = (status: number, code: string, message = code): ApiError => new ApiError(message, status, code, 'E1');

describe('adminErrorOf', () => {
  it('knows the codes of the administration API', () => {
    expect(adminErrorOf(api(409, 'email_taken'), 'createUser')).toEqual({ kind: 'emailTaken' });
    expect(adminErrorOf(api(400, 'own_account'), 'changeUser')).toEqual({ kind: 'ownAccount' });
    expect(adminErrorOf(api(400, 'invalid_body', 'password: too short'), 'createUser')).toEqual({ kind: 'invalid', message: 'password: too short' });
  });

  it('reads 401, 403, 404 and a network failure', () => {
    expect(adminErrorOf(api(401, 'unauthorized'), 'load')).toEqual({ kind: 'signedOut' });
    expect(adminErrorOf(api(403, 'forbidden'), 'load')).toEqual({ kind: 'forbidden' });
    expect(adminErrorOf(api(403, 'forbidden'), 'createToken')).toEqual({ kind: 'writeToken' });
    expect(adminErrorOf(api(404, 'not_found'), 'unshare')).toEqual({ kind: 'notFound' });
    expect(adminErrorOf(new ApiError('x', 0, 'network_error'), 'share')).toEqual({ kind: 'network' });
  });

  it('passes anything else on with its message', () => {
    expect(adminErrorOf(api(500, 'internal', 'boom'), 'classify')).toEqual({ kind: 'other', message: 'boom' });
    expect(adminErrorOf(new Error('kapot'), 'classify')).toEqual({ kind: 'other', message: 'kapot' });
    expect(adminErrorOf('raar', 'classify')).toEqual({ kind: 'other', message: 'raar' });
  });
});

describe('adminErrorText', () => {
  it('says what did not happen and why', () => {
    const taken: AdminFailure = { action: 'createUser', error: { kind: 'emailTaken' } };
    expect(adminErrorText(nl, taken)).toBe('De gebruiker is niet toegevoegd. Er bestaat al een account met dit e-mailadres.');
    expect(adminErrorText(en, taken)).toBe('The user was not added. There already is an account with this email address.');
    expect(adminErrorText(nl, { action: 'changeUser', error: { kind: 'ownAccount' } })).toMatch(/^De gebruiker is niet gewijzigd\. Je kunt je eigen account niet blokkeren/);
  });

  it('lists every problem of a form', () => {
    const failure: AdminFailure = {
      action: 'createUser',
      error: { kind: 'validation', issues: [{ field: 'email', problem: 'email' }, { field: 'password', problem: 'tooShort', limit: 10 }] },
    };
    expect(adminErrorText(nl, failure)).toBe('De gebruiker is niet toegevoegd. Dit is geen geldig e-mailadres. Wachtwoord moet minstens 10 tekens lang zijn.');
  });

  it('has a text for every kind of issue', () => {
    expect(issueText(nl, { field: 'name', problem: 'required' })).toBe('Vul een naam in.');
    expect(issueText(nl, { field: 'org', problem: 'required' })).toBe('Kies een organisatie.');
    expect(issueText(en, { field: 'validUntil', problem: 'past' })).toBe('The date cannot be in the past.');
    expect(issueText(en, { field: 'name', problem: 'tooLong', limit: 100 })).toBe('Name may be at most 100 characters long.');
    expect(issueText(en, { field: 'scope', problem: 'scope' })).toBe('As a participant you can only create read tokens.');
  });
});

describe('invalidFields', () => {
  it('marks the fields of the failing form only', () => {
    const failure: AdminFailure = { action: 'share', error: { kind: 'validation', issues: [{ field: 'org', problem: 'required' }] } };
    expect([...invalidFields(failure, 'share')]).toEqual(['org']);
    expect(invalidFields(failure, 'createUser').size).toBe(0);
    expect(invalidFields(null, 'share').size).toBe(0);
  });

  it('marks the email for email_taken and the rights for a refused write token', () => {
    expect([...invalidFields({ action: 'createUser', error: { kind: 'emailTaken' } }, 'createUser')]).toEqual(['email']);
    expect([...invalidFields({ action: 'createToken', error: { kind: 'writeToken' } }, 'createToken')]).toEqual(['scope']);
    expect(invalidFields({ action: 'changeUser', error: { kind: 'ownAccount' } }, 'changeUser').size).toBe(0);
  });
});
