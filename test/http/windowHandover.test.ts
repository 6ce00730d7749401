import { decodeJwt } from 'jose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LaunchHandoff } from '../../src/lti/launchHandlers.js';
import { LtiBrowser, startWithPlatform } from '../support/ltiBrowser.js';
import type { PlatformSimulator } from '../support/platformSimulator.js';
import type { TestAula } from '../support/testAula.js';

const INSTRUCTOR = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor';
const LEARNER = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner';

describe('the credential for a new window opened from inside the frame', () => {
  let aula: TestAula;
  let platform: PlatformSimulator;
  let student: LaunchHandoff;
  let other: LaunchHandoff;

  beforeAll(async () => {
    ({ aula, platform } = await startWithPlatform());
    // The teachers' first launches create the classrooms; the student then launches into the first.
    await new LtiBrowser(aula.url, platform).enterClassroom({ sub: 't', roles: [INSTRUCTOR] });
    other = await new LtiBrowser(aula.url, platform).enterClassroom({
      sub: 't',
      roles: [INSTRUCTOR],
      resourceLinkId: 'link-2',
    });
    student = await new LtiBrowser(aula.url, platform).enterClassroom({
      sub: 'student-7',
      name: 'Mia Sommer',
      roles: [LEARNER],
    });
  });
  afterAll(async () => {
    await platform?.close();
    await aula?.stop();
  });

  const handOver = (session: { token: string; classroomId: string }, classroomId = session.classroomId) =>
    request(aula.url)
      .post(`/api/classrooms/${classroomId}/handover`)
      .set('Authorization', `Bearer ${session.token}`);
  const redeem = (ticket: string, classroomId?: string) =>
    request(aula.url)
      .post('/api/launch/redeem')
      .send({ ticket, ...(classroomId ? { classroomId } : {}) });

  it('opens the same classroom for the same person, once', async () => {
    const issued = await handOver(student);
    expect(issued.status).toBe(201);
    expect(issued.body.expiresInSeconds).toBeLessThanOrEqual(60);
    const opened = await redeem(issued.body.ticket, student.classroomId);
    expect(opened.status).toBe(200);
    expect(opened.body).toMatchObject({
      classroomId: student.classroomId,
      role: 'student',
      name: 'Mia Sommer',
    });
    const before = decodeJwt(student.token);
    const after = decodeJwt(opened.body.token as string);
    for (const claim of ['sub', 'cid', 'role', 'name', 'lms'] as const)
      expect(after[claim]).toEqual(before[claim]);
    // Its token works on the classroom's API like the frame's.
    const info = await request(aula.url)
      .get(`/api/classrooms/${student.classroomId}`)
      .set('Authorization', `Bearer ${opened.body.token}`);
    expect(info.status).toBe(200);
    expect(info.body.me).toMatchObject({ role: 'student', name: 'Mia Sommer' });

    const again = await redeem(issued.body.ticket, student.classroomId);
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe('TICKET_INVALID');
  });

  it('refuses it for another classroom, and it is spent by the attempt', async () => {
    const issued = await handOver(student);
    const elsewhere = await redeem(issued.body.ticket, other.classroomId);
    expect(elsewhere.status).toBe(401);
    expect(elsewhere.body.error.code).toBe('TICKET_INVALID');
    expect((await redeem(issued.body.ticket, student.classroomId)).status).toBe(401);
  });

  it('expires within a minute', async () => {
    const issued = await handOver(student);
    const record = await aula.database.models.tickets.findById(issued.body.ticket).lean();
    expect(record!.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(60_000);
    // A minute later, as far as the ticket can tell.
    await aula.database.models.tickets.updateOne(
      { _id: issued.body.ticket },
      { $set: { expiresAt: new Date(Date.now() - 1) } },
    );
    expect((await redeem(issued.body.ticket, student.classroomId)).status).toBe(401);
  });

  it('is given only to a page holding a join token for that very classroom', async () => {
    expect((await request(aula.url).post(`/api/classrooms/${student.classroomId}/handover`)).status).toBe(
      401,
    );
    const forged = await request(aula.url)
      .post(`/api/classrooms/${student.classroomId}/handover`)
      .set('Authorization', 'Bearer not-a-token');
    expect(forged.status).toBe(401);
    const foreign = await handOver(student, other.classroomId);
    expect(foreign.status).toBe(403);
  });

  it('is refused once the school switched Aula off', async () => {
    const [registered] = await aula.lti.platforms.list();
    await aula.lti.platforms.setEnabled(registered!.id, false);
    try {
      await expect
        .poll(async () => (await handOver(student)).body.error?.code, { timeout: 10_000 })
        .toBe('SWITCHED_OFF');
    } finally {
      await aula.lti.platforms.setEnabled(registered!.id, true);
    }
  });
});
