import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JoinResult } from '../../src/protocol/index.js';
import { eventually, launchBrowser, type TestBrowser } from '../support/browser.js';
import { createClassroom, tokenFor } from '../support/classroomFixtures.js';
import { MediaParticipant } from '../support/mediaHarness.js';
import { startTestAula, type TestAula } from '../support/testAula.js';

// Real WebRTC end to end: mediasoup-client in headless Chromium with fake
// devices, against Aula's signalling and a real mediasoup worker.

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

type Who = { id: string; role: 'teacher' | 'student'; name?: string };

async function enter(classroomId: string, who: Who): Promise<{ page: MediaParticipant; self: string }> {
  const page = await MediaParticipant.open(browser, aula.url);
  const result: JoinResult = await page.join(aula.url, await tokenFor(aula, classroomId, who));
  expect(result.status).toBe('joined');
  return { page, self: result.self.id };
}

/** The teacher arrives before the lesson exists, starts it, and is let in by the start. */
async function startLesson(classroomId: string, teacher: Who) {
  const page = await MediaParticipant.open(browser, aula.url);
  const waiting = await page.join(aula.url, await tokenFor(aula, classroomId, teacher));
  expect(waiting.status).toBe('lobby');
  expect((await page.request('lesson:start')).ok).toBe(true);
  await eventually(
    async () => ((await page.events()).some((e) => e.name === 'lesson:started') ? true : undefined),
    'the lesson to start',
  );
  return { page, self: waiting.self.id };
}

/** Decoded video and received audio from each of the given participants. */
async function receivesFrom(page: MediaParticipant, owners: string[]) {
  return eventually(
    async () => {
      const stats = await page.inbound();
      const ok = owners.every(
        (owner) =>
          stats.some((s) => s.participantId === owner && s.kind === 'video' && s.framesDecoded > 5) &&
          stats.some((s) => s.participantId === owner && s.kind === 'audio' && s.packetsReceived > 10),
      );
      return ok ? stats : undefined;
    },
    `media from ${owners.join(', ')}`,
  );
}

/** Bytes of one owner's camera received over a short window. */
async function cameraBytesOver(page: MediaParticipant, owner: string, ms = 2_000): Promise<number> {
  const read = async () =>
    (await page.inbound()).find((s) => s.participantId === owner && s.source === 'camera')?.bytesReceived ??
    0;
  const before = await read();
  await new Promise((resolve) => setTimeout(resolve, ms));
  return (await read()) - before;
}

async function cameraHeight(page: MediaParticipant, owner: string, height: number) {
  let seen: number | undefined;
  return eventually(
    async () => {
      const stats = await page.inbound();
      const camera = stats.find((s) => s.participantId === owner && s.source === 'camera');
      seen = camera?.frameHeight;
      return camera?.frameHeight === height ? camera : undefined;
    },
    () => `${owner}'s camera at ${height}p (last seen ${String(seen)}p)`,
  );
}

describe('media between real browsers', () => {
  it('two, then three participants send and receive audio and video, with layers by room size and spotlight', async () => {
    const classroom = await createClassroom(aula, { lobbyEnabled: false });
    const teacher = await startLesson(classroom._id, { id: 't1', role: 'teacher', name: 'Teacher' });
    const anna = await enter(classroom._id, { id: 's1', role: 'student', name: 'Anna' });
    for (const participant of [teacher, anna]) {
      await participant.page.camera(640, 360);
      await participant.page.mic();
    }
    // Simulcast: the camera goes out as a 240p tile layer and the captured 360p.
    const sent = await eventually(async () => {
      const camera = (await anna.page.outbound()).find((s) => s.source === 'camera');
      return camera && camera.layers.length === 2 && camera.layers.every((l) => l.frameHeight > 0)
        ? camera
        : undefined;
    }, 'two simulcast layers');
    expect(sent.layers.map((l) => l.frameHeight).sort((a, b) => a - b)).toEqual([240, 360]);

    await receivesFrom(teacher.page, [anna.self]);
    await receivesFrom(anna.page, [teacher.self]);
    // Only two people: each gets the other's top layer.
    await cameraHeight(anna.page, teacher.self, 360);
    await cameraHeight(teacher.page, anna.self, 360);

    const ben = await enter(classroom._id, { id: 's2', role: 'student', name: 'Ben' });
    await ben.page.camera(640, 360);
    await ben.page.mic();
    await receivesFrom(ben.page, [teacher.self, anna.self]);
    await receivesFrom(anna.page, [teacher.self, ben.self]);
    await receivesFrom(teacher.page, [anna.self, ben.self]);

    // Three people. Fake microphones all beep, so active-speaker detection
    // would move the spotlight at random: the teacher pins it instead.
    expect((await teacher.page.request('mod:pin', { participantId: teacher.self })).ok).toBe(true);
    await cameraHeight(anna.page, teacher.self, 360);
    await cameraHeight(anna.page, ben.self, 240);
    await cameraHeight(ben.page, anna.self, 240);

    // Pinning Ben makes him the spotlight: he goes up, the teacher's tile goes down.
    expect((await teacher.page.request('mod:pin', { participantId: ben.self })).ok).toBe(true);
    await cameraHeight(anna.page, ben.self, 360);
    await cameraHeight(anna.page, teacher.self, 240);
    await cameraHeight(teacher.page, ben.self, 360);
    await cameraHeight(teacher.page, anna.self, 240);

    // Ben leaves: two again, and the remaining pair get each other's top layer.
    await ben.page.close();
    await cameraHeight(anna.page, teacher.self, 360);
    await cameraHeight(teacher.page, anna.self, 360);

    await anna.page.close();
    await teacher.page.close();
  });

  it('pauses the consumers of tiles a client does not show, and resumes them when shown', async () => {
    const classroom = await createClassroom(aula, { lobbyEnabled: false });
    const teacher = await startLesson(classroom._id, { id: 't1', role: 'teacher' });
    const anna = await enter(classroom._id, { id: 's1', role: 'student' });
    const ben = await enter(classroom._id, { id: 's2', role: 'student' });
    for (const participant of [teacher, anna, ben]) await participant.page.camera(320, 240);
    await receivesFromVideo(ben.page, [teacher.self, anna.self]);

    // Ben shows only the teacher: Anna's video stops reaching him, the teacher's does not.
    await ben.page.setVisibleTiles([teacher.self], teacher.self);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await cameraBytesOver(ben.page, anna.self)).toBe(0);
    expect(await cameraBytesOver(ben.page, teacher.self)).toBeGreaterThan(1_000);

    await ben.page.setVisibleTiles([teacher.self, anna.self], teacher.self);
    await eventually(
      async () => ((await cameraBytesOver(ben.page, anna.self, 1_000)) > 1_000 ? true : undefined),
      "Anna's video again",
    );
    for (const participant of [teacher, anna, ben]) await participant.page.close();
  });

  it('in lecture mode, student cameras reach only teachers', async () => {
    const classroom = await createClassroom(aula, { lobbyEnabled: false });
    const teacher = await startLesson(classroom._id, { id: 't1', role: 'teacher' });
    const anna = await enter(classroom._id, { id: 's1', role: 'student' });
    const ben = await enter(classroom._id, { id: 's2', role: 'student' });
    for (const participant of [teacher, anna, ben]) await participant.page.camera(320, 240);
    await receivesFromVideo(anna.page, [teacher.self, ben.self]);

    expect((await teacher.page.request('mod:settings', { lectureMode: true })).ok).toBe(true);
    await eventually(
      async () => ((await anna.page.inbound()).some((s) => s.participantId === ben.self) ? undefined : true),
      "Ben's camera to leave Anna's page",
    );
    await receivesFromVideo(teacher.page, [anna.self, ben.self]);
    expect(await cameraBytesOver(anna.page, teacher.self)).toBeGreaterThan(1_000);

    expect((await teacher.page.request('mod:settings', { lectureMode: false })).ok).toBe(true);
    await receivesFromVideo(anna.page, [ben.self]);
    for (const participant of [teacher, anna, ben]) await participant.page.close();
  });

  it('a removed participant loses its transports and cannot rejoin', async () => {
    const classroom = await createClassroom(aula, { lobbyEnabled: false });
    const teacher = await startLesson(classroom._id, { id: 't1', role: 'teacher' });
    const anna = await enter(classroom._id, { id: 's1', role: 'student' });
    await anna.page.camera(320, 240);
    await receivesFromVideo(teacher.page, [anna.self]);
    const server = aula.workerPool.workers[0]!.webRtcServer;
    const before = (await server.dump()).webRtcTransportIds.length;

    expect((await teacher.page.request('mod:remove', { participantId: anna.self })).ok).toBe(true);
    await eventually(
      async () => ((await anna.page.events()).some((e) => e.name === 'removed') ? true : undefined),
      'the removed event',
    );
    await eventually(
      async () => ((await server.dump()).webRtcTransportIds.length === before - 2 ? true : undefined),
      "Anna's two transports to close",
    );
    await eventually(
      async () => ((await anna.page.connectionState()) === 'closed' ? true : undefined),
      "Anna's socket to be closed by the server",
    );
    // The teacher's consumer of Anna went with her producer.
    await eventually(
      async () =>
        (await teacher.page.inbound()).some((s) => s.participantId === anna.self) ? undefined : true,
      "Anna's tile to disappear",
    );

    const again = await MediaParticipant.open(browser, aula.url);
    const rejoin = await again
      .join(aula.url, await tokenFor(aula, classroom._id, { id: 's1', role: 'student' }))
      .then(
        () => 'joined',
        (error: Error) => error.message,
      );
    expect(rejoin).toMatch(/removed you/);
    await again.close();
    await anna.page.close();
    await teacher.page.close();
  });

  it('a student without the permission cannot share a screen; the teacher can', async () => {
    const classroom = await createClassroom(aula, { lobbyEnabled: false });
    const teacher = await startLesson(classroom._id, { id: 't1', role: 'teacher' });
    const anna = await enter(classroom._id, { id: 's1', role: 'student' });

    expect(await anna.page.publishCanvas('screen')).toEqual({ ok: false, code: 'PERMISSION_DENIED' });
    expect(await teacher.page.publishCanvas('screen')).toEqual({ ok: true });
    const screen = await eventually(async () => {
      const stats = await anna.page.inbound();
      return stats.find((s) => s.source === 'screen' && s.framesDecoded > 3);
    }, "the teacher's screen at Anna");
    // Native resolution, not a tile layer.
    expect(screen.frameHeight).toBe(720);

    // The teacher allows screen sharing: now Anna can.
    expect(
      (await teacher.page.request('mod:settings', { studentPermissions: { screenShare: true } })).ok,
    ).toBe(true);
    expect(await anna.page.publishCanvas('screen')).toEqual({ ok: true });
    await anna.page.close();
    await teacher.page.close();
  });

  it('brings media back after the worker process is killed', async () => {
    const classroom = await createClassroom(aula, { lobbyEnabled: false });
    const teacher = await startLesson(classroom._id, { id: 't1', role: 'teacher' });
    const anna = await enter(classroom._id, { id: 's1', role: 'student' });
    for (const participant of [teacher, anna]) {
      await participant.page.camera(320, 240);
      await participant.page.mic();
    }
    await receivesFrom(anna.page, [teacher.self]);
    const oldPid = aula.workerPool.workers[0]!.pid;

    aula.workerPool.killWorker(0);
    await eventually(
      async () => ((await anna.page.events()).some((e) => e.name === 'media:reconnect') ? true : undefined),
      'the media:reconnect event',
    );
    expect(aula.workerPool.workers[0]!.pid).not.toBe(oldPid);
    // New consumers on the new worker, decoding again, both ways; nobody lost their place.
    await receivesFrom(anna.page, [teacher.self]);
    await receivesFrom(teacher.page, [anna.self]);
    const seats = await aula.services.seats.occupied((await aula.services.lessons.live(classroom._id))!._id);
    expect(seats).toBe(1);
    await anna.page.close();
    await teacher.page.close();
  });
});

async function receivesFromVideo(page: MediaParticipant, owners: string[]) {
  return eventually(
    async () => {
      const stats = await page.inbound();
      return owners.every((owner) =>
        stats.some((s) => s.participantId === owner && s.kind === 'video' && s.framesDecoded > 3),
      )
        ? stats
        : undefined;
    },
    `video from ${owners.join(', ')}`,
  );
}
