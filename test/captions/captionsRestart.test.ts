import { describe, expect, it } from 'vitest';
import { expectFailure, type ClassroomClient } from '../support/classroomClient.js';
import { connectAs, createClassroom } from '../support/classroomFixtures.js';
import { suiteAula } from '../support/suiteAula.js';
import { startTestAula, type TestAula } from '../support/testAula.js';

// The captioners a teacher chose and the transcript switch are kept with the
// lesson's record: the process that takes the lesson over (a restart, a move
// to another node) still has them; the next lesson starts without them.

let aula: TestAula;
const clients: ClassroomClient[] = suiteAula((started) => (aula = started));
const track = <T extends ClassroomClient>(client: T) => {
  clients.push(client);
  return client;
};

async function joined(on: TestAula, classroomId: string, id: string, role: 'teacher' | 'student') {
  const client = track(await connectAs(on, classroomId, { id, role, name: id }));
  const result = await client.request('join');
  if (result.status !== 'joined') throw new Error(`${id} did not join: ${result.status}`);
  return { client, id: result.self.id };
}

describe('captioners and the transcript across a restart', () => {
  it('keeps the captioner role and the transcript switch when another process takes the lesson over', async () => {
    const classroom = await createClassroom(aula, { lobbyEnabled: false });
    const other = await startTestAula({ MONGODB_URI: aula.mongoUri });
    let lessonId: string;
    try {
      const teacher = track(await connectAs(other, classroom._id, { id: 'teacher-c', role: 'teacher' }));
      await teacher.request('join');
      lessonId = (await teacher.request('lesson:start')).lessonId;
      const cara = await joined(other, classroom._id, 'cara', 'student');
      await teacher.request('captions:captioner', { participantId: cara.id, allowed: true });
      await teacher.request('captions:transcript', { keep: true });
      await cara.client.request('captions:send', { text: 'Before the restart.' });
      await other.close();
    } finally {
      await other.close();
    }

    const teacher = await joined(aula, classroom._id, 'teacher-c', 'teacher');
    const cara = await joined(aula, classroom._id, 'cara', 'student');
    const reader = await joined(aula, classroom._id, 'reader', 'student');
    const { state } = await reader.client.request('captions:enable', { enabled: true });
    expect(state).toMatchObject({ enabled: true, captioners: [cara.id], transcript: true });

    // Cara still types captions here, and the transcript still keeps them.
    const { line } = await cara.client.request('captions:send', { text: 'After the restart.' });
    expect(await reader.client.next('captions:line')).toEqual(line);
    await aula.services.writes.settled();
    const kept = await aula.services.transcripts.lesson(classroom._id, lessonId);
    expect(kept.map((entry) => entry.text)).toEqual(['Before the restart.', 'After the restart.']);

    // Taking the role back and stopping the transcript hold on this process too.
    await teacher.client.request('captions:captioner', { participantId: cara.id, allowed: false });
    await teacher.client.request('captions:transcript', { keep: false });
    expect(await expectFailure(cara.client.request('captions:send', { text: 'not any more' }))).toMatchObject(
      { code: 'PERMISSION_DENIED' },
    );
    await aula.services.writes.settled();
    const record = await aula.database.models.lessons.findById(lessonId).lean();
    expect(record).toMatchObject({ captionerUserKeys: [], keepTranscript: false });
  });

  it('starts the next lesson without the last lesson’s captioners or transcript', async () => {
    const classroom = await createClassroom(aula, { lobbyEnabled: false });
    const teacher = {
      client: track(await connectAs(aula, classroom._id, { id: 'teacher-n', role: 'teacher' })),
    };
    await teacher.client.request('join');
    await teacher.client.request('lesson:start');
    const nora = await joined(aula, classroom._id, 'nora', 'student');
    await teacher.client.request('captions:captioner', { participantId: nora.id, allowed: true });
    await teacher.client.request('captions:transcript', { keep: true });
    await teacher.client.request('lesson:end');

    await teacher.client.request('join');
    await teacher.client.request('lesson:start');
    const again = await nora.client.request('join');
    if (again.status !== 'joined') throw new Error(`nora did not join: ${again.status}`);
    const { state } = await nora.client.request('captions:enable', { enabled: true });
    expect(state).toMatchObject({ captioners: [], transcript: false });
    expect(await expectFailure(nora.client.request('captions:send', { text: 'no role' }))).toMatchObject({
      code: 'PERMISSION_DENIED',
    });
  });
});
