import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClassroom } from '../support/classroomFixtures.js';
import {
  helperWithPoll,
  joinedTab,
  openStage,
  type ClassroomStage,
  type Person,
} from '../support/classroomTab.js';
import { pageFacts, settle } from '../support/pageChecks.js';
import { ZOOMED_VIEWPORTS } from '../support/screenChecks.js';

// At 320 px and at 200 % zoom nothing floats over a control of the open
// panel: the notes button, the poll card and the captions over the stage
// each leave every control of what is open reachable by a pointer (the
// centre of each is the control itself when hit-tested). The captions stay
// in sight below a panel that covers the stage.

let stage: ClassroomStage;
let classroomId: string;

beforeAll(async () => {
  stage = await openStage();
  classroomId = (await createClassroom(stage.aula, { title: 'Erdkunde 7b', lobbyEnabled: false }))._id;
});

afterAll(() => stage?.close());

const joined = (who: Person): Promise<Page> => joinedTab(stage, classroomId, who);

/** Opens a panel from the control bar (or its "More" menu) at the desktop size; null opens none. */
async function open(page: Page, testId: string | null): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.keyboard.press('Escape');
  await expect.poll(() => page.locator('[data-testid=captions-panel], aside.panel').count()).toBe(0);
  if (!testId) return;
  if (testId === 'toggle-captions-panel') await page.getByTestId('more').click();
  await page.getByTestId(testId).click();
}

/**
 * Why the newest caption's last row cannot be seen, or null: hidden, off screen, or another element
 * over its left end, middle or right end.
 */
async function captionUnseen(page: Page): Promise<string | null> {
  const line = page.getByTestId('captions-overlay').getByTestId('caption-line').last();
  const box = (await line.isVisible()) ? await line.boundingBox() : null;
  if (!box) return 'captions hidden';
  const size = page.viewportSize();
  const y = box.y + box.height - 6;
  if (!size || y < 0 || y > size.height || box.x < 0 || box.x + box.width > size.width)
    return 'captions off screen';
  const points = [box.x + 6, box.x + box.width / 2, box.x + box.width - 6].map((x) => ({ x, y }));
  const over = await page.evaluate((points) => {
    for (const { x, y } of points) {
      const hit = document.elementFromPoint(x, y);
      if (hit?.closest('[data-testid=captions-overlay]')) continue;
      const what = hit?.closest('[data-testid]') ?? hit;
      return what
        ? `${what.tagName.toLowerCase()} ${what.getAttribute('data-testid') ?? what.className}`
        : 'nothing';
    }
    return null;
  }, points);
  return over && `captions under ${over}`;
}

/** Controls a pointer cannot reach, at each zoomed size, with what is open; the captions unseen. */
async function coveredAtZoom(page: Page, what: string, captions = false): Promise<string[]> {
  const problems: string[] = [];
  for (const viewport of ZOOMED_VIEWPORTS) {
    await page.setViewportSize(viewport);
    await settle(page);
    const { covered } = await pageFacts(page);
    const where = `${what} ${viewport.width}x${viewport.height}`;
    problems.push(...covered.map((line) => `${where}: ${line}`));
    const unseen = captions ? await captionUnseen(page) : null;
    if (unseen) problems.push(`${where}: ${unseen}`);
  }
  return problems;
}

describe('floating controls at 320 px and 200 % zoom', () => {
  it(
    'cover no control of an open panel, of the poll card or of the captions, and the captions stay in sight',
    { timeout: 300_000 },
    async () => {
      const teacher = await joined({ id: 'po-teacher', role: 'teacher', name: 'Frau Berg' });
      const anna = await joined({ id: 'po-anna', role: 'student', name: 'Anna Weber' });
      const helper = await helperWithPoll(stage, classroomId, 'po-helper');
      await anna.getByTestId('poll-card').waitFor();
      await anna.getByTestId('toggle-captions').click();
      await expect.poll(() => anna.getByTestId('toggle-captions').getAttribute('aria-pressed')).toBe('true');
      await helper.request('captions:send', { text: 'Der Rhein fließt in die Nordsee.' });
      await anna.getByTestId('captions-overlay').getByTestId('caption-line').first().waitFor();

      const problems: string[] = [];
      // Anna follows the captions while she reads the chat or the participants (the captions' own
      // panel shows the lines itself).
      for (const panel of [null, 'toggle-chat', 'toggle-participants', 'toggle-captions-panel']) {
        await open(anna, panel);
        const captions = panel !== 'toggle-captions-panel';
        problems.push(...(await coveredAtZoom(anna, `student ${panel ?? 'stage'}`, captions)));
      }
      for (const panel of ['toggle-teacher', 'toggle-poll', 'toggle-breakouts', 'toggle-captions-panel']) {
        await open(teacher, panel);
        problems.push(...(await coveredAtZoom(teacher, `teacher ${panel}`)));
      }
      expect(problems).toEqual([]);
    },
  );
});
