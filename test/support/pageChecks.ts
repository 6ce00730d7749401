import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { pageBundle } from './pageBundle.js';

const here = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

/** What browser/pageChecksEntry.ts measures on a page; the Node side has no DOM types. */
export interface PageFacts {
  bar: Box | null;
  tiles: Array<Box & { name: string }>;
  overflowX: number;
  iconsNotSvg: number;
  unlabelledButtons: string[];
  text: string;
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The page's global, as pageChecksEntry.ts installs it. */
declare const window: {
  pageChecks: {
    settle(): Promise<void>;
    facts(): PageFacts;
    accessibility(): Promise<{ findings: string[]; passed: number }>;
  };
};

/** Loads the checks into the page once (again after a navigation). */
async function installed(page: Page): Promise<void> {
  if (await page.evaluate('typeof window.pageChecks === "object"')) return;
  await page.evaluate(await pageBundle(here('./browser/pageChecksEntry.ts')));
}

export async function settle(page: Page): Promise<void> {
  await installed(page);
  await page.evaluate(() => window.pageChecks.settle());
}

export async function pageFacts(page: Page): Promise<PageFacts> {
  await installed(page);
  return page.evaluate(() => window.pageChecks.facts());
}

/** axe-core's serious and critical findings on the page as it is now; one if axe checked nothing at all. */
export async function accessibilityFindings(page: Page): Promise<string[]> {
  await installed(page);
  const { findings, passed } = await page.evaluate(() => window.pageChecks.accessibility());
  return passed > 0 ? findings : [...findings, 'axe-core passed no rule: it did not check the page'];
}
