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
      iconsNotSvg: [...document.querySelectorAll('.lucide')].filter(
        (icon) => !(icon instanceof SVGSVGElement),
      ).length,
      unlabelledButtons: [...document.querySelectorAll('button')]
        .filter(
          (button) =>
            !button.textContent?.trim() && !button.querySelector('svg') && !button.getAttribute('aria-label'),
        )
        .map((button) => button.outerHTML.slice(0, 80)),
      text,
    };
  },

  /** axe-core's serious and critical findings, each with where it was found, and how many rules passed. */
  async accessibility(): Promise<{ findings: string[]; passed: number }> {
    const results = await axe.run(document);
    const findings = results.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map(
        (violation) =>
          `${violation.impact} ${violation.id} at ${violation.nodes
            .slice(0, 3)
            .map((node) => JSON.stringify(node.target))
            .join(', ')}`,
      );
    return { findings, passed: results.passes.length };
  },
};

export type PageChecks = typeof pageChecks;
export type PageFacts = ReturnType<PageChecks['facts']>;

(window as unknown as { pageChecks: PageChecks }).pageChecks = pageChecks;
