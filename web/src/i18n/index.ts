/**
 * UI text lookup. Pure functions: the current language is passed in, never
 * read from a global.
 */
import type { VitalSystem } from '@model/systems.ts';
import { en } from './en.ts';
import { nl, type MessageKey, type Messages } from './nl.ts';

export type { MessageKey, Messages } from './nl.ts';

export const LANGUAGES = ['nl', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export function isLanguage(value: unknown): value is Language {
  return value === 'nl' || value === 'en';
}

const CATALOGUE: Readonly<Record<Language, Messages>> = { nl, en };

export function messagesFor(lang: Language): Messages {
  return CATALOGUE[lang];
}

/** Replace `{name}` placeholders; unknown placeholders are left as they are. */
export function formatMessage(template: string, vars: Readonly<Record<string, string | number>> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = vars[name];
    return v === undefined ? whole : String(v);
  });
}

export type Translate = (key: MessageKey, vars?: Readonly<Record<string, string | number>>) => string;

export function createTranslate(lang: Language): Translate {
  const messages = messagesFor(lang);
  return (key, vars) => formatMessage(messages[key], vars);
}

/** IMKL/INSPIRE ConditionOfFacility values → message keys. */
const STATUS_KEYS: Readonly<Record<string, MessageKey>> = {
  functional: 'statusFunctional',
  disused: 'statusDisused',
  projected: 'statusProjected',
  underconstruction: 'statusUnderConstruction',
  decommissioned: 'statusDecommissioned',
};

/**
 * Human label for an asset status. Accepts a bare value ("functional") or a
 * code-list URI ending in it; unknown values are shown as they are.
 */
export function statusLabel(lang: Language, status: string): string {
  const last = status.split('/').pop() ?? status;
  const key = STATUS_KEYS[last.toLowerCase()];
  return key ? messagesFor(lang)[key] : status;
}

export function systemLabel(lang: Language, system: Pick<VitalSystem, 'labelNl' | 'labelEn'>): string {
  return lang === 'nl' ? system.labelNl : system.labelEn;
}

/** Numbers in the language's notation (decimal comma in Dutch). */
export function formatNumber(lang: Language, value: number): string {
  return new Intl.NumberFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', { maximumFractionDigits: 3 }).format(value);
}
