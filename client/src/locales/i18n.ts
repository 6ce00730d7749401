import { createI18n } from 'vue-i18n';
import { readStored, writeStored } from '../storage/webStorage';
import de from './de.json';
import en from './en.json';

export type Locale = 'de' | 'en';
export type MessageSchema = typeof en;

const STORAGE_KEY = 'aula.locale';

function initialLocale(): Locale {
  const stored = readStored('local', STORAGE_KEY);
  if (stored === 'de' || stored === 'en') return stored;
  return navigator.language.toLowerCase().startsWith('de') ? 'de' : 'en';
}

export const i18n = createI18n<[MessageSchema], Locale, false>({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'en',
  messages: { en, de },
  datetimeFormats: {
    en: { time: { hour: '2-digit', minute: '2-digit' } },
    de: { time: { hour: '2-digit', minute: '2-digit' } },
  },
});

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  document.documentElement.lang = locale;
  writeStored('local', STORAGE_KEY, locale);
}

document.documentElement.lang = i18n.global.locale.value;
