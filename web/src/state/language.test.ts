import { describe, expect, it } from 'vitest';
import { LANGUAGE_STORAGE_KEY, loadLanguage, saveLanguage, updateLanguage } from './language.ts';

function memoryStorage(initial: Record<string, string> = {}): Pick<Storage, 'getItem' | 'setItem'> & { data: Record<string, string> } {
  const data = { ...initial };
  return {
    data,
    getItem: (key) => data[key] ?? null,
    setItem: (key, value) => {
      data[key] = value;
    },
  };
}

describe('updateLanguage', () => {
  it('sets and toggles', () => {
    expect(updateLanguage('nl', { type: 'language/set', language: 'en' })).toBe('en');
    expect(updateLanguage('nl', { type: 'language/toggle' })).toBe('en');
    expect(updateLanguage('en', { type: 'language/toggle' })).toBe('nl');
  });
});

describe('language persistence', () => {
  it('defaults to Dutch', () => {
    expect(loadLanguage(null)).toBe('nl');
    expect(loadLanguage(memoryStorage())).toBe('nl');
    expect(loadLanguage(memoryStorage({ [LANGUAGE_STORAGE_KEY]: 'fr' }))).toBe('nl');
  });

  it('round-trips the choice', () => {
    const storage = memoryStorage();
    saveLanguage(storage, 'en');
    expect(storage.data[LANGUAGE_STORAGE_KEY]).toBe('en');
    expect(loadLanguage(storage)).toBe('en');
  });

  it('survives a storage that throws', () => {
    const broken = {
      getItem: (): string | null => {
        throw new Error('denied');
      },
      setItem: (): void => {
        throw new Error('denied');
      },
    };
    expect(loadLanguage(broken)).toBe('nl');
    expect(() => saveLanguage(broken, 'en')).not.toThrow();
  });
});
