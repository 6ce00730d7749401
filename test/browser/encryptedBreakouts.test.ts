import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { E2eeEvents } from '../../src/protocol/index.js';
import { decryptFrame, frameEpochByte } from '../../client/src/e2ee/frameFormat.js';
import { frameKey, ratchet } from '../../client/src/e2ee/keySchedule.js';
import { createIdentity, unwrapSecret, type Identity } from '../../client/src/e2ee/keyWrap.js';
import { eventually, launchUsers, type ContextBrowser } from '../support/browser.js';
import type { ClassroomClient } from '../support/classroomClient.js';
import { classroomPageAs, connectAs, createClassroom } from '../support/classroomFixtures.js';
import { LessonPage } from '../support/lessonPage.js';
import { SfuFrameTap, watchMediasoup } from '../support/sfuFrameTap.js';
import { startTestAula, type TestAula } from '../support/testAula.js';

// Breakout groups of an end-to-end encrypted lesson: each group agrees on a
// key of its own. What the SFU forwards in a group opens under that group's
// key only: not under any key the main room's members were given (nor their
// ratchets), so nobody outside the group can read it.

let aula: TestAula;
let users: ContextBrowser;
const producers = watchMediasoup();

beforeAll(async () => {
  aula = await startTestAula();
  users = await launchUsers();
});

afterAll(async () => {
  await users?.close();
  await aula?.stop();
});

/** Every media secret a socket member was handed (and could open), as the test plays that member. */
interface Member {
  client: ClassroomClient;
  id: string;
  secrets: Array<{ epoch: number; secret: Uint8Array<ArrayBuffer> }>;
  identity: Identity;
}

/** A member that announces a key pair and keeps every media secret it can open. */
async function member(classroomId: string, name: string): Promise<Member> {
  const client = await connectAs(aula, classroomId, { id: name, role: 'student' });
  const joined = await client.request('join');
  if (joined.status !== 'joined') throw new Error(`${name} did not join`);
  const self: Member = { client, id: joined.self.id, secrets: [], identity: await createIdentity() };
  client.socket.on('e2ee:key', (message: E2eeEvents['e2ee:key']) => {
    const context = { from: message.from, to: self.id, epoch: message.epoch };
    unwrapSecret(self.identity, message.blob, context).then(
      (secret) => self.secrets.push({ epoch: message.epoch, secret }),
      () => undefined,
    );
  });
  await client.request('e2ee:announce', { publicKey: self.identity.publicKey });
  await eventually(async () => (self.secrets.length ? true : undefined), `${name}'s first key`);
  return self;
}

/** Frame keys for the epoch byte `byte`: each secret ratcheted forward to it (a join ratchets everyone). */
async function keysFor(secrets: Member['secrets'], byte: number): Promise<CryptoKey[]> {
  const keys: CryptoKey[] = [];
  for (const { epoch, secret } of secrets) {
    let current = secret;
    for (let step = epoch; step <= epoch + 8; step += 1) {
      if ((step & 0xff) === byte) keys.push(await frameKey(current));
      current = await ratchet(current);
    }
  }
  return keys;
}

async function opensWith(frame: Uint8Array, secrets: Member['secrets']): Promise<boolean> {
  const byte = frameEpochByte(frame);
  if (byte === undefined) return false;
  for (const key of await keysFor(secrets, byte))
    if (await decryptFrame('video', frame, key, byte)) return true;
  return false;
}

describe('breakout groups of an encrypted lesson', () => {
  it('seal a group media with the group own key, which no key of the main room opens', async () => {
    const classroom = await createClassroom(aula, {
      lobbyEnabled: false,
      endToEndEncryption: true,
      seatCap: 10,
    });
    const teacher = await connectAs(aula, classroom._id, { id: 'bt', role: 'teacher' });
    await teacher.request('join');
    await teacher.request('lesson:start');
    const pages = [];
    for (const name of ['anna', 'ben']) {
      const page = await classroomPageAs(await users.newUser(), aula, classroom._id, {
        id: name,
        role: 'student',
      });
      await page.join({ camera: true });
      await eventually(async () => ((await page.isInLesson()) ? true : undefined), `${name} in the lesson`);
      pages.push(page);
    }
    const [anna, ben] = pages as [(typeof pages)[0], (typeof pages)[0]];
    await anna.receivesMedia({ videoStreams: 1, audio: false, timeoutMs: 30_000 });
    // Eve stays in the main room and keeps every key it is given; Carl goes into the group.
    const eve = await member(classroom._id, 'eve');
    const carl = await member(classroom._id, 'carl');
    try {
      const room = (await aula.services.rooms.peek(classroom._id))!;
      const idOf = (name: string) =>
        room.groups.main.members.inLesson().find((each) => each.identity.displayName === name)!.id;
      const [annaId, benId] = [idOf('anna'), idOf('ben')];
      await teacher.request('breakout:open', {
        groups: 2,
        names: ['Rot', 'Blau'],
        assignment: 'manual',
        manual: { [annaId]: 0, [benId]: 0, [carl.id]: 0 },
      });
      // The group's cameras, tapped as soon as the SFU has them: from their first frames on.
      const taps: SfuFrameTap[] = [];
      const closeTaps = () => taps.forEach((tap) => tap.close());
      try {
        const [group] = room.groups.breakoutGroups();
        const cameras = await eventually(async () => {
          const ids = group!.members.inLesson().map(
            (each) =>
              group!.media
                .find(each)
                ?.producers()
                .find(([source]) => source === 'camera')?.[1].id,
          );
          const found = producers.filter(({ producer }) => ids.includes(producer.id));
          return found.length === 2 ? found : undefined;
        }, 'both cameras in the group');
        for (const { router, producer } of cameras) taps.push(await SfuFrameTap.open(router, producer.id));

        await carl.client.next('breakout:moved');
        // Carl announces a new key pair in the group once a page did (the first to announce leads).
        await carl.client.next(
          'e2ee:members',
          ({ members }) =>
            !members.some((each) => each.participantId === eve.id) &&
            members.some((each) => [annaId, benId].includes(each.participantId)),
          30_000,
        );
        const groupKeys: Member['secrets'] = [];
        carl.identity = await createIdentity();
        carl.secrets = groupKeys;
        await carl.client.request('e2ee:announce', { publicKey: carl.identity.publicKey });
        await eventually(async () => (groupKeys.length ? true : undefined), 'the group key for Carl');

        // Anna and Ben see each other in the group, every sender and receiver behind the cipher.
        await anna.receivesMedia({ videoStreams: 1, audio: false, timeoutMs: 30_000 });
        await ben.receivesMedia({ videoStreams: 1, audio: false, timeoutMs: 30_000 });
        for (const page of [anna, ben]) {
          const ends = await new LessonPage(page.page, 'chromium', '').cipheredEnds();
          expect(ends.ciphered).toBe(ends.ends);
        }

        // Carl holds the group's key from his join on (not before: a join ratchets it).
        const carlFrom = Math.min(...groupKeys.map((key) => key.epoch)) & 0xff;
        const carlCan = (tap: SfuFrameTap) =>
          tap.frames.filter((frame) => frameEpochByte(frame)! >= carlFrom);
        await eventually(
          async () => (taps.every((tap) => carlCan(tap).length >= 20) ? true : undefined),
          'frames of both group cameras under the key Carl holds',
        );
        for (const tap of taps) {
          for (const frame of carlCan(tap).slice(0, 20)) expect(await opensWith(frame, groupKeys)).toBe(true);
          // No frame since the group began opens under any key the main room's members hold.
          expect(tap.frames.length).toBeGreaterThan(20);
          for (const frame of tap.frames) expect(await opensWith(frame, eve.secrets)).toBe(false);
        }
      } finally {
        closeTaps();
      }
    } finally {
      eve.client.close();
      carl.client.close();
      teacher.close();
      for (const page of pages) await page.page.context().close();
    }
  });
});
