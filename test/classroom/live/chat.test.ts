import { describe, expect, it } from 'vitest';
import { suiteAula } from '../../support/suiteAula.js';
import { expectFailure } from '../../support/classroomClient.js';
import { connectAs, joinedStudent, liveLesson } from '../../support/classroomFixtures.js';
import { waitFor, type TestAula } from '../../support/testAula.js';

describe('chat', () => {
  let aula: TestAula;
  const clients = suiteAula((started) => (aula = started));

  it('delivers public messages to everyone and private ones only to sender and recipient', async () => {
    const { classroom, teacher, teacherId } = await liveLesson(aula);
    clients.push(teacher);
    const anna = await joinedStudent(aula, classroom._id, { id: 'anna', name: 'Anna' });
    const ben = await joinedStudent(aula, classroom._id, { id: 'ben', name: 'Ben' });
    clients.push(anna.client, ben.client);

    const seenByBen = ben.client.next('chat:message', (m) => m.text === 'hello all');
    await anna.client.request('chat:send', { text: 'hello all' });
    expect((await seenByBen).from).toEqual({ id: anna.id, displayName: 'Anna' });

    const seenByTeacher = teacher.next('chat:message', (m) => m.text === 'a question');
    const sent = await anna.client.request('chat:send', { text: 'a question', to: teacherId });
    expect(sent.message.to?.id).toBe(teacherId);
    expect((await seenByTeacher).from.id).toBe(anna.id);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(ben.client.events.some((e) => (e.payload as { text?: string }).text === 'a question')).toBe(false);
    expect((await expectFailure(anna.client.request('chat:send', { text: 'x', to: 'nobody' }))).code).toBe(
      'UNKNOWN_PARTICIPANT',
    );
  });

  it('keeps the recipient’s name in the history after the recipient left', async () => {
    const { classroom, teacher, teacherId } = await liveLesson(aula);
    const anna = await joinedStudent(aula, classroom._id, { id: 'anna2', name: 'Anna' });
    await anna.client.request('chat:send', { text: 'private note', to: teacherId });
    await teacher.request('leave');
    await anna.client.request('leave');
    await waitFor(async () => (await aula.services.rooms.peek(classroom._id))?.participantCount === 0, {
      what: 'everyone to leave',
    });

    const again = await connectAs(aula, classroom._id, { id: 'anna2', role: 'student', name: 'Anna' });
    clients.push(again);
    const result = await again.request('join');
    if (result.status !== 'joined') throw new Error('expected to join');
    const note = result.chat.find((message) => message.text === 'private note');
    expect(note?.to?.displayName).toBe(`teacher-${classroom._id}`);
  });

  it('keeps chat and hands working while media recovers from a dead worker', async () => {
    const { classroom, teacher } = await liveLesson(aula);
    clients.push(teacher);
    const anna = await joinedStudent(aula, classroom._id, { id: 'anna3' });
    clients.push(anna.client);
    const room = await aula.services.rooms.peek(classroom._id);
    const participant = room!.ctx.roster.get(anna.id)!;

    aula.workerPool.killWorker(0);
    await waitFor(() => room!.groups.of(participant)!.media.find(participant) === undefined, {
      what: 'media to be lost',
      intervalMs: 5,
    });
    const [chat, hand] = await Promise.all([
      anna.client.request('chat:send', { text: 'still talking' }),
      anna.client.request('hand:raise'),
    ]);
    expect(chat.message.text).toBe('still talking');
    expect(hand.queue).toEqual([anna.id]);
    await anna.client.next('media:reconnect');
  });
});
