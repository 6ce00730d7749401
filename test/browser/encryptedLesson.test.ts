import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, launchUsers, type ContextBrowser } from '../support/browser.js';
import { decryptFrame, frameEpochByte } from '../../client/src/e2ee/frameFormat.js';
import { frameKey, ratchet } from '../../client/src/e2ee/keySchedule.js';
import { createIdentity, unwrapSecret } from '../../client/src/e2ee/keyWrap.js';
import { ClassroomClient } from '../support/classroomClient.js';
import { classroomPageAs, connectAs, createClassroom, tokenFor } from '../support/classroomFixtures.js';
import { securityCode } from '../support/e2eePage.js';
import { LessonPage } from '../support/lessonPage.js';
import { SfuFrameTap, watchMediasoup } from '../support/sfuFrameTap.js';
import { startTestAula, type TestAula } from '../support/testAula.js';

// An end-to-end encrypted lesson in real Chromium pages (the built Vue
// client): keys agreed through the server, every sender and receiver behind
// the frame cipher, media decoded both ways, the same security code on every
// page, a new one when someone joins.

let aula: TestAula;
let users: ContextBrowser;
// Registered before Aula starts its workers: the test reads what the SFU forwards.
const producers = watchMediasoup();

beforeAll(async () => {
  aula = await startTestAula();
  users = await launchUsers();
});

afterAll(async () => {
  await users?.close();
  await aula?.stop();
});

async function open(classroomId: string, who: { id: string; role: 'teacher' | 'student' }) {
  return classroomPageAs(await users.newUser(), aula, classroomId, who);
}

/** An encrypted classroom whose teacher joined (camera, and microphone when asked) and started the lesson. */
async function encryptedLessonWith(teacherId: string, devices: { camera: boolean; mic?: boolean }) {
  const classroom = await createClassroom(aula, {
    lobbyEnabled: false,
    endToEndEncryption: true,
    seatCap: 10,
  });
  const teacher = await open(classroom._id, { id: teacherId, role: 'teacher' });
  await teacher.page.getByTestId('prejoin-e2ee').waitFor();
  await teacher.join(devices);
  await teacher.page.getByTestId('start-lesson').click();
  await eventually(
    async () => ((await teacher.isInLesson()) ? true : undefined),
    'the teacher in the lesson',
  );
  return { classroom, teacher };
}

/** Senders and receivers of the page, and how many have the frame cipher as their transform. */
function behindCipher(page: Page): Promise<{ ends: number; ciphered: number }> {
  return new LessonPage(page, 'chromium', '').cipheredEnds();
}

describe('an end-to-end encrypted lesson in the browser', () => {
  it('decodes video and sound both ways through the frame cipher, with one security code on every page', async () => {
    const { classroom, teacher } = await encryptedLessonWith('teacher', { camera: true, mic: true });
    const anna = await open(classroom._id, { id: 'anna', role: 'student' });
    await anna.join({ camera: true, mic: true });
    await eventually(async () => ((await anna.isInLesson()) ? true : undefined), 'Anna in the lesson');

    await Promise.all([
      teacher.receivesMedia({ videoStreams: 1, audio: true, timeoutMs: 30_000 }),
      anna.receivesMedia({ videoStreams: 1, audio: true, timeoutMs: 30_000 }),
    ]);
    for (const page of [teacher, anna]) {
      // Camera and microphone sent, the other's camera and microphone received: all four ciphered.
      const ends = await behindCipher(page.page);
      expect(ends.ends).toBeGreaterThanOrEqual(4);
      expect(ends.ciphered).toBe(ends.ends);
      expect(await page.page.getByTestId('e2ee-badge').count()).toBe(1);
      expect(await page.page.getByTestId('e2ee-badge').getAttribute('role')).toBe('status');
    }

    const codeOfTwo = await securityCode(teacher.page);
    expect(await securityCode(anna.page)).toBe(codeOfTwo);
    expect(await teacher.page.getByTestId('e2ee-verification').textContent()).toContain('Not verified');
    await teacher.page.getByTestId('e2ee-confirm').click();
    await expect
      .poll(() => teacher.page.getByTestId('e2ee-verification').textContent())
      .toContain('Verified');

    // Ben joins: the code changes on every page, and the teacher's confirmation no longer holds.
    const ben = await open(classroom._id, { id: 'ben', role: 'student' });
    await ben.join({ mic: true });
    await eventually(async () => ((await ben.isInLesson()) ? true : undefined), 'Ben in the lesson');
    const codeOfThree = await securityCode(ben.page);
    expect(codeOfThree).not.toBe(codeOfTwo);
    await expect.poll(() => securityCode(teacher.page)).toBe(codeOfThree);
    await expect.poll(() => securityCode(anna.page)).toBe(codeOfThree);
    expect(await teacher.page.getByTestId('e2ee-verification').textContent()).toContain('Not verified');
    // Ben, after the ratchet, decodes both cameras; the others keep decoding.
    await ben.receivesMedia({ videoStreams: 2, audio: true, timeoutMs: 30_000 });
    await teacher.receivesMedia({ videoStreams: 1, audio: true, timeoutMs: 30_000 });
    for (const page of [teacher, anna, ben]) await page.page.context().close();
  });

  it('forwards frames the SFU cannot read, and a removed member keys open nothing sent after', async () => {
    const { classroom } = await encryptedLessonWith('teacher2', { camera: true });
    const anna = await open(classroom._id, { id: 'anna2', role: 'student' });
    await anna.join({});
    await anna.receivesMedia({ videoStreams: 1, audio: false, timeoutMs: 30_000 });

    // Eve is a member the test plays itself: it holds the keys a member gets, and nothing more.
    const eve = await connectAs(aula, classroom._id, { id: 'eve', role: 'student' });
    const joined = await eve.request('join');
    const identity = await createIdentity();
    await eve.request('e2ee:announce', { publicKey: identity.publicKey });
    const wrapped = await eve.next('e2ee:key');
    const secret = await unwrapSecret(identity, wrapped.blob, {
      from: wrapped.from,
      to: joined.self.id,
      epoch: wrapped.epoch,
    });
    const eveKey = await frameKey(secret);

    if (joined.status !== 'joined') throw new Error('Eve did not join');
    const teacherInfo = joined.room.participants.find((participant) => participant.role === 'teacher')!;
    const camera = producers.find(({ producer }) => producer.id === teacherInfo.sources.camera?.producerId)!;
    expect(camera.producer.appData.encrypted).toBe(true);
    const tap = await SfuFrameTap.open(camera.router, camera.producer.id);
    try {
      const ofEpoch = (epoch: number) =>
        tap.frames.filter((frame) => frameEpochByte(frame) === (epoch & 0xff));
      await eventually(
        async () => (ofEpoch(wrapped.epoch).length >= 20 ? true : undefined),
        () =>
          `frames of epoch ${wrapped.epoch} (tapped ${tap.frames.length}, epochs ${[...new Set(tap.frames.map(frameEpochByte))].join(',')})`,
      );
      // Every frame the SFU forwarded is sealed: it authenticates only under the members' key...
      const sealed = ofEpoch(wrapped.epoch).slice(0, 20);
      const opened = await Promise.all(
        sealed.map((frame) => decryptFrame('video', frame, eveKey, wrapped.epoch)),
      );
      expect(opened.every((frame) => frame !== null)).toBe(true);
      // ...its VP8 header is clear (the SFU's keyframe handling reads it), the rest is not the picture.
      const keyframe = opened.findIndex((frame) => (frame![0]! & 0x01) === 0);
      expect(keyframe).toBeGreaterThanOrEqual(0);
      expect([...sealed[keyframe]!.subarray(3, 6)]).toEqual([0x9d, 0x01, 0x2a]);
      for (const [index, frame] of sealed.entries()) {
        expect(frame.length).toBeGreaterThan(opened[index]!.length);
        expect([...frame.subarray(10, 40)]).not.toEqual([...opened[index]!.subarray(10, 40)]);
      }

      // The teacher removes Eve: a new key; Eve's key and its ratchet open nothing sent after.
      const admin = await ClassroomClient.connect(
        aula.url,
        await tokenFor(aula, classroom._id, { id: 'teacher2', role: 'teacher' }),
      );
      await admin.request('join');
      await admin.request('mod:remove', { participantId: joined.self.id });
      admin.close();
      const later = () => tap.frames.filter((frame) => (frameEpochByte(frame) ?? 0) > (wrapped.epoch & 0xff));
      await eventually(
        async () => (later().length >= 20 ? true : undefined),
        'frames sealed with a newer key',
      );
      const ratcheted = await frameKey(await ratchet(secret));
      for (const frame of later().slice(0, 20)) {
        const epoch = frameEpochByte(frame)!;
        expect(await decryptFrame('video', frame, eveKey, epoch)).toBeNull();
        expect(await decryptFrame('video', frame, ratcheted, epoch)).toBeNull();
      }
      // Anna, still a member, keeps decoding the teacher's camera.
      await anna.receivesMedia({ videoStreams: 1, audio: false, timeoutMs: 30_000 });
    } finally {
      tap.close();
      eve.close();
    }
  });
});
