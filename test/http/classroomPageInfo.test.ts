import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { ClassroomPageInfo } from '../../src/protocol/index.js';
import { createClassroom, joinedStudent, liveLesson, tokenFor } from '../support/classroomFixtures.js';
import { waitFor, type TestAula } from '../support/testAula.js';
import { suiteAula } from '../support/suiteAula.js';

// What the classroom page reads before its device check: the class, the
// lesson's state and teachers, and whether this user may take part at all.
describe('GET /api/classrooms/:id for the pre-join page', () => {
  let aula: TestAula;
  const clients = suiteAula((started) => (aula = started));

  async function pageInfo(classroomId: string, who: { id: string; role: 'teacher' | 'student' }) {
    const token = await tokenFor(aula, classroomId, who);
    const response = await request(aula.url)
      .get(`/api/classrooms/${classroomId}`)
      .set('Authorization', `Bearer ${token}`);
    expect(response.status).toBe(200);
    return response.body as ClassroomPageInfo;
  }

  it('tells a student the title and that no lesson runs yet', async () => {
    const classroom = await createClassroom(aula, { title: 'Biology 9b' });
    const info = await pageInfo(classroom._id, { id: 'early', role: 'student' });
    expect(info.classroom.title).toBe('Biology 9b');
    expect(info.lesson).toBeNull();
    expect(info.me).toEqual({ role: 'student', name: 'early', removed: false });
  });

  it('names the teachers present in a running lesson', async () => {
    const { classroom, teacher } = await liveLesson(aula, { lobbyEnabled: false });
    clients.push(teacher);
    const info = await waitFor(
      async () => {
        const seen = await pageInfo(classroom._id, { id: 'curious', role: 'student' });
        return seen.lesson?.teachers.length ? seen : undefined;
      },
      { what: 'the teacher in the page info' },
    );
    expect(info.lesson).toMatchObject({ locked: false, teachers: [`teacher-${classroom._id}`] });
    expect(Number.isNaN(Date.parse(info.lesson!.startedAt))).toBe(false);
  });

  it('says a student removed from the running lesson is removed, before they try to join', async () => {
    const { classroom, teacher } = await liveLesson(aula, { lobbyEnabled: false });
    clients.push(teacher);
    const removed = await joinedStudent(aula, classroom._id, { id: 'noisy' });
    clients.push(removed.client);
    expect((await pageInfo(classroom._id, { id: 'noisy', role: 'student' })).me.removed).toBe(false);
    await teacher.request('mod:remove', { participantId: removed.id });
    await waitFor(async () => (await pageInfo(classroom._id, { id: 'noisy', role: 'student' })).me.removed, {
      what: 'the removal in the page info',
    });
    expect((await pageInfo(classroom._id, { id: 'quiet', role: 'student' })).me.removed).toBe(false);
  });
});
