import { createI18n } from 'vue-i18n';
import { readStored, writeStored } from '../storage/webStorage';
import de from './de.json';
import en from './en.json';

export type Locale = 'de' | 'en';
export type MessageSchema = typeof en;

/** The person's own choice, made with the language switch; kept in this browser. */
const CHOICE_KEY = 'aula.locale';
/** The language the LMS handed over at launch; kept for this tab, so a reload keeps it. */
const LMS_KEY = 'aula.lmsLocale';

const asLocale = (value: string | undefined | null): Locale | undefined => {
  const tag = value?.toLowerCase();
  if (tag?.startsWith('de')) return 'de';
  if (tag?.startsWith('en')) return 'en';
  return undefined;
};

/** `lang=` in the URL fragment, as a launch from the LMS hands it to the page. */
export function lmsLocaleFromHash(hash: string): Locale | undefined {
  const match = /(?:^#|&)lang=([^&]+)/.exec(hash);
  return match ? asLocale(decodeURIComponent(match[1]!)) : undefined;
}

/** In this order: the person's own choice, then the LMS's locale, then the browser's languages. */
export function chooseLocale(sources: { chosen?: string; lms?: string; browser: readonly string[] }): Locale {
  const chosen = sources.chosen === 'de' || sources.chosen === 'en' ? sources.chosen : undefined;
  return chosen ?? asLocale(sources.lms) ?? sources.browser.map(asLocale).find(Boolean) ?? 'en';
}

function browserLanguages(): readonly string[] {
  return navigator.languages?.length ? navigator.languages : [navigator.language];
}

function initialLocale(): Locale {
  const fromLaunch = lmsLocaleFromHash(window.location.hash);
  if (fromLaunch) writeStored('session', LMS_KEY, fromLaunch);
  return chooseLocale({
    chosen: readStored('local', CHOICE_KEY),
    lms: fromLaunch ?? readStored('session', LMS_KEY),
    browser: browserLanguages(),
  });
}

/**
 * The locale that formats dates and times: the browser's own when it speaks
 * the page's language (en-GB writes 13:05, en-US 1:05 PM), else the language's
 * usual region.
 */
export function formattingLocale(locale: Locale, browser: readonly string[] = browserLanguages()): string {
  return browser.find((tag) => asLocale(tag) === locale) ?? (locale === 'de' ? 'de-DE' : 'en-GB');
}

export const i18n = createI18n<[MessageSchema], Locale, false>({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'en',
  messages: { en, de },
});

/** A time of day (hours and minutes) as the page's language and the browser's region write it. */
export function formatTime(at: Date | number, locale: Locale = i18n.global.locale.value): string {
  return new Intl.DateTimeFormat(formattingLocale(locale), { hour: '2-digit', minute: '2-digit' }).format(at);
}

/** A day (a lesson's date) as the page's language and the browser's region write it. */
export function formatDate(at: Date | number, locale: Locale = i18n.global.locale.value): string {
  return new Intl.DateTimeFormat(formattingLocale(locale), { dateStyle: 'medium' }).format(at);
}

/** A share (0–1) as a whole percentage: "40 %" in German, "40%" in English. */
export function formatPercent(share: number, locale: Locale = i18n.global.locale.value): string {
  return new Intl.NumberFormat(formattingLocale(locale), {
    style: 'percent',
    maximumFractionDigits: 0,
  }).format(share);
}

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  document.documentElement.lang = locale;
  writeStored('local', CHOICE_KEY, locale);
}

document.documentElement.lang = i18n.global.locale.value;
