import type { Page } from 'playwright-core';

// The notes panel in a real page, driven as a person would: open it, type at
// the end or on a line of one's own, read the text back.

/** The notes' text as the page shows it, paragraph by paragraph, without the carets' name labels. */
export const NOTES_TEXT = `(() => {
  const editor = document.querySelector('[data-testid=notes-text]');
  if (!editor) return '';
  const copy = editor.cloneNode(true);
  copy.querySelectorAll('.collaboration-carets__caret').forEach((caret) => caret.remove());
  return [...copy.children].map((block) => block.textContent).join('\\n');
})()`;

/** Either driver's page (Playwright's, puppeteer's) evaluates a script given as text. */
export const notesText = async (page: { evaluate(script: string): Promise<unknown> }) =>
  (await page.evaluate(NOTES_TEXT)) as string;

/** Opens the notes panel and waits for the text to be there. */
export async function openNotes(page: Page): Promise<void> {
  await page.getByTestId('notes-open').click();
  await page.getByTestId('notes-text').waitFor();
}

export async function typeAtEnd(page: Page, text: string): Promise<void> {
  const editor = page.getByTestId('notes-text');
  await editor.click();
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Enter');
  await page.keyboard.type(text, { delay: 15 });
}

/** The selector of the notes' n-th paragraph (from 1). */
export const notesLine = (line: number) => `[data-testid=notes-text] > p:nth-of-type(${line})`;

/** Types at the end of one paragraph. */
export async function typeOnLine(page: Page, line: number, text: string): Promise<void> {
  await page.locator(notesLine(line)).click();
  await page.keyboard.press('End');
  await page.keyboard.type(text, { delay: 15 });
}
