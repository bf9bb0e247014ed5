import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client.ts';
import { createTranslate } from '../../i18n/index.ts';
import { initialSignInForm, prepareSignIn, refusalOf, signInErrorText, updateSignInForm, type SignInAction, type SignInForm } from './sign-in-form.ts';

const run = (actions: SignInAction[], from: SignInForm = initialSignInForm): SignInForm => actions.reduce(updateSignInForm, from);
const typed = run([
  { type: 'field', field: 'email', value: ' analist@wml.demo ' },
  { type: 'field', field: 'password', value: 'geheim' },
]);
const nl = createTranslate('nl');
const en = createTranslate('en');

describe('updateSignInForm', () => {
  it('is pending from submit until the answer, and a refusal points at the field to correct', () => {
    const pending = run([{ type: 'submitted' }], typed);
    expect(pending).toMatchObject({ pending: true, error: null, focus: null });
    const refused = run([{ type: 'refused', error: { kind: 'invalid', code: false } }], pending);
    expect(refused).toMatchObject({ pending: false, error: { kind: 'invalid', code: false }, focus: 'password' });
  });

  it('shows the code field after totp_required, and forgets it for another email', () => {
    const asked = run([{ type: 'submitted' }, { type: 'totpRequired' }], typed);
    expect(asked).toMatchObject({ totpRequired: true, pending: false, error: null, focus: 'totp' });
    const withCode = run([{ type: 'field', field: 'totp', value: '123456' }], asked);
    expect(withCode.totp).toBe('123456');
    expect(run([{ type: 'field', field: 'password', value: 'x' }], withCode).totpRequired).toBe(true);
    expect(run([{ type: 'field', field: 'email', value: 'other@x.nl' }], withCode)).toMatchObject({ totpRequired: false, totp: '' });
  });

  it('fills a demo account into a clean form', () => {
    const asked = run([{ type: 'totpRequired' }, { type: 'refused', error: { kind: 'network' } }], typed);
    expect(run([{ type: 'fill', email: 'deelnemer@bewoners.demo', password: 'pw' }], asked)).toEqual({ ...initialSignInForm, email: 'deelnemer@bewoners.demo', password: 'pw' });
  });
});

describe('prepareSignIn', () => {
  it('trims the email and leaves the code out until it is asked for', () => {
    expect(prepareSignIn(typed)).toEqual({ ok: true, request: { email: 'analist@wml.demo', password: 'geheim' } });
  });

  it('needs an email and a password', () => {
    expect(prepareSignIn(initialSignInForm)).toEqual({ ok: false, error: { kind: 'missing' } });
    expect(prepareSignIn({ ...typed, password: '' })).toEqual({ ok: false, error: { kind: 'missing' } });
    expect(updateSignInForm({ ...typed, email: '  ' }, { type: 'refused', error: { kind: 'missing' } }).focus).toBe('email');
    expect(updateSignInForm({ ...typed, password: '' }, { type: 'refused', error: { kind: 'missing' } }).focus).toBe('password');
  });

  it('sends a six-digit code once asked, spaces dropped', () => {
    const asked = run([{ type: 'totpRequired' }], typed);
    expect(prepareSignIn({ ...asked, totp: '123 456' })).toEqual({ ok: true, request: { email: 'analist@wml.demo', password: 'geheim', totp: '123456' } });
    expect(prepareSignIn({ ...asked, totp: '12345' })).toEqual({ ok: false, error: { kind: 'totpFormat' } });
    expect(prepareSignIn({ ...asked, totp: 'abcdef' })).toEqual({ ok: false, error: { kind: 'totpFormat' } });
  });
});

describe('refusalOf', () => {
  const apiError = (status: number, code: string, retryAfter: number | null = null) => new ApiError(code, status, code, 'E1', retryAfter);

  it('asks for the code on totp_required', () => {
    expect(refusalOf(apiError(401, 'totp_required'), false)).toEqual({ type: 'totpRequired' });
  });

  it('tells a wrong password from a wrong code', () => {
    expect(refusalOf(apiError(401, 'invalid_credentials'), false)).toEqual({ type: 'refused', error: { kind: 'invalid', code: false } });
    expect(refusalOf(apiError(401, 'invalid_credentials'), true)).toEqual({ type: 'refused', error: { kind: 'invalid', code: true } });
    expect(refusalOf(apiError(400, 'invalid_body'), false)).toEqual({ type: 'refused', error: { kind: 'invalid', code: false } });
  });

  it('carries the Retry-After seconds of a 429', () => {
    expect(refusalOf(apiError(429, 'too_many_attempts', 37), false)).toEqual({ type: 'refused', error: { kind: 'tooMany', seconds: 37 } });
    expect(refusalOf(apiError(429, 'http_error'), false)).toEqual({ type: 'refused', error: { kind: 'tooMany', seconds: null } });
  });

  it('reports network failures and anything else with its message', () => {
    expect(refusalOf(new ApiError('x', 0, 'network_error'), false)).toEqual({ type: 'refused', error: { kind: 'network' } });
    expect(refusalOf(apiError(500, 'internal'), false)).toEqual({ type: 'refused', error: { kind: 'other', message: 'internal' } });
    expect(refusalOf(new TypeError('boom'), false)).toEqual({ type: 'refused', error: { kind: 'other', message: 'boom' } });
  });
});

describe('signInErrorText', () => {
  it('says how long to wait, in both languages', () => {
    expect(signInErrorText(nl, { kind: 'tooMany', seconds: 42 })).toBe('Te veel pogingen. Probeer het over 42 s opnieuw.');
    expect(signInErrorText(en, { kind: 'tooMany', seconds: 42 })).toBe('Too many attempts. Try again in 42 s.');
    expect(signInErrorText(en, { kind: 'tooMany', seconds: null })).toBe('Too many attempts. Try again later.');
  });

  it('names wrong credentials plainly', () => {
    expect(signInErrorText(nl, { kind: 'invalid', code: false })).toBe('Het e-mailadres of het wachtwoord klopt niet.');
    expect(signInErrorText(en, { kind: 'invalid', code: false })).toBe('The email address or the password is wrong.');
    expect(signInErrorText(en, { kind: 'invalid', code: true })).toMatch(/code is wrong/);
    expect(signInErrorText(nl, { kind: 'other', message: 'kapot' })).toBe('Inloggen is mislukt: kapot');
  });
});
