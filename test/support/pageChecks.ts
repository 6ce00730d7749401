import fs from 'node:fs';
import path from 'node:path';
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
  /** Elements sticking out to the right, when the page is wider than the window. */
  wide: string[];
  /** Controls a pointer hits in less than 24x24 CSS px, with their size. */
  smallTargets: string[];
  /** Controls in panels, dialogs and floating cards that lie under another element, and what covers them. */
  covered: string[];
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
    accessibility(): Promise<{ findings: string[]; moderate: string[]; passed: number }>;
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

/** Moderate and minor axe findings are reported, not failed: one line each, once, in this file. */
export const MODERATE_REPORT = path.resolve('test-results', 'axe-moderate.txt');
const reported = new Set<string>();

function report(page: Page, moderate: string[]): void {
  const where = new URL(page.url()).pathname.replace(/^\/(classroom|join)\/[^/]+/, '/$1/:id');
  const fresh = moderate.map((finding) => `${where} ${finding}`).filter((line) => !reported.has(line));
  if (fresh.length === 0) return;
  for (const line of fresh) reported.add(line);
  fs.mkdirSync(path.dirname(MODERATE_REPORT), { recursive: true });
  fs.appendFileSync(MODERATE_REPORT, fresh.map((line) => `${line}\n`).join(''));
}

/**
 * axe-core's serious and critical findings on the page as it is now, under the
 * wcag2a, wcag2aa, wcag21aa and wcag22aa rules; one if axe checked nothing at
 * all. Moderate findings go to MODERATE_REPORT.
 */
export async function accessibilityFindings(page: Page): Promise<string[]> {
  await installed(page);
  const { findings, moderate, passed } = await page.evaluate(() => window.pageChecks.accessibility());
  report(page, moderate);
  return passed > 0 ? findings : [...findings, 'axe-core passed no rule: it did not check the page'];
}
