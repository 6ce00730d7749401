import { afterEach, describe, expect, it } from 'vitest';
import type { ClassroomClient } from '../../support/classroomClient.js';
import { expectFailure } from '../../support/classroomClient.js';
import { connectAs, createClassroom, joinedStudent, liveLesson } from '../../support/classroomFixtures.js';
import { suiteAula } from '../../support/suiteAula.js';
import type { TestAula } from '../../support/testAula.js';

// The server's side of an encrypted lesson: it relays opaque key blobs only
// from the key leader to a member of the same group, never an old epoch, and
// takes only producers the page encrypts, in VP8 or Opus.

let instance: TestAula;
const aula = () => instance;
suiteAula((started) => (instance = started));
const clients: ClassroomClient[] = [];
afterEach(() => clients.splice(0).forEach((client) => client.close()));

const KEY = (fill: string) => fill.repeat(43).slice(0, 43);
const BLOB = 'A'.repeat(80);
const opus = {
  codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }],
  encodings: [{ ssrc: 11111111 }],
};
const h264 = {
  codecs: [
    {
      mimeType: 'video/H264',
      payloadType: 102,
      clockRate: 90000,
      parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f', 'level-asymmetry-allowed': 1 },
    },
  ],
  encodings: [{ ssrc: 22222222 }],
};

async function encryptedLesson() {
  const lesson = await liveLesson(aula(), { lobbyEnabled: false, endToEndEncryption: true, seatCap: 10 });
  clients.push(lesson.teacher);
  const anna = await joinedStudent(aula(), lesson.classroom._id, { id: 'anna' });
  const ben = await joinedStudent(aula(), lesson.classroom._id, { id: 'ben' });
  clients.push(anna.client, ben.client);
  await lesson.teacher.request('e2ee:announce', { publicKey: KEY('t') });
  await anna.client.request('e2ee:announce', { publicKey: KEY('a') });
  await ben.client.request('e2ee:announce', { publicKey: KEY('b') });
  await ben.client.next('e2ee:members', (update) => update.members.length === 3);
  return { ...lesson, anna, ben };
}

describe('an encrypted lesson on the server', () => {
  it('names the teacher key leader and tells every member who holds which public key', async () => {
    const { teacher, teacherId, anna, ben } = await encryptedLesson();
    const update = await anna.client.next('e2ee:members', (each) => each.members.length === 3);
    expect(update.leaderId).toBe(teacherId);
    expect(update.members).toEqual([
      { participantId: teacherId, publicKey: KEY('t') },
      { participantId: anna.id, publicKey: KEY('a') },
      { participantId: ben.id, publicKey: KEY('b') },
    ]);
    // The leader's wrapped key reaches Anna alone, as sent.
    await teacher.request('e2ee:sendKey', { to: anna.id, epoch: 1, blob: BLOB });
    expect(await anna.client.next('e2ee:key')).toEqual({ from: teacherId, epoch: 1, blob: BLOB });
    // The teacher leaves: the member present longest leads, and everyone hears it.
    teacher.close();
    const after = await ben.client.next('e2ee:members', (each) =>
      each.members.every((member) => member.participantId !== teacherId),
    );
    expect(after.leaderId).toBe(anna.id);
    expect(after.epoch).toBe(1);
  });

  it('refuses keys from anyone but the leader, to anyone outside the group, and replayed epochs', async () => {
    const { teacher, teacherId, classroom, anna, ben } = await encryptedLesson();
    expect(
      (await expectFailure(anna.client.request('e2ee:sendKey', { to: ben.id, epoch: 1, blob: BLOB }))).code,
    ).toBe('NOT_KEY_LEADER');
    expect(
      (await expectFailure(teacher.request('e2ee:sendKey', { to: 'someone-else', epoch: 1, blob: BLOB })))
        .code,
    ).toBe('NO_MEMBER_KEY');
    expect(
      (await expectFailure(teacher.request('e2ee:sendKey', { to: teacherId, epoch: 1, blob: BLOB }))).code,
    ).toBe('NO_MEMBER_KEY');
    // Someone of another classroom is no member either.
    const other = await liveLesson(aula(), { lobbyEnabled: false, endToEndEncryption: true, seatCap: 10 });
    clients.push(other.teacher);
    await other.teacher.request('e2ee:announce', { publicKey: KEY('o') });
    expect(
      (await expectFailure(teacher.request('e2ee:sendKey', { to: other.teacherId, epoch: 1, blob: BLOB })))
        .code,
    ).toBe('NO_MEMBER_KEY');
    await teacher.request('e2ee:sendKey', { to: ben.id, epoch: 4, blob: BLOB });
    for (const epoch of [4, 3]) {
      expect(
        (await expectFailure(teacher.request('e2ee:sendKey', { to: ben.id, epoch, blob: BLOB }))).code,
      ).toBe('STALE_KEY');
    }
    // Malformed keys and blobs never reach anyone.
    for (const payload of [
      { to: ben.id, epoch: 5, blob: 'A'.repeat(300) },
      { to: ben.id, epoch: 5, blob: 'not base64url!' },
      { to: ben.id, epoch: 0, blob: BLOB },
    ]) {
      expect((await expectFailure(teacher.request('e2ee:sendKey', payload))).code).toBe('BAD_REQUEST');
    }
    expect((await expectFailure(anna.client.request('e2ee:announce', { publicKey: 'short' }))).code).toBe(
      'BAD_REQUEST',
    );
    expect(classroom.endToEndEncryption).toBe(true);
  });

  it('refuses unencrypted producers and codecs other than VP8 and Opus, and takes encrypted Opus', async () => {
    const { anna } = await encryptedLesson();
    const { id: transportId } = await anna.client.request('createTransport', { direction: 'send' });
    const produce = (extra: object) =>
      anna.client.request('produce', {
        transportId,
        kind: 'audio',
        rtpParameters: opus,
        source: 'mic',
        ...extra,
      });
    expect((await expectFailure(produce({}))).code).toBe('ENCRYPTION_REQUIRED');
    expect((await expectFailure(produce({ encrypted: false }))).code).toBe('ENCRYPTION_REQUIRED');
    expect(
      (
        await expectFailure(
          anna.client.request('produce', {
            transportId,
            kind: 'video',
            rtpParameters: h264,
            source: 'camera',
            encrypted: true,
          }),
        )
      ).code,
    ).toBe('ENCRYPTION_REQUIRED');
    expect((await produce({ encrypted: true })).producerId).toBeTruthy();
  });

  it('refuses key traffic in a lesson that is not encrypted', async () => {
    const lesson = await liveLesson(aula());
    clients.push(lesson.teacher);
    expect((await expectFailure(lesson.teacher.request('e2ee:announce', { publicKey: KEY('t') }))).code).toBe(
      'ENCRYPTION_OFF',
    );
  });

  it('keeps encryption to classrooms of 25 seats, switched between lessons, guests only when allowed', async () => {
    await expect(createClassroom(aula(), { seatCap: 30, endToEndEncryption: true })).rejects.toMatchObject({
      code: 'ENCRYPTION_SEAT_LIMIT',
    });
    const lesson = await liveLesson(aula(), { lobbyEnabled: false, seatCap: 10 });
    clients.push(lesson.teacher);
    const room = await aula().services.rooms.peek(lesson.classroom._id);
    await expect(room!.applySettings({ endToEndEncryption: true })).rejects.toMatchObject({
      code: 'WRONG_STATE',
    });

    const encrypted = await liveLesson(aula(), {
      lobbyEnabled: false,
      endToEndEncryption: true,
      seatCap: 10,
    });
    clients.push(encrypted.teacher);
    const guest = await connectAs(aula(), encrypted.classroom._id, { id: 'g1', role: 'guest' });
    clients.push(guest);
    expect((await expectFailure(guest.request('join'))).code).toBe('ENCRYPTION_NOT_FOR_GUESTS');
    await aula().services.classrooms.update(encrypted.classroom._id, { encryptedGuestsAllowed: true });
    await (await aula().services.rooms.peek(encrypted.classroom._id))!.applySettings({});
    const admitted = await connectAs(aula(), encrypted.classroom._id, { id: 'g2', role: 'guest' });
    clients.push(admitted);
    expect((await admitted.request('join')).status).toBe('lobby');
  });
});
