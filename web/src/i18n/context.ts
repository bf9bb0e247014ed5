/** The current language and its translate function, for components. */
import { createContext, useContext } from 'react';
import { createTranslate, type Language, type Translate } from './index.ts';

export interface I18n {
  language: Language;
  t: Translate;
}

export const I18nContext = createContext<I18n>({ language: 'nl', t: createTranslate('nl') });

export function useI18n(): I18n {
  return useContext(I18nContext);
}
