import { createI18n } from 'vue-i18n';
import de from './de.json';
import en from './en.json';

export type Locale = 'de' | 'en';
export type MessageSchema = typeof en;

const STORAGE_KEY = 'aula.locale';

function initialLocale(): Locale {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored === 'de' || stored === 'en') return stored;
  } catch {
    // Storage blocked in a third-party iframe: fall back to the browser's language.
  }
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
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // See initialLocale().
  }
}

document.documentElement.lang = i18n.global.locale.value;
