/**
 * UI text of the wijkschouw participant page (Dutch default, English switch). Kept apart from the
 * workbench catalogues so the phone page loads only its own text: the lookup follows web/src/i18n
 * (and the language choice is shared with the workbench, key `samenhang.lang`), but nothing is
 * imported from there at runtime, or the phone would download the workbench's catalogue too.
 */
import { createContext, useContext } from 'react';
import type { Language } from '../i18n/index.ts';

export type { Language } from '../i18n/index.ts';
export const LANGUAGE_STORAGE_KEY = 'samenhang.lang';

/** Replace `{name}` placeholders; unknown placeholders are left as they are (as web/src/i18n). */
export function formatMessage(template: string, vars: Readonly<Record<string, string | number>> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = vars[name];
    return v === undefined ? whole : String(v);
  });
}

/** The stored language (shared with the workbench), Dutch when none. */
export function loadLanguage(storage: Pick<Storage, 'getItem'> | null): Language {
  try {
    return storage?.getItem(LANGUAGE_STORAGE_KEY) === 'en' ? 'en' : 'nl';
  } catch {
    return 'nl';
  }
}

export function saveLanguage(storage: Pick<Storage, 'setItem'> | null, language: Language): void {
  try {
    storage?.setItem(LANGUAGE_STORAGE_KEY, language);
  } catch {
    // private mode or quota: the choice lasts for this page only
  }
}

export const schouwNl = {
  pageTitle: 'Wijkschouw',
  langGroup: 'Taal',
  langNl: 'Nederlands',
  langEn: 'English',
  loading: 'Laden…',
  retry: 'Opnieuw proberen',
  joinTitle: 'Doe mee met de wijkschouw',
  joinIntro: 'Vul de code in die je van de organisator hebt gekregen. Je hebt geen account nodig.',
  joinCode: 'Code (6 tekens)',
  joinName: 'Je naam (mag leeg blijven)',
  joinSubmit: 'Meedoen',
  joinBusy: 'Bezig met aanmelden…',
  joinCodeInvalid: 'Een code heeft 6 tekens: letters en de cijfers 2 tot en met 9.',
  joinNetwork: 'Geen verbinding. Probeer het opnieuw zodra je internet hebt.',
  joinFailed: 'Meedoen lukte niet (fout {status}).',
  joinAgain: 'Je telefoon is niet meer aangemeld bij deze schouw. Meld je opnieuw aan; je meldingen blijven bewaard.',
  offlineUnknown: 'Geen verbinding, en deze schouw staat nog niet op je telefoon. Probeer het opnieuw zodra je internet hebt.',
  offlineBanner: 'Je bent offline. Meldingen blijven op je telefoon tot er weer verbinding is.',
  storageMissing: 'Deze browser kan meldingen niet op je telefoon bewaren. Herlaad de pagina niet voordat alles is verstuurd.',
  walkClosed: 'Deze schouw is gesloten. Je kunt niets meer melden.',
  mapLabel: 'Kaart. Tik op de kaart om de plek van je melding aan te wijzen.',
  legendTitle: 'Op de kaart',
  legendYou: 'Jij (GPS)',
  legendManual: 'Gekozen plek',
  legendOwn: 'Jouw meldingen',
  legendOthers: 'Meldingen van anderen',
  legendRoute: 'Route van de schouw',
  positionWaiting: 'Je positie wordt gezocht…',
  positionGps: 'Plek: je GPS-positie (± {accuracy} m)',
  positionManual: 'Plek: handmatig geplaatst',
  positionDenied: 'Geen toegang tot je locatie. Tik op de kaart om de plek aan te wijzen.',
  positionUnavailable: 'Je positie is niet bekend. Tik op de kaart om de plek aan te wijzen.',
  useGps: 'Gebruik mijn GPS-positie',
  placeCenter: 'Plek = midden van de kaart',
  formTitle: 'Nieuwe melding',
  kindLegend: 'Wat wil je melden?',
  kindKans: 'Kans',
  kindKnelpunt: 'Knelpunt',
  theme: 'Thema',
  themeChoose: 'Kies een thema…',
  note: 'Toelichting',
  notePlaceholder: 'Wat zie je hier?',
  photo: 'Foto toevoegen (niet verplicht)',
  photoBusy: 'Foto verkleinen…',
  photoFailed: 'Deze foto kon niet worden gelezen. Kies een andere foto.',
  photoAlt: 'Je foto bij deze melding',
  photoRemove: 'Foto weghalen',
  save: 'Opslaan',
  needPosition: 'Wacht op je GPS-positie of tik op de kaart.',
  needKind: 'Kies kans of knelpunt.',
  needTheme: 'Kies een thema.',
  saved: 'Opgeslagen op je telefoon; wordt verstuurd',
  sent: 'Verstuurd',
  saveFailed: 'Opslaan op je telefoon lukte niet: {message}',
  outboxCount: '{count} nog niet verstuurd',
  sendNow: 'Nu versturen',
  listTitle: 'Mijn meldingen',
  listEmpty: 'Je hebt nog niets gemeld.',
  stateWaiting: 'wacht',
  stateSent: 'verstuurd',
  stateFailed: 'mislukt: {message}',
  withPhoto: 'met foto',
  noNote: '(geen toelichting)',
  deleteItem: 'Verwijderen',
  deleteItemLabel: 'Niet verstuurde melding “{note}” verwijderen',
  retryItem: 'Opnieuw versturen',
};

export type SchouwKey = keyof typeof schouwNl;

export const schouwEn: Readonly<Record<SchouwKey, string>> = {
  pageTitle: 'Neighbourhood walk',
  langGroup: 'Language',
  langNl: 'Nederlands',
  langEn: 'English',
  loading: 'Loading…',
  retry: 'Try again',
  joinTitle: 'Join the neighbourhood walk',
  joinIntro: 'Enter the code you got from the organiser. You do not need an account.',
  joinCode: 'Code (6 characters)',
  joinName: 'Your name (optional)',
  joinSubmit: 'Join',
  joinBusy: 'Joining…',
  joinCodeInvalid: 'A code has 6 characters: letters and the digits 2 to 9.',
  joinNetwork: 'No connection. Try again once you have internet.',
  joinFailed: 'Joining failed (error {status}).',
  joinAgain: 'Your phone is no longer registered for this walk. Join again; your reports are kept.',
  offlineUnknown: 'No connection, and this walk is not on your phone yet. Try again once you have internet.',
  offlineBanner: 'You are offline. Reports stay on your phone until there is a connection again.',
  storageMissing: 'This browser cannot keep reports on your phone. Do not reload the page before everything has been sent.',
  walkClosed: 'This walk is closed. You can no longer report anything.',
  mapLabel: 'Map. Tap the map to mark the place of your report.',
  legendTitle: 'On the map',
  legendYou: 'You (GPS)',
  legendManual: 'Chosen place',
  legendOwn: 'Your reports',
  legendOthers: 'Reports of others',
  legendRoute: 'Route of the walk',
  positionWaiting: 'Finding your position…',
  positionGps: 'Place: your GPS position (± {accuracy} m)',
  positionManual: 'Place: placed by hand',
  positionDenied: 'No access to your location. Tap the map to mark the place.',
  positionUnavailable: 'Your position is unknown. Tap the map to mark the place.',
  useGps: 'Use my GPS position',
  placeCenter: 'Place = centre of the map',
  formTitle: 'New report',
  kindLegend: 'What do you want to report?',
  kindKans: 'Opportunity',
  kindKnelpunt: 'Bottleneck',
  theme: 'Theme',
  themeChoose: 'Choose a theme…',
  note: 'Note',
  notePlaceholder: 'What do you see here?',
  photo: 'Add a photo (optional)',
  photoBusy: 'Shrinking the photo…',
  photoFailed: 'This photo could not be read. Choose another photo.',
  photoAlt: 'Your photo for this report',
  photoRemove: 'Remove photo',
  save: 'Save',
  needPosition: 'Wait for your GPS position or tap the map.',
  needKind: 'Choose opportunity or bottleneck.',
  needTheme: 'Choose a theme.',
  saved: 'Saved on your phone; being sent',
  sent: 'Sent',
  saveFailed: 'Saving on your phone failed: {message}',
  outboxCount: '{count} not sent yet',
  sendNow: 'Send now',
  listTitle: 'My reports',
  listEmpty: 'You have not reported anything yet.',
  stateWaiting: 'waiting',
  stateSent: 'sent',
  stateFailed: 'failed: {message}',
  withPhoto: 'with photo',
  noNote: '(no note)',
  deleteItem: 'Delete',
  deleteItemLabel: 'Delete unsent report “{note}”',
  retryItem: 'Send again',
};

const CATALOGUE: Readonly<Record<Language, Readonly<Record<SchouwKey, string>>>> = { nl: schouwNl, en: schouwEn };

export type SchouwTranslate = (key: SchouwKey, vars?: Readonly<Record<string, string | number>>) => string;

export function schouwTranslate(lang: Language): SchouwTranslate {
  const messages = CATALOGUE[lang];
  return (key, vars) => formatMessage(messages[key], vars);
}

export interface SchouwI18n {
  language: Language;
  t: SchouwTranslate;
}

export const SchouwI18nContext = createContext<SchouwI18n>({ language: 'nl', t: schouwTranslate('nl') });

export function useSchouwI18n(): SchouwI18n {
  return useContext(SchouwI18nContext);
}

/** "2026-05-01" → "1 mei 2026" / "1 May 2026"; anything else as it is. */
export function formatWalkDate(lang: Language, date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  if (!m) return date;
  const at = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (Number.isNaN(at.getTime())) return date;
  return new Intl.DateTimeFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(at);
}
