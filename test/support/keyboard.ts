import type { Page } from 'playwright-core';

/** What has the keyboard focus, and whether it is seen: its test id (else its label or text) and its focus ring. */
export interface Focused {
  name: string;
  /** An outline (or box shadow) of at least 2 px is drawn around it. */
  ringShown: boolean;
}

// Browser-side code as text: the Node side has no DOM types.
const FOCUSED = `(() => {
  const element = document.activeElement;
  if (!element || element === document.body) return { name: 'body', ringShown: true };
  const name =
    (element.getAttribute('data-testid') ??
      element.getAttribute('aria-label') ??
      (element.textContent ?? '').trim().slice(0, 40)) ||
    element.tagName.toLowerCase();
  const style = getComputedStyle(element);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  const shadow = style.boxShadow !== 'none';
  return { name, ringShown: outline || shadow };
})()`;

export async function focused(page: Page): Promise<Focused> {
  return (await page.evaluate(FOCUSED)) as Focused;
}

/**
 * Presses Tab (Shift+Tab with `back`) until the control with test id `testId`
 * has the focus, as someone without a mouse moves through the page. Answers
 * every stop on the way, the target last; fails, naming them, when the target
 * is not reached within `max` presses.
 */
export async function tabTo(
  page: Page,
  testId: string,
  options: { max?: number; back?: boolean } = {},
): Promise<Focused[]> {
  const stops: Focused[] = [];
  for (let i = 0; i < (options.max ?? 80); i++) {
    await page.keyboard.press(options.back ? 'Shift+Tab' : 'Tab');
    const now = await focused(page);
    stops.push(now);
    if (now.name === testId) return stops;
  }
  throw new Error(`${testId} not reached by keyboard; stops: ${stops.map((stop) => stop.name).join(' → ')}`);
}

/** Tabs to a control and presses Enter on it (Space for a checkbox or radio button). */
export async function activate(
  page: Page,
  testId: string,
  options: { max?: number; back?: boolean; key?: 'Enter' | 'Space' } = {},
): Promise<Focused[]> {
  const stops = await tabTo(page, testId, options);
  await page.keyboard.press(options.key ?? 'Enter');
  return stops;
}

/** The stops, in the order reached, that are among `names`: the order a test asserts. */
export function orderOf(stops: Focused[], names: readonly string[]): string[] {
  return stops.map((stop) => stop.name).filter((name) => names.includes(name));
}

/** Stops where the focus could not be seen. */
export function withoutRing(stops: Focused[]): string[] {
  return stops.filter((stop) => !stop.ringShown).map((stop) => stop.name);
}
