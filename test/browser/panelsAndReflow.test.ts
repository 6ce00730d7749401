import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClassroomClient } from '../support/classroomClient.js';
import { connectAs, createClassroom } from '../support/classroomFixtures.js';
import {
  helperWithPoll,
  joinedTab,
  openStage,
  type ClassroomStage,
  type Person,
} from '../support/classroomTab.js';
import type { PageFacts } from '../support/pageChecks.js';
import { sweep, type Shot, type Viewport } from '../support/screenChecks.js';

// Every panel and dialog of the lesson, for the teacher and a student, at
// the ordinary screen sizes and at 320 px and 200 % zoom, in English and
// German: no horizontal scrolling, the control bar whole on screen, no
// control under 24x24 CSS px, and no serious axe finding (WCAG 2.2 AA).
// Photographed into test-results/screenshots/panels/.

const SCREENSHOTS = path.resolve('test-results', 'screenshots', 'panels');

let stage: ClassroomStage;
let classroomId: string;

beforeAll(async () => {
  fs.rmSync(SCREENSHOTS, { recursive: true, force: true });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  stage = await openStage();
  classroomId = (
    await createClassroom(stage.aula, { title: 'Erdkunde 7b', lobbyEnabled: false, seatCap: 30 })
  )._id;
});

afterAll(() => stage?.close());

const joined = (who: Person): Promise<Page> => joinedTab(stage, classroomId, who);

/** Elements (and their ::before and ::after) that would transition or animate; browser-side code as text. */
const MOVING = `[...document.querySelectorAll('*')].flatMap((element) =>
  [null, '::before', '::after'].filter((pseudo) => {
    const style = getComputedStyle(element, pseudo);
    const durations = (style.transitionDuration + ',' + style.animationDuration).split(',');
    return style.animationName !== 'none' && durations.some((d) => parseFloat(d) > 0) ||
      style.transitionDuration.split(',').some((d) => parseFloat(d) > 0);
  }).map((pseudo) => element.tagName.toLowerCase() + '.' + [...element.classList].join('.') + (pseudo ?? '')),
)`;

/** The control bar whole on screen, whatever the size, and no control of what is open under another element. */
function barOnScreen(_shot: Shot, facts: PageFacts, viewport: Viewport, where: string): string[] {
  const bar = facts.bar;
  if (!bar) return [`${where}: no control bar`];
  const inside =
    bar.x >= -0.5 &&
    bar.y >= -0.5 &&
    bar.x + bar.width <= viewport.width + 0.5 &&
    bar.y + bar.height <= viewport.height + 0.5;
  const covered = facts.covered.map((line) => `${where}: covered ${line}`);
  return inside ? covered : [`${where}: control bar outside the viewport ${JSON.stringify(bar)}`, ...covered];
}

/** Opens a panel or dialog from the control bar (or its "More" menu) at the desktop size. */
async function openFromBar(page: Page, testId: string): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 800 });
  if (['open-settings', 'open-help', 'toggle-captions-panel'].includes(testId))
    await page.getByTestId('more').click();
  await page.getByTestId(testId).click();
}

/** Anna switches captions on (once) and a captioner's line reaches her overlay. */
async function captionsOn(anna: Page, captioner: ClassroomClient): Promise<void> {
  await anna.setViewportSize({ width: 1280, height: 800 });
  if ((await anna.getByTestId('toggle-captions').getAttribute('aria-pressed')) !== 'true')
    await anna.getByTestId('toggle-captions').click();
  await expect.poll(() => anna.getByTestId('toggle-captions').getAttribute('aria-pressed')).toBe('true');
  const lines = anna.getByTestId('captions-overlay').getByTestId('caption-line');
  const before = await lines.count();
  await captioner.request('captions:send', { text: 'Der Rhein fließt in die Nordsee.' });
  await expect.poll(() => lines.count()).toBeGreaterThan(before);
}

async function closeAll(page: Page): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 800 });
  // Escape closes a dialog first, then the panel.
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  await expect.poll(() => page.locator('dialog[open], [data-side-panel]').count()).toBe(0);
}

describe('the lesson’s panels and dialogs at every size', () => {
  it(
    'reflow at 320 px and 200 % zoom, 24x24 targets and no serious axe finding, in both languages',
    { timeout: 900_000 },
    async () => {
      const teacher = await joined({ id: 'pr-teacher', role: 'teacher', name: 'Frau Berg' });
      const anna = await joined({ id: 'pr-anna', role: 'student', name: 'Anna Weber' });
      // A class around them: hands up, a message, a running poll Anna sees.
      for (const [index, name] of ['Ben Schulz', 'Clara Neu', 'Dana Roth'].entries()) {
        const student = await connectAs(stage.aula, classroomId, {
          id: `pr-s${index}`,
          role: 'student',
          name,
        });
        stage.clients.push(student);
        await student.request('join');
        if (index < 2) await student.request('hand:raise');
        if (index === 0) await student.request('chat:send', { text: 'Guten Morgen!' });
      }
      const helper = await helperWithPoll(stage, classroomId, 'pr-helper');
      await anna.getByTestId('poll-card').waitFor();

      // What each of the two shows at once: the teacher's panel or dialog beside Anna's.
      const states: Array<{ teacher: string | null; anna: string | null; name: string }> = [
        { teacher: 'toggle-participants', anna: 'toggle-participants', name: 'participants' },
        { teacher: 'toggle-poll', anna: 'toggle-chat', name: 'poll-chat' },
        { teacher: 'toggle-breakouts', anna: null, name: 'breakouts-pollcard' },
        { teacher: 'toggle-teacher', anna: 'open-settings', name: 'teacher-settings' },
        { teacher: 'open-settings', anna: 'open-help', name: 'settings-help' },
        { teacher: 'open-help', anna: null, name: 'help' },
        // Last: Anna's captions stay on (a line in the overlay over the stage) once switched on.
        { teacher: 'toggle-captions-panel', anna: 'toggle-captions-panel', name: 'captions' },
      ];
      const problems: string[] = [];
      for (const language of ['en', 'de'] as const) {
        for (const page of [teacher, anna]) {
          await page.setViewportSize({ width: 1280, height: 800 });
          await page.getByTestId('language').first().selectOption(language);
          await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(language);
        }
        for (const state of states) {
          if (state.name === 'captions') await captionsOn(anna, helper);
          if (state.teacher) await openFromBar(teacher, state.teacher);
          if (state.anna) await openFromBar(anna, state.anna);
          problems.push(
            ...(await sweep(
              [
                { page: teacher, name: `teacher-${state.name}` },
                { page: anna, name: `student-${state.name}` },
              ],
              language,
              { dir: SCREENSHOTS, extra: barOnScreen },
            )),
          );
          await closeAll(teacher);
          await closeAll(anna);
        }
      }
      expect(problems).toEqual([]);

      // Reduced motion asked for: nothing on the page moves (no transition, no animation, pseudo-elements included).
      await anna.emulateMedia({ reducedMotion: 'reduce' });
      expect(await anna.evaluate(MOVING)).toEqual([]);
    },
  );
});
