import { describe, expect, it } from 'vitest';
import { suiteAula } from '../../support/suiteAula.js';
import { expectFailure } from '../../support/classroomClient.js';
import { connectAs, joinedStudent, liveLesson } from '../../support/classroomFixtures.js';
import { type TestAula } from '../../support/testAula.js';

describe('moderation', () => {
  let aula: TestAula;
  const clients = suiteAula((started) => (aula = started));

  it('removes every tab of a student and keeps them out', async () => {
    const { classroom, teacher } = await liveLesson(aula);
    clients.push(teacher);
    const inLesson = await joinedStudent(aula, classroom._id, { id: 'twotabs' });
    const secondTab = await joinedStudent(aula, classroom._id, { id: 'twotabs' });
    const both = [inLesson.client.disconnected(), secondTab.client.disconnected()];
    await teacher.request('mod:remove', { participantId: inLesson.id });
    await Promise.all(both);
    const again = await connectAs(aula, classroom._id, { id: 'twotabs', role: 'student' });
    clients.push(again);
    expect((await expectFailure(again.request('join'))).code).toBe('REMOVED');
    // A refused participant gets no fresh token to come back with, and nothing else either.
    expect((await expectFailure(again.request('session:refresh'))).code).toBe('REMOVED');
    expect((await expectFailure(again.request('join'))).code).toBe('REMOVED');
  });

  it('removes a student whose connection dropped, who then cannot come back', async () => {
    const { classroom, teacher } = await liveLesson(aula);
    clients.push(teacher);
    const student = await joinedStudent(aula, classroom._id, { id: 'dropped' });
    student.client.close();
    await teacher.next('participantUpdated', (p) => p.id === student.id && p.away);
    await teacher.request('mod:remove', { participantId: student.id });
    const again = await connectAs(aula, classroom._id, { id: 'dropped', role: 'student' });
    clients.push(again);
    expect((await expectFailure(again.request('join'))).code).toBe('REMOVED');
  });

  it('refuses to remove a teacher', async () => {
    const { classroom, teacher, teacherId } = await liveLesson(aula);
    clients.push(teacher);
    const second = await connectAs(aula, classroom._id, { id: 'co-teacher', role: 'teacher' });
    clients.push(second);
    await second.request('join');
    expect((await expectFailure(second.request('mod:remove', { participantId: teacherId }))).code).toBe(
      'CANNOT_REMOVE_TEACHER',
    );
  });

  it('gives the floor to one student at a time, who may then unmute although students may not', async () => {
    const { classroom, teacher } = await liveLesson(aula, {
      lobbyEnabled: false,
      studentPermissions: { unmute: false },
    });
    clients.push(teacher);
    const anna = await joinedStudent(aula, classroom._id, { id: 'anna' });
    const ben = await joinedStudent(aula, classroom._id, { id: 'ben' });
    clients.push(anna.client, ben.client);
    await anna.client.request('hand:raise');
    const annaMay = anna.client.next('permissionsChanged', (p) => p.unmute);
    await teacher.request('mod:giveFloor', { participantId: anna.id });
    await annaMay;
    const updated = await teacher.next('participantUpdated', (p) => p.id === anna.id && p.hasFloor);
    expect(updated.handRaisedAt).toBeNull();

    const annaMayNot = anna.client.next('permissionsChanged', (p) => !p.unmute);
    const benMay = ben.client.next('permissionsChanged', (p) => p.unmute);
    await teacher.request('mod:giveFloor', { participantId: ben.id });
    await Promise.all([annaMayNot, benMay]);
  });
});
