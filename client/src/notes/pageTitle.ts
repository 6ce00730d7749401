import type { NotesPage } from '@protocol';

/** "7 December" in the page's language. */
export function dayName(date: Date, locale: string): string {
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long' }).format(date);
}

/** A page's title; one without (the first, started by itself) is named by its day. */
export function pageTitle(page: NotesPage, locale: string, named: (date: string) => string): string {
  return page.title || named(dayName(new Date(page.createdAt), locale));
}
