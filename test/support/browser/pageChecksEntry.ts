// Runs inside headless Chromium: what the classroom UI tests measure on a
// page, and axe-core's accessibility scan. Evaluated into the page (not added
// as a script tag, which Aula's content security policy forbids).
import axe from 'axe-core';

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

const box = (element: Element): Box => {
  const rect = element.getBoundingClientRect();
  return { x: rect.x, y: rect.y, width: rect.width, height: rect.height };
};

/** Inside a box that fits the window and clips or scrolls what it holds (a wide table in its own scroll region). */
function contained(element: Element, edge: number): boolean {
  for (let box = element.parentElement; box && box !== document.body; box = box.parentElement) {
    if (getComputedStyle(box).overflowX !== 'visible' && box.getBoundingClientRect().right <= edge)
      return true;
  }
  return false;
}

/**
 * What sticks out past the window's right edge while its parent does not, and
 * is not held in a box that scrolls on its own: what makes the page scroll sideways.
 */
function wideElements(): string[] {
  const edge = window.innerWidth + 0.5;
  return [...document.body.querySelectorAll('*')]
    .filter((element) => element.getBoundingClientRect().right > edge && !contained(element, edge))
    .filter(
      (element) => !element.parentElement || element.parentElement.getBoundingClientRect().right <= edge,
    )
    .slice(0, 5)
    .map((element) => `${element.tagName.toLowerCase()}.${[...element.classList].join('.')}`);
}

/** WCAG 2.5.8: a pointer target of at least 24x24 CSS px. */
const MIN_TARGET = 24;
const TARGETS =
  'button, a[href], input:not([type=hidden]), select, textarea, summary, [role=button], [tabindex]:not([tabindex="-1"])';
/** The rules the checks run: WCAG 2.0, 2.1 and 2.2 A and AA, and axe's best practices. */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

/**
 * Controls smaller than 24x24 on screen. What a pointer hits is the control
 * or the label wrapping it (a checkbox in its label); links inside a sentence
 * are exempt (WCAG 2.5.8 "inline"), and so is what is not shown.
 */
function smallTargets(): string[] {
  return [...document.querySelectorAll<HTMLElement>(TARGETS)]
    .filter((element) => element.getClientRects().length > 0 && element.checkVisibility())
    .filter((element) => !element.closest('.visually-hidden'))
    .filter(
      (element) =>
        !(element.tagName === 'A' && element.closest('p, li')?.textContent !== element.textContent),
    )
    .map((element) => {
      const own = box(element);
      const label = element.closest('label');
      const around = label ? box(label) : own;
      return {
        element,
        hit: { width: Math.max(own.width, around.width), height: Math.max(own.height, around.height) },
      };
    })
    .filter(({ hit }) => hit.width < MIN_TARGET - 0.5 || hit.height < MIN_TARGET - 0.5)
    .map(
      ({ element, hit }) =>
        `${element.outerHTML.slice(0, 80)} ${Math.round(hit.width)}x${Math.round(hit.height)}`,
    );
}

/** What floats over the room or holds its controls: a control in one must not lie under another. */
const SURFACES =
  'aside.panel, dialog[open], .floating-card, [data-testid=captions-overlay], [data-testid=control-bar], [data-testid=notes-open]';

/** The part of the window where an element can be seen: its scrolling and clipping ancestors cut it. */
function visibleCentre(element: Element): { x: number; y: number } | null {
  const own = element.getBoundingClientRect();
  let [left, top, right, bottom] = [own.left, own.top, own.right, own.bottom];
  for (let box = element.parentElement; box && box !== document.body; box = box.parentElement) {
    const style = getComputedStyle(box);
    if (style.overflowX === 'visible' && style.overflowY === 'visible') continue;
    const clip = box.getBoundingClientRect();
    [left, top] = [Math.max(left, clip.left), Math.max(top, clip.top)];
    [right, bottom] = [Math.min(right, clip.right), Math.min(bottom, clip.bottom)];
  }
  [right, bottom] = [Math.min(right, window.innerWidth), Math.min(bottom, window.innerHeight)];
  [left, top] = [Math.max(left, 0), Math.max(top, 0)];
  return right - left >= 1 && bottom - top >= 1 ? { x: (left + right) / 2, y: (top + bottom) / 2 } : null;
}

const described = (element: Element) =>
  `${element.tagName.toLowerCase()}${element.getAttribute('data-testid') ? `[${element.getAttribute('data-testid')}]` : ''}.${[...element.classList].join('.')} "${(element.getAttribute('aria-label') ?? element.textContent ?? '').trim().slice(0, 30)}"`;

/**
 * Controls of the open panels, dialogs, floating cards and the control bar
 * that a pointer cannot reach: at the centre of what is shown of them lies
 * another element (a floating button, a card over a panel). Behind a modal
 * dialog only the dialog counts.
 */
function coveredControls(): string[] {
  const modal = document.querySelector('dialog:modal');
  return [...document.querySelectorAll<HTMLElement>(TARGETS)]
    .filter((element) => element.closest(SURFACES) && (!modal || modal.contains(element)))
    .filter((element) => element.checkVisibility({ visibilityProperty: true, opacityProperty: true }))
    .filter((element) => !element.closest('.visually-hidden'))
    .flatMap((element) => {
      const centre = visibleCentre(element);
      if (!centre) return [];
      const hit = document.elementFromPoint(centre.x, centre.y);
      if (!hit || element.contains(hit) || hit.contains(element) || element.closest('label')?.contains(hit))
        return [];
      return [`${described(element)} under ${described(hit)}`];
    })
    .slice(0, 5);
}

const pageChecks = {
  /** Resize observers and Vue updates land within a couple of frames; the tile watcher debounces 150 ms. */
  settle(): Promise<void> {
    return new Promise((resolve) =>
      requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 200))),
    );
  },

  /** The boxes, icons and words on the page. */
  facts() {
    const bar = document.querySelector('[data-testid=control-bar]');
    const text = [
      document.body.innerText,
      ...[...document.querySelectorAll('[aria-label], [title], [placeholder]')].map((element) =>
        ['aria-label', 'title', 'placeholder'].map((name) => element.getAttribute(name) ?? '').join(' '),
      ),
    ].join('\n');
    return {
      bar: bar ? box(bar) : null,
      tiles: [...document.querySelectorAll('[data-testid=tile]')].map((tile) => ({
        name: tile.getAttribute('aria-label') ?? '',
        ...box(tile),
      })),
      overflowX: document.documentElement.scrollWidth - window.innerWidth,
      wide: wideElements(),
      iconsNotSvg: [...document.querySelectorAll('.lucide')].filter(
        (icon) => !(icon instanceof SVGSVGElement),
      ).length,
      unlabelledButtons: [...document.querySelectorAll('button')]
        .filter(
          (button) =>
            !button.textContent?.trim() && !button.querySelector('svg') && !button.getAttribute('aria-label'),
        )
        .map((button) => button.outerHTML.slice(0, 80)),
      smallTargets: smallTargets(),
      covered: coveredControls(),
      text,
    };
  },

  /**
   * axe-core's serious and critical findings under the WCAG 2.2 AA rules, each
   * with where it was found; the moderate and minor ones to report; and how
   * many rules passed.
   */
  async accessibility(): Promise<{ findings: string[]; moderate: string[]; passed: number }> {
    const results = await axe.run(document, { runOnly: { type: 'tag', values: AXE_TAGS } });
    const described = (violation: axe.Result) =>
      `${violation.impact} ${violation.id} at ${violation.nodes
        .slice(0, 3)
        .map((node) => JSON.stringify(node.target))
        .join(', ')}`;
    const grave = (violation: axe.Result) =>
      violation.impact === 'serious' || violation.impact === 'critical';
    return {
      findings: results.violations.filter(grave).map(described),
      moderate: results.violations.filter((violation) => !grave(violation)).map(described),
      passed: results.passes.length,
    };
  },
};

export type PageChecks = typeof pageChecks;
export type PageFacts = ReturnType<PageChecks['facts']>;

(window as unknown as { pageChecks: PageChecks }).pageChecks = pageChecks;
