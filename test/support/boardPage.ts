import type { Page } from 'playwright-core';

// The whiteboard driven with the mouse, as a person draws on it; points are
// fractions of the board surface.

/** Draws a pen stroke across the board surface. */
export async function drawStroke(page: Page): Promise<void> {
  const box = (await page.getByTestId('board-surface').boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.3);
  await page.mouse.down();
  for (let i = 1; i <= 12; i++) {
    await page.mouse.move(
      box.x + box.width * (0.2 + i * 0.04),
      box.y + box.height * (0.3 + Math.sin(i / 2) * 0.1),
    );
  }
  await page.mouse.up();
}

/** A press, a move and a release between two points. */
export async function drag(page: Page, from: [number, number], to: [number, number]): Promise<void> {
  const box = (await page.getByTestId('board-surface').boundingBox())!;
  await page.mouse.move(box.x + box.width * from[0], box.y + box.height * from[1]);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * to[0], box.y + box.height * to[1], { steps: 4 });
  await page.mouse.up();
}

/** A click at one point of the board surface. */
export async function clickAt(page: Page, at: [number, number]): Promise<void> {
  const box = (await page.getByTestId('board-surface').boundingBox())!;
  await page.mouse.click(box.x + box.width * at[0], box.y + box.height * at[1]);
}

/** How many shapes a page shows on its board surface. */
export async function shapeCount(page: Page): Promise<string | null> {
  return page.getByTestId('board-surface').first().getAttribute('data-shapes');
}
