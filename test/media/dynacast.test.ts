import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, launchBrowser, type TestBrowser } from '../support/browser.js';
import { createClassroom, tokenFor } from '../support/classroomFixtures.js';
import { MediaParticipant } from '../support/mediaHarness.js';
import { startTestAula, type TestAula } from '../support/testAula.js';

// Dynacast and what senders put on the wire, in real Chromium against a real worker.

let aula: TestAula;
let browser: TestBrowser;

beforeAll(async () => {
  aula = await startTestAula();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await aula?.stop();
});

type Who = { id: string; role: 'teacher' | 'student' };

async function enter(classroomId: string, who: Who, startsLesson = false) {
  const page = await MediaParticipant.open(browser, aula.url);
  const result = await page.join(aula.url, await tokenFor(aula, classroomId, who));
  if (startsLesson) {
    expect((await page.request('lesson:start')).ok).toBe(true);
    await eventually(
      async () => ((await page.events()).some((e) => e.name === 'lesson:started') ? true : undefined),
      'the lesson to start',
    );
  }
  return { page, self: result.self.id };
}

/** Bytes each simulcast layer (by rid) of a source sent over a window. */
async function sentOver(page: MediaParticipant, source: string, ms = 2_000) {
  const read = async () => (await page.outbound()).find((s) => s.source === source);
  const before = await read();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = await read();
  // Stats list a layer once it sent something, in no particular order.
  return (after?.layers ?? [])
    .map((layer) => ({
      rid: layer.rid,
      bytes: layer.bytesSent - (before?.layers.find((l) => l.rid === layer.rid)?.bytesSent ?? 0),
      frameHeight: layer.frameHeight,
    }))
    .sort((a, b) => (a.rid ?? '').localeCompare(b.rid ?? ''));
}

/** Waits until the layers that send are exactly the first `count`. */
async function sendsLayers(page: MediaParticipant, count: number) {
  let seen: Awaited<ReturnType<typeof sentOver>> = [];
  return eventually(
    async () => {
      seen = await sentOver(page, 'camera', 1_500);
      const sending = [0, 1, 2].map((index) => (seen.find((l) => l.rid === `r${index}`)?.bytes ?? 0) > 500);
      return sending.every((on, index) => on === index < count) ? seen : undefined;
    },
    () => `${count} layer(s) sending (saw ${JSON.stringify(seen)})`,
    30_000,
  );
}

describe('dynacast', () => {
  it('sends only the layers someone consumes: a student shown as a tile captures and sends 427x240', async () => {
    const classroom = await createClassroom(aula, { lobbyEnabled: false });
    const teacher = await enter(classroom._id, { id: 't1', role: 'teacher' }, true);
    const anna = await enter(classroom._id, { id: 's1', role: 'student' });
    const ben = await enter(classroom._id, { id: 's2', role: 'student' });
    await anna.page.camera(1280, 720);
    // Three people, the teacher in the spotlight: Anna is a tile for everyone.
    expect((await teacher.page.request('mod:pin', { participantId: teacher.self })).ok).toBe(true);
    const tile = await sendsLayers(anna.page, 1);
    expect(tile[0]!.frameHeight).toBe(240);

    // Spotlighted, her camera captures more and sends the 480p layer as well.
    expect((await teacher.page.request('mod:pin', { participantId: anna.self })).ok).toBe(true);
    const spotlit = await sendsLayers(anna.page, 2);
    expect(spotlit[1]!.frameHeight).toBe(480);

    // Nobody shows her at all: her camera sends nothing.
    expect((await teacher.page.request('mod:pin', { participantId: teacher.self })).ok).toBe(true);
    await teacher.page.setVisibleTiles([ben.self], null);
    await ben.page.setVisibleTiles([teacher.self], teacher.self);
    await sendsLayers(anna.page, 0);
    for (const participant of [teacher, anna, ben]) await participant.page.close();
  });

  it('with two people present, both send and receive every layer', async () => {
    const classroom = await createClassroom(aula, { lobbyEnabled: false });
    const teacher = await enter(classroom._id, { id: 't1', role: 'teacher' }, true);
    const anna = await enter(classroom._id, { id: 's1', role: 'student' });
    await anna.page.camera(1280, 720);
    // Every encoding switched on (whether a busy machine's encoder can feed them all is its own matter).
    await eventually(async () => {
      const camera = (await anna.page.outbound()).find((s) => s.source === 'camera');
      return camera?.encodings.length === 3 && camera.encodings.every((e) => e.active) ? true : undefined;
    }, 'all three encodings on');
    await eventually(async () => {
      const camera = (await teacher.page.inbound()).find((s) => s.source === 'camera');
      return camera?.frameHeight === 720 ? camera : undefined;
    }, "Anna's camera at 720p");
    for (const participant of [teacher, anna]) await participant.page.close();
  });
});

describe('audio', () => {
  it('sends Opus with in-band FEC and DTX, and a muted microphone sends nothing', async () => {
    const classroom = await createClassroom(aula, { lobbyEnabled: false });
    const teacher = await enter(classroom._id, { id: 't1', role: 'teacher' }, true);
    const anna = await enter(classroom._id, { id: 's1', role: 'student' });
    await anna.page.mic();
    const mic = await eventually(async () => {
      const sent = (await anna.page.outbound()).find((s) => s.source === 'mic');
      return sent?.fmtp ? sent : undefined;
    }, "the microphone's codec");
    expect(mic.fmtp).toMatch(/useinbandfec=1/);
    expect(mic.fmtp).toMatch(/usedtx=1/);
    await eventually(
      async () => ((await sentOver(anna.page, 'mic', 1_000))[0]?.bytes ?? 0) > 0 || undefined,
      'the microphone to send',
    );
    await anna.page.setPaused('mic', true);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await sentOver(anna.page, 'mic', 2_000))[0]?.bytes).toBe(0);
    for (const participant of [teacher, anna]) await participant.page.close();
  });
});
