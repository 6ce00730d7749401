import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { suiteAula } from '../../support/suiteAula.js';
import { lmsUserKey } from '../../../src/classroom/userKeys.js';
import { expectFailure } from '../../support/classroomClient.js';
import { connectAs, tokenFor } from '../../support/classroomFixtures.js';
import { type TestAula } from '../../support/testAula.js';

describe('a school switching Aula off', () => {
  let aula: TestAula;
  // A short lease makes the heartbeat (a third of it) notice a switch-off within a second or two.
  const clients = suiteAula((started) => (aula = started), { AULA_SEAT_LEASE_SECONDS: '3' });

  async function schoolClassroom(issuer: string) {
    const platform = await aula.lti.platforms.register(
      {
        issuer,
        clientId: 'aula',
        name: 'School LMS',
        authenticationEndpoint: `${issuer}/auth`,
        accessTokenEndpoint: `${issuer}/token`,
        keysetUrl: `${issuer}/keys`,
        deployments: ['d1'],
      },
      'manual',
    );
    const classroom = await aula.services.classrooms.create(
      { platformId: platform._id, deploymentId: 'd1', contextId: 'course' },
      { title: 'Physics', seatCap: 10 },
      lmsUserKey(platform._id, 'teacher'),
    );
    await aula.services.classrooms.update(classroom._id, { lobbyEnabled: false });
    return { platform, classroom };
  }

  async function inLesson(classroomId: string) {
    const teacher = await connectAs(aula, classroomId, { id: 'teacher', role: 'teacher' });
    const student = await connectAs(aula, classroomId, { id: 'student', role: 'student' });
    clients.push(teacher, student);
    await teacher.request('join');
    await teacher.request('lesson:start');
    await teacher.next('lesson:started');
    await student.request('join');
    return { teacher, student };
  }

  it('ends live lessons, refuses joins, token refreshes, lesson starts and the classroom API', async () => {
    const { platform, classroom } = await schoolClassroom('https://lms.school-one.example');
    const { teacher, student } = await inLesson(classroom._id);
    const ended = student.next('lesson:ended', () => true, 20_000);

    await aula.lti.platforms.setEnabled(platform._id, false);
    expect((await ended).reason).toBe('admin');
    expect((await expectFailure(teacher.request('session:refresh'))).code).toBe('SWITCHED_OFF');
    expect((await expectFailure(teacher.request('join'))).code).toBe('SWITCHED_OFF');
    const newcomer = await connectAs(aula, classroom._id, { id: 'newcomer', role: 'student' });
    clients.push(newcomer);
    expect((await expectFailure(newcomer.request('join'))).code).toBe('SWITCHED_OFF');

    const auth = `Bearer ${await tokenFor(aula, classroom._id, { id: 'teacher', role: 'teacher' })}`;
    const page = await request(aula.url).get(`/api/classrooms/${classroom._id}`).set('Authorization', auth);
    expect(page.status).toBe(403);
    expect(page.body.error.code).toBe('SWITCHED_OFF');

    // Switched on again, the school's classroom works as before.
    await aula.lti.platforms.setEnabled(platform._id, true);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const back = await request(aula.url).get(`/api/classrooms/${classroom._id}`).set('Authorization', auth);
    expect(back.status).toBe(200);
  });

  it('does the same when only the deployment is switched off', async () => {
    const { platform, classroom } = await schoolClassroom('https://lms.school-two.example');
    const { student } = await inLesson(classroom._id);
    const ended = student.next('lesson:ended', () => true, 20_000);
    await aula.lti.platforms.updateDeployment(platform._id, 'd1', { enabled: false });
    expect((await ended).reason).toBe('admin');
    expect((await expectFailure(student.request('session:refresh'))).code).toBe('SWITCHED_OFF');
  });
});
