import { describe, expect, it } from 'vitest';
import { formatWalkDate, schouwEn, schouwNl, schouwTranslate } from './i18n.ts';

describe('schouw texts', () => {
  it('nl and en have the same keys, none empty, with the same placeholders', () => {
    expect(Object.keys(schouwEn).sort()).toEqual(Object.keys(schouwNl).sort());
    const placeholders = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();
    for (const key of Object.keys(schouwNl) as (keyof typeof schouwNl)[]) {
      expect(schouwNl[key].trim(), key).not.toBe('');
      expect(placeholders(schouwEn[key]), key).toEqual(placeholders(schouwNl[key]));
    }
  });

  it('words the indicator and the states the browser tests look for', () => {
    const t = schouwTranslate('nl');
    expect(t('outboxCount', { count: 2 })).toBe('2 nog niet verstuurd');
    expect(t('saved')).toBe('Opgeslagen op je telefoon; wordt verstuurd');
    expect(t('sent')).toBe('Verstuurd');
    expect([t('stateWaiting'), t('stateSent'), t('stateFailed', { message: 'x' })]).toEqual(['wacht', 'verstuurd', 'mislukt: x']);
    expect(schouwTranslate('en')('outboxCount', { count: 1 })).toBe('1 not sent yet');
  });
});

describe('formatWalkDate', () => {
  it('writes the date out in the language, and leaves what it cannot read', () => {
    expect(formatWalkDate('nl', '2026-05-01')).toBe('1 mei 2026');
    expect(formatWalkDate('en', '2026-05-01')).toBe('1 May 2026');
    expect(formatWalkDate('nl', 'morgen')).toBe('morgen');
  });
});
