import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { accessibilityFindings, pageFacts, settle, type PageFacts } from './pageChecks.js';

// A page as people see it: photographed at the viewports of ordinary screens
// and checked for what makes it usable: nothing wider than the screen, icons
// as SVG, every button labelled, German without English leftovers or message
// keys, no glyph that needs an emoji font, and no serious accessibility
// finding (axe-core, WCAG 2.2 AA rules, at every viewport), and no control
// smaller than 24x24 CSS px.

export const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
  { width: 768, height: 1024 },
  { width: 1024, height: 768 },
  { width: 390, height: 844 },
  { width: 844, height: 390 },
] as const;
/** The narrowest screen WCAG's reflow asks for (1280 px at 400 %), and an ordinary one at 200 % zoom. */
export const ZOOMED_VIEWPORTS = [
  { width: 320, height: 640 },
  { width: 640, height: 400 },
] as const;
export type Viewport = { readonly width: number; readonly height: number };

const en = JSON.parse(fs.readFileSync(path.resolve('client/src/locales/en.json'), 'utf8')) as {
  errors: Record<string, string>;
};

/** Top-level message groups: "controls.mic" on a page is a key nobody translated. */
const KEY_PATTERN = new RegExp(`\\b(?:${Object.keys(en).join('|')})\\.[a-zA-Z]+`);
/** Emoji and symbol-font glyphs, and the replacement character: each would be a box without the right font. */
const GLYPH_PATTERN =
  /[\u{1F000}-\u{1FAFF}\u{2300}-\u{23FF}\u{2600}-\u{27BF}\u{2B00}-\u{2BFF}\u{25CF}\u{FFFD}]/u;

/** The English messages the server writes into its errors: none may reach a German page. */
function serverMessages(): string[] {
  const messages = new Set<string>(Object.values(en.errors));
  const walk = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const full = path.join(dir, entry.name);
      return entry.isDirectory() ? walk(full) : entry.name.endsWith('.ts') ? [full] : [];
    });
  for (const file of walk(path.resolve('src'))) {
    for (const match of fs.readFileSync(file, 'utf8').matchAll(/new [A-Za-z]*Error\(\s*'([^'$]{12,})'/g)) {
      messages.add(match[1]!);
    }
  }
  return [...messages];
}
const SERVER_MESSAGES = serverMessages();

export interface Shot {
  page: Page;
  /** What is shown, for the file name: prejoin, lesson-teacher, admin, … */
  name: string;
}

/** What is wrong with a page whatever it shows. */
export function pageProblems(facts: PageFacts, where: string, language: 'en' | 'de'): string[] {
  const problems: string[] = [];
  const glyph = facts.text.match(GLYPH_PATTERN)?.[0];
  const key = facts.text.match(KEY_PATTERN)?.[0];
  if (facts.overflowX > 0)
    problems.push(`${where}: ${facts.overflowX}px wider than the viewport (${facts.wide.join(', ')})`);
  if (facts.iconsNotSvg > 0) problems.push(`${where}: ${facts.iconsNotSvg} icons that are not SVG`);
  if (facts.smallTargets.length)
    problems.push(`${where}: targets smaller than 24x24: ${facts.smallTargets.join(' | ')}`);
  if (facts.unlabelledButtons.length)
    problems.push(`${where}: buttons without label or icon: ${facts.unlabelledButtons.join(' | ')}`);
  if (glyph) problems.push(`${where}: glyph ${glyph} needs an emoji font`);
  if (key) problems.push(`${where}: untranslated key ${key}`);
  if (language === 'de') {
    const english = SERVER_MESSAGES.find((message) => facts.text.includes(message));
    if (english) problems.push(`${where}: English server message "${english}"`);
  }
  return problems;
}

/**
 * Photographs each page at every viewport into `dir` (`<language>-<name>-<WxH>.png`)
 * and answers everything found wrong; `extra` adds checks of a kind of page.
 */
export async function sweep<S extends Shot>(
  shots: S[],
  language: 'en' | 'de',
  options: {
    dir: string;
    extra?: (shot: S, facts: PageFacts, viewport: Viewport, where: string) => string[];
    /** The sizes to check at; the ordinary screens and the zoomed ones unless given. */
    viewports?: readonly Viewport[];
  },
): Promise<string[]> {
  const problems: string[] = [];
  for (const viewport of options.viewports ?? [...VIEWPORTS, ...ZOOMED_VIEWPORTS]) {
    const size = `${viewport.width}x${viewport.height}`;
    await Promise.all(shots.map((shot) => shot.page.setViewportSize(viewport)));
    // No tooltip from the last click in the pictures.
    await Promise.all(shots.map((shot) => shot.page.mouse.move(0, 0)));
    for (const shot of shots) {
      await settle(shot.page);
      const where = `${language} ${shot.name} ${size}`;
      await shot.page.screenshot({ path: path.join(options.dir, `${language}-${shot.name}-${size}.png`) });
      const facts = await pageFacts(shot.page);
      problems.push(...(options.extra?.(shot, facts, viewport, where) ?? []));
      problems.push(...pageProblems(facts, where, language));
      // At every size: what a layout hides or moves (a menu, a panel over the stage) changes what axe sees.
      for (const finding of await accessibilityFindings(shot.page)) problems.push(`${where}: axe ${finding}`);
    }
  }
  return problems;
}

/** A sweep's extra check: no control of what is open lies under another element. */
export const uncoveredControls = (_shot: Shot, facts: PageFacts, _viewport: Viewport, where: string) =>
  facts.covered.map((line) => `${where}: covered ${line}`);

/** Sweeps the named pages at every size with the uncovered-controls check, and collects the problems. */
export async function sweepUncovered(
  problems: string[],
  pages: Array<[Page, string]>,
  language: 'en' | 'de',
  dir: string,
): Promise<void> {
  const shots = pages.map(([page, name]) => ({ page, name }));
  problems.push(...(await sweep(shots, language, { dir, extra: uncoveredControls })));
}
