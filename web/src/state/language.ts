/** UI language, persisted in localStorage. The storage is passed in, never a global. */
import { isLanguage, type Language } from '../i18n/index.ts';

export const LANGUAGE_STORAGE_KEY = 'samenhang.lang';
export const DEFAULT_LANGUAGE: Language = 'nl';

export type LanguageAction = { type: 'language/set'; language: Language } | { type: 'language/toggle' };

export function updateLanguage(state: Language, action: LanguageAction): Language {
  switch (action.type) {
    case 'language/set':
      return action.language;
    case 'language/toggle':
      return state === 'nl' ? 'en' : 'nl';
  }
}

type ReadableStorage = Pick<Storage, 'getItem'>;
type WritableStorage = Pick<Storage, 'setItem'>;

/** The stored language, or Dutch when nothing (valid) is stored or storage is unavailable. */
export function loadLanguage(storage: ReadableStorage | null): Language {
  try {
    const stored = storage?.getItem(LANGUAGE_STORAGE_KEY);
    return isLanguage(stored) ? stored : DEFAULT_LANGUAGE;
  } catch {
    return DEFAULT_LANGUAGE;
  }
}

export function saveLanguage(storage: WritableStorage | null, language: Language): void {
  try {
    storage?.setItem(LANGUAGE_STORAGE_KEY, language);
  } catch {
    // Private mode or quota: the choice then lasts for this page only.
  }
}
