import { createI18n } from 'vue-i18n';
import de from './de.json';
import en from './en.json';

export type Locale = 'de' | 'en';
export type MessageSchema = typeof en;

function initialLocale(): Locale {
  const stored = localStorage.getItem('aula.locale');
  if (stored === 'de' || stored === 'en') return stored;
  return navigator.language.toLowerCase().startsWith('de') ? 'de' : 'en';
}

export const i18n = createI18n<[MessageSchema], Locale>({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'en',
  messages: { en, de },
});
