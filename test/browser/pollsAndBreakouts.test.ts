import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { eventually, launchUsers, type ContextBrowser } from '../support/browser.js';
import { createClassroom, tokenFor } from '../support/classroomFixtures.js';
import { ClassroomPage } from '../support/classroomPage.js';
import { accessibilityFindings, settle } from '../support/pageChecks.js';
import { startTestAula, type TestAula } from '../support/testAula.js';

// Issue 19 in the real pages: a teacher runs a poll with three students and
// sees the results; then opens two breakout rooms, where students hear and
// see only their own room, visits one, and brings everyone back. The pages
// are photographed into test-results/screenshots/features/ and checked by axe-core.

const SCREENSHOTS = path.resolve('test-results', 'screenshots', 'features');

let aula: TestAula;
let users: ContextBrowser;
let classroomId: string;
const pages: Record<'teacher' | 'anna' | 'ben' | 'clara', ClassroomPage> = {} as never;
/** Serious or critical accessibility findings, reported together at the end. */
const findings: string[] = [];
/** Aula's log lines and every page's console: a failing test prints the room's warnings and the pages' words. */
const logs: string[] = [];
const consoles: string[] = [];

const levelOf = (line: string) => Number(/"level":(\d+)/.exec(line)?.[1] ?? 0);

function reportOnFailure(): void {
  onTestFailed(async () => {
    const warnings = logs.filter((line) => levelOf(line) >= 40);
    process.stderr.write(`Aula warnings and errors:\n${warnings.join('\n') || '(none)'}\n`);
    process.stderr.write(`Page consoles:\n${consoles.join('\n') || '(nothing)'}\n`);
    process.stderr.write(`Media on the server:\n${await serverMedia()}\n`);
    const media = logs.filter((line) => /produce|consum|moved|media|transport/i.test(line)).slice(-80);
    process.stderr.write(`Aula's media log lines:\n${media.join('\n') || '(none)'}\n`);
    for (const [name, page] of Object.entries(pages)) {
      const tracks = await page.page.evaluate(REMOTE_TRACKS).catch((error: unknown) => String(error));
      process.stderr.write(`${name} receives: ${JSON.stringify(tracks)}\n`);
    }
  });
}

/** Each group's members with what they send and receive on the server: who receives whom, paused or not. */
async function serverMedia(): Promise<string> {
  const classroom = await aula.services.rooms.peek(classroomId);
  if (!classroom) return '(no live classroom)';
  const lines: string[] = [];
  for (const group of classroom.groups.all()) {
    lines.push(`group ${group.info?.name ?? 'main'}`);
    for (const member of group.members.inLesson()) {
      const media = group.media.find(member);
      const names = (id: string) => group.members.get(id)?.identity.displayName ?? id;
      const sends = media
        ?.producers()
        .map(([source, producer]) => `${source}${producer.paused ? ' (paused)' : ''}`);
      const receives = media
        ?.consumers()
        .map(
          (entry) =>
            `${names(entry.ownerId)} ${entry.source}${entry.consumer.paused ? ' paused' : ''}` +
            `${entry.consumer.producerPaused ? ' producer-paused' : ''}${entry.clientReady ? '' : ' not-ready'}`,
        );
      lines.push(
        `  ${member.identity.displayName} [${member.state}] recv transport ${media?.transportFor('recv') ? 'yes' : 'no'}, ` +
          `capabilities ${media?.rtpCapabilities ? 'yes' : 'no'}; sends ${sends?.join(', ') || 'nothing'}; ` +
          `receives ${receives?.join(', ') || 'nothing'}`,
      );
    }
  }
  return lines.join('\n');
}

/** The page's receivers as the browser sees them: kind, track state and bytes on each live connection. */
const REMOTE_TRACKS = `(async () => {
  const out = [];
  for (const connection of window.__peerConnections ?? []) {
    if (connection.connectionState === 'closed') continue;
    const stats = await connection.getStats();
    const inbound = [];
    stats.forEach((stat) => {
      if (stat.type === 'inbound-rtp') inbound.push(stat.kind + ':' + (stat.bytesReceived ?? 0));
    });
    out.push({
      state: connection.connectionState,
      receivers: connection.getReceivers().map((r) => r.track.kind + ':' + r.track.readyState + (r.track.muted ? ':muted' : '')),
      inbound,
    });
  }
  return out;
})()`;

beforeAll(async () => {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  aula = await startTestAula({}, { logs });
  users = await launchUsers();
  classroomId = (await createClassroom(aula, { title: 'Biologie 9b', lobbyEnabled: false }))._id;
});

afterAll(async () => {
  await users?.close();
  await aula?.stop();
});

async function open(id: string, name: string, role: 'teacher' | 'student'): Promise<ClassroomPage> {
  const page = await ClassroomPage.open(await users.newUser(), aula.url, {
    token: await tokenFor(aula, classroomId, { id, role, name }),
    expiresAt: Math.floor(Date.now() / 1000) + 3600,
    classroomId,
    role,
    name,
  });
  page.page.on('console', (message) => consoles.push(`${name} ${message.type()}: ${message.text()}`));
  page.page.on('pageerror', (error) => consoles.push(`${name} pageerror: ${error.message}`));
  return page;
}

/** Photographs the page as it is, and keeps axe-core's serious findings. */
async function shoot(page: Page, name: string, options: { axe?: boolean } = {}): Promise<void> {
  await page.mouse.move(0, 0);
  await settle(page);
  const { width, height } = page.viewportSize()!;
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${width}x${height}.png`) });
  if (options.axe) findings.push(...(await accessibilityFindings(page)).map((f) => `${name}: ${f}`));
}

/** The names on the page's tiles, itself included. */
async function tileNames(page: Page): Promise<string[]> {
  const names = await page
    .locator('[data-testid=tile] .name')
    .evaluateAll((spans) => spans.map((span) => span.firstChild?.textContent?.trim() ?? ''));
  return names.sort();
}

async function seesTiles(page: Page, names: string[], timeoutMs = 20_000): Promise<void> {
  let last: string[] = [];
  await eventually(
    async () => {
      last = await tileNames(page);
      return JSON.stringify(last) === JSON.stringify([...names].sort()) ? true : undefined;
    },
    () => `tiles ${names.join(', ')} (has ${last.join(', ')})`,
    timeoutMs,
  );
}

/** Fresh sound, and video decoded from exactly `videoStreams` senders, on the page's live peer connections. */
async function receivesExactly(page: ClassroomPage, videoStreams: number): Promise<void> {
  const first = await page.received();
  let last = first;
  await eventually(
    async () => {
      last = await page.received();
      return last.audioBytes > first.audioBytes && last.videoStreams === videoStreams ? true : undefined;
    },
    () => `sound and ${videoStreams} video streams (${JSON.stringify(last)})`,
  );
}

describe('polls and breakout rooms in the classroom pages', () => {
  it(
    'a teacher runs a poll with three students and sees the results live',
    { timeout: 120_000 },
    async () => {
      reportOnFailure();
      pages.teacher = await open('teacher', 'Frau Berg', 'teacher');
      await pages.teacher.join({ camera: true });
      await pages.teacher.page.getByTestId('start-lesson').click();
      await pages.teacher.page.getByTestId('control-bar').waitFor();
      [pages.anna, pages.ben, pages.clara] = await Promise.all([
        open('anna', 'Anna Weber', 'student'),
        open('ben', 'Ben Schulz', 'student'),
        open('clara', 'Clara Neu', 'student'),
      ]);
      await Promise.all([
        pages.anna.join({ camera: true, mic: true }),
        pages.ben.join({ camera: true, mic: true }),
        pages.clara.join({ mic: true }),
      ]);
      const { teacher, anna, ben, clara } = {
        teacher: pages.teacher.page,
        anna: pages.anna.page,
        ben: pages.ben.page,
        clara: pages.clara.page,
      };
      for (const student of [anna, ben, clara]) await student.getByTestId('control-bar').waitFor();

      // The teacher asks a named single-choice question.
      await teacher.getByTestId('toggle-poll').click();
      await teacher.getByTestId('poll-question').fill('Welcher Planet ist der größte?');
      await teacher.getByTestId('poll-option-text-0').fill('Jupiter');
      await teacher.getByTestId('poll-option-text-1').fill('Saturn');
      await teacher.getByTestId('poll-add-option').click();
      await teacher.getByTestId('poll-option-text-2').fill('Mars');
      await teacher.getByTestId('poll-anonymous').uncheck();
      await teacher.getByTestId('poll-start').click();
      await teacher.getByTestId('poll-current').waitFor();

      // Each student answers on the card; Anna changes her mind while the poll runs.
      const answer = async (page: Page, option: number) => {
        await page.getByTestId(`poll-option-${option}`).check();
        await page.getByTestId('poll-send').click();
        await page.getByTestId('poll-sent').waitFor();
      };
      await anna.getByTestId('poll-card').getByText('Welcher Planet ist der größte?').waitFor();
      await answer(anna, 1);
      await answer(ben, 0);
      await answer(clara, 1);
      await answer(anna, 0);
      await expect.poll(() => anna.getByTestId('poll-sent').textContent()).toContain('Jupiter');

      // The teacher sees the counts live, with percentages and who chose what.
      await expect.poll(() => teacher.getByTestId('poll-answered').textContent()).toBe('3 of 3 answered');
      expect(await teacher.getByTestId('poll-count').allTextContents()).toEqual([
        '2 (67%)',
        '1 (33%)',
        '0 (0%)',
      ]);
      await teacher.getByTestId('poll-current').locator('summary').click();
      await teacher.getByTestId('poll-current').getByRole('cell', { name: 'Clara Neu' }).waitFor();
      await shoot(teacher, 'en-poll-teacher', { axe: true });
      await shoot(anna, 'en-poll-student', { axe: true });

      // Closed and shown to everyone: the students see the results, and can no longer answer.
      await teacher.getByTestId('poll-close').click();
      await teacher.getByTestId('poll-share').click();
      await expect.poll(() => teacher.getByTestId('poll-share').getAttribute('aria-pressed')).toBe('true');
      for (const student of [anna, ben, clara]) {
        await expect
          .poll(() => student.getByTestId('poll-card').getByTestId('poll-count').allTextContents())
          .toEqual(['2 (67%)', '1 (33%)', '0 (0%)']);
        expect(await student.getByTestId('poll-send').count()).toBe(0);
      }
      await clara.getByTestId('language').selectOption('de');
      await expect.poll(() => clara.getByTestId('poll-card').textContent()).toContain('Ihre Antwort: Saturn');
      await shoot(clara, 'de-poll-results-student');
      await clara.setViewportSize({ width: 390, height: 844 });
      await shoot(clara, 'de-poll-results-student', { axe: true });
      await clara.setViewportSize({ width: 1280, height: 800 });
      await clara.getByTestId('language').selectOption('en');

      // The poll is kept with the lesson: its history shows it.
      await teacher.getByTestId('toggle-teacher').click();
      await teacher.getByTestId('open-history').click();
      await teacher.getByTestId('history-show').first().click();
      const kept = teacher.getByTestId('history-poll');
      await kept.getByText('Welcher Planet ist der größte?').waitFor();
      expect(await kept.getByTestId('poll-count').allTextContents()).toEqual([
        '2 (67%)',
        '1 (33%)',
        '0 (0%)',
      ]);
      await teacher.getByTestId('history-attendance').getByRole('cell', { name: 'Ben Schulz' }).waitFor();
      await shoot(teacher, 'en-lesson-history', { axe: true });
      await teacher.keyboard.press('Escape');
      await teacher.getByTestId('toggle-teacher').click();
      expect(findings).toEqual([]);
    },
  );

  it(
    'breakout rooms: students hear and see only their room, the teacher visits one and brings everyone back',
    { timeout: 120_000 },
    async () => {
      reportOnFailure();
      const teacher = pages.teacher.page;
      const { anna, ben, clara } = pages;

      // Two groups by hand: Anna and Clara in "Rot", Ben alone in "Blau".
      await teacher.getByTestId('toggle-breakouts').click();
      await teacher.getByTestId('breakout-assignment-manual').check();
      await teacher.getByTestId('breakout-pick-Anna Weber').selectOption({ index: 1 });
      await teacher.getByTestId('breakout-pick-Clara Neu').selectOption({ index: 1 });
      await teacher.getByTestId('breakout-pick-Ben Schulz').selectOption({ index: 2 });
      await teacher.locator('[data-testid=breakout-form] summary').click();
      await teacher.getByTestId('breakout-name-0').fill('Rot');
      await teacher.getByTestId('breakout-name-1').fill('Blau');
      await teacher.getByTestId('breakout-open').click();

      await expect.poll(() => anna.page.getByTestId('breakout-where').textContent()).toContain('group Rot');
      await expect.poll(() => ben.page.getByTestId('breakout-where').textContent()).toContain('group Blau');
      await seesTiles(anna.page, ['Anna Weber', 'Clara Neu']);
      await seesTiles(ben.page, ['Ben Schulz']);
      await seesTiles(teacher, ['Frau Berg']);
      // Clara (microphone only) sees and hears Anna, Anna hears Clara; nobody else. Ben, alone, receives nothing.
      await receivesExactly(clara, 1);
      await receivesExactly(anna, 0);
      const before = await ben.received();
      await ben.page.waitForTimeout(2_000);
      expect(await ben.received()).toEqual({ videoFrames: 0, audioBytes: 0, videoStreams: 0 });
      expect(before).toEqual({ videoFrames: 0, audioBytes: 0, videoStreams: 0 });
      await shoot(teacher, 'en-breakouts-teacher', { axe: true });
      await shoot(anna.page, 'en-breakouts-student', { axe: true });

      // Ben asks for help; the teacher hears it, visits Blau, and Ben and the teacher see each other.
      await ben.page.getByTestId('breakout-help').click();
      await teacher.getByTestId('breakout-help-requests').getByText('Ben Schulz').waitFor();
      await teacher.getByTestId('breakout-help-requests').getByRole('button', { name: 'Visit' }).click();
      await expect
        .poll(() => teacher.getByTestId('breakout-where').textContent())
        .toContain('visiting group Blau');
      await seesTiles(teacher, ['Ben Schulz', 'Frau Berg']);
      await seesTiles(ben.page, ['Ben Schulz', 'Frau Berg']);
      await ben.receivesMedia({ videoStreams: 1, audio: false });
      await pages.teacher.receivesMedia({ videoStreams: 1, audio: true });
      await seesTiles(anna.page, ['Anna Weber', 'Clara Neu']);

      // A message to every room, then back to the main room, and everyone brought back.
      await teacher.getByTestId('breakout-strip-return').click();
      await seesTiles(teacher, ['Frau Berg']);
      await teacher.getByTestId('breakout-message').fill('Noch zwei Minuten');
      await teacher.getByTestId('breakout-send').click();
      await anna.page.getByTestId('breakout-message-shown').getByText('Noch zwei Minuten').waitFor();
      await teacher.getByTestId('breakout-close').click();
      await ben.page.getByTestId('breakout-closing').waitFor();
      await shoot(ben.page, 'en-breakouts-closing', { axe: true });
      await ben.page.setViewportSize({ width: 390, height: 844 });
      await shoot(ben.page, 'en-breakouts-closing');
      await ben.page.setViewportSize({ width: 1280, height: 800 });

      // The pages counted down from 30 s; the countdown running out is the server's (breakouts.test.ts),
      // so here it is cut short: everyone comes back now, as when the 30 s are over.
      (await aula.services.rooms.peek(classroomId))!.interaction.breakouts.close(0);
      const everyone = ['Anna Weber', 'Ben Schulz', 'Clara Neu', 'Frau Berg'];
      for (const page of Object.values(pages)) await seesTiles(page.page, everyone);
      expect(await anna.page.getByTestId('breakout-strip').count()).toBe(0);
      await Promise.all([
        pages.teacher.receivesMedia({ videoStreams: 2, audio: true }),
        anna.receivesMedia({ videoStreams: 2, audio: true }),
        ben.receivesMedia({ videoStreams: 2, audio: true }),
        clara.receivesMedia({ videoStreams: 3, audio: true }),
      ]);
      expect(findings).toEqual([]);
      expect(logs.filter((line) => levelOf(line) >= 50)).toEqual([]);
    },
  );
});
