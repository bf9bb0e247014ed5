import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client.ts';
import { createTranslate } from '../../i18n/index.ts';
import {
  checkTotpCode,
  cleanCode,
  formatSecret,
  initialTotpFlow,
  totpErrorOf,
  totpErrorText,
  totpIsOn,
  updateTotpFlow,
  type TotpAction,
  type TotpFlow,
} from './totp-setup.ts';

const nl = createTranslate('nl');
const en = createTranslate('en');
const api = (status: number, code: string, message = code): ApiError => new ApiError(message, status, code, 'E1');
const SETUP = { secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', uri: 'otpauth://totp/Samenhang:a%40b.nl?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Samenhang' };

const run = (actions: TotpAction[], from: TotpFlow = initialTotpFlow): TotpFlow => actions.reduce(updateTotpFlow, from);
const scanning = run([{ type: 'start' }, { type: 'setup', setup: SETUP }]);

describe('formatSecret', () => {
  it('shows the secret in groups of 4', () => {
    expect(formatSecret('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP')).toBe('JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP');
    expect(formatSecret('JBSWY3DPEH')).toBe('JBSW Y3DP EH');
    expect(formatSecret('JBSW')).toBe('JBSW');
    expect(formatSecret('')).toBe('');
  });

  it('drops spaces and padding and writes capitals', () => {
    expect(formatSecret(' jbsw y3dp\neh==')).toBe('JBSW Y3DP EH');
    expect(formatSecret('ABCDEF', 3)).toBe('ABC DEF');
  });
});

describe('the code', () => {
  it('keeps only digits, at most 6, in the field', () => {
    expect(cleanCode('123 456')).toBe('123456');
    expect(cleanCode('12a3')).toBe('123');
    expect(cleanCode('1234567')).toBe('123456');
    expect(cleanCode('')).toBe('');
  });

  it('is sent when it is exactly 6 digits, spaces dropped', () => {
    expect(checkTotpCode('123456')).toBe('123456');
    expect(checkTotpCode(' 123 456 ')).toBe('123456');
    expect(checkTotpCode('012345')).toBe('012345');
    expect(checkTotpCode('12345')).toBeNull();
    expect(checkTotpCode('1234567')).toBeNull();
    expect(checkTotpCode('12345a')).toBeNull();
    expect(checkTotpCode('１２３４５６')).toBeNull();
    expect(checkTotpCode('')).toBeNull();
  });
});

describe('totpErrorOf', () => {
  it('reads a code that does not match and one the server would not read', () => {
    expect(totpErrorOf(api(400, 'invalid_code', 'the code does not match; scan the QR code again'))).toEqual({ kind: 'invalidCode' });
    expect(totpErrorOf(api(400, 'invalid_body'))).toEqual({ kind: 'format' });
  });

  it('reads 401, 403 and a network failure', () => {
    expect(totpErrorOf(api(401, 'unauthorized'))).toEqual({ kind: 'signedOut' });
    expect(totpErrorOf(api(403, 'forbidden'))).toEqual({ kind: 'forbidden' });
    expect(totpErrorOf(new ApiError('x', 0, 'network_error'))).toEqual({ kind: 'network' });
  });

  it('passes anything else on with its message', () => {
    expect(totpErrorOf(api(500, 'internal', 'database down'))).toEqual({ kind: 'other', message: 'database down' });
    expect(totpErrorOf(new Error('boom'))).toEqual({ kind: 'other', message: 'boom' });
    expect(totpErrorOf('odd')).toEqual({ kind: 'other', message: 'odd' });
  });
});

describe('totpErrorText', () => {
  it('says plainly that the code is wrong, without the server’s words about a QR code', () => {
    const text = totpErrorText(nl, { step: 'confirm', error: { kind: 'invalidCode' } });
    expect(text).toMatch(/^De code klopt niet\./);
    expect(text).not.toMatch(/QR/);
    expect(totpErrorText(en, { step: 'confirm', error: { kind: 'invalidCode' } })).toMatch(/^The code does not match\./);
    expect(totpErrorText(nl, { step: 'confirm', error: { kind: 'format' } })).toBe('Vul de code van 6 cijfers uit je authenticator-app in.');
  });

  it('names the step that failed, then why', () => {
    expect(totpErrorText(nl, { step: 'start', error: { kind: 'forbidden' } })).toBe(
      'Tweestapsverificatie kon niet worden voorbereid. Alleen een beheerder die in de browser is ingelogd, kan tweestapsverificatie aanzetten.',
    );
    expect(totpErrorText(nl, { step: 'confirm', error: { kind: 'network' } })).toBe(
      'Tweestapsverificatie is niet aangezet. De server is niet bereikbaar. Probeer het later opnieuw.',
    );
    expect(totpErrorText(en, { step: 'start', error: { kind: 'signedOut' } })).toMatch(/^Two-step verification could not be prepared\. /);
    expect(totpErrorText(en, { step: 'confirm', error: { kind: 'other', message: 'database down' } })).toBe('Two-step verification was not turned on. database down');
  });
});

describe('updateTotpFlow', () => {
  it('goes from off through the secret to on', () => {
    const starting = run([{ type: 'start' }]);
    expect(starting).toEqual({ stage: 'off', pending: true, failure: null });
    expect(scanning).toEqual({ stage: 'setup', setup: SETUP, code: '', pending: false, failure: null });
    const typed = run([{ type: 'code', value: '123 45' }, { type: 'code', value: '123 456' }], scanning);
    expect(typed).toMatchObject({ stage: 'setup', code: '123456' });
    const confirming = run([{ type: 'confirm' }], typed);
    expect(confirming).toMatchObject({ stage: 'setup', pending: true });
    expect(run([{ type: 'confirmed' }], confirming)).toEqual({ stage: 'on' });
  });

  it('keeps the secret and the code when the code is refused, and clears the error on the next try', () => {
    const refused = run([{ type: 'code', value: '000000' }, { type: 'confirm' }, { type: 'failed', failure: { step: 'confirm', error: { kind: 'invalidCode' } } }], scanning);
    expect(refused).toEqual({ stage: 'setup', setup: SETUP, code: '000000', pending: false, failure: { step: 'confirm', error: { kind: 'invalidCode' } } });
    expect(run([{ type: 'confirm' }], refused)).toMatchObject({ pending: true, failure: null });
  });

  it('marks a code that is not 6 digits without a request', () => {
    expect(run([{ type: 'code', value: '123' }, { type: 'badCode' }], scanning)).toMatchObject({
      stage: 'setup',
      pending: false,
      failure: { step: 'confirm', error: { kind: 'format' } },
    });
  });

  it('stays off with the reason when starting fails, and can start again', () => {
    const failed = run([{ type: 'start' }, { type: 'failed', failure: { step: 'start', error: { kind: 'forbidden' } } }]);
    expect(failed).toEqual({ stage: 'off', pending: false, failure: { step: 'start', error: { kind: 'forbidden' } } });
    expect(run([{ type: 'start' }], failed)).toEqual({ stage: 'off', pending: true, failure: null });
  });

  it('goes back to off on cancel, and ignores an answer nobody waits for', () => {
    expect(run([{ type: 'cancel' }], scanning)).toEqual(initialTotpFlow);
    expect(run([{ type: 'setup', setup: SETUP }])).toEqual(initialTotpFlow);
    expect(run([{ type: 'confirmed' }], scanning)).toBe(scanning);
    expect(run([{ type: 'failed', failure: { step: 'confirm', error: { kind: 'network' } } }], scanning)).toBe(scanning);
    const confirming = run([{ type: 'code', value: '123456' }, { type: 'confirm' }], scanning);
    expect(run([{ type: 'cancel' }, { type: 'start' }, { type: 'confirm' }], confirming)).toBe(confirming);
  });

  it('stays on once on', () => {
    const on: TotpFlow = { stage: 'on' };
    for (const action of [{ type: 'start' }, { type: 'cancel' }, { type: 'code', value: '1' }, { type: 'badCode' }] as const) expect(updateTotpFlow(on, action)).toBe(on);
  });
});

describe('totpIsOn', () => {
  it('believes the server, or a confirmation just now', () => {
    expect(totpIsOn({ totp: true }, initialTotpFlow)).toBe(true);
    expect(totpIsOn({ totp: false }, { stage: 'on' })).toBe(true);
    expect(totpIsOn({}, { stage: 'on' })).toBe(true);
    expect(totpIsOn({ totp: false }, scanning)).toBe(false);
    expect(totpIsOn({}, initialTotpFlow)).toBe(false);
  });
});
