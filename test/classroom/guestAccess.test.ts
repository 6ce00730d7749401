import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateLinkName, generatePassword, guestPasswordSchema } from '../../src/classroom/guestRules.js';
import { ClassroomClient } from '../support/classroomClient.js';
import { createClassroom, tokenFor } from '../support/classroomFixtures.js';
import { startTestAula, type TestAula } from '../support/testAula.js';

describe('guest access', () => {
  let aula: TestAula;
  beforeAll(async () => {
    // Behind a proxy, as in production: each test speaks from its own client address.
    aula = await startTestAula({ AULA_TRUST_PROXY: '1' });
  });
  afterAll(async () => {
    await aula?.stop();
  });

  async function teacherOf(classroomId: string) {
    return `Bearer ${await tokenFor(aula, classroomId, { id: 'teacher', role: 'teacher' })}`;
  }

  function join(body: object, ip = '198.51.100.1') {
    return request(aula.url).post('/api/guest/join').set('X-Forwarded-For', ip).send(body);
  }

  it('generates link names of at least 128 random bits and passwords that satisfy the policy', () => {
    for (let i = 0; i < 20; i++) {
      const name = generateLinkName();
      expect(name).toMatch(/^[A-Za-z0-9]{22,32}$/);
      expect(guestPasswordSchema.safeParse(generatePassword()).success).toBe(true);
    }
  });

  it('enforces the password policy and the room name rule', async () => {
    const classroom = await createClassroom(aula);
    const auth = await teacherOf(classroom._id);
    for (const password of ['Short1', 'alllowercase1', 'ALLUPPERCASE1', 'NoDigitsHere']) {
      const response = await request(aula.url)
        .post(`/api/classrooms/${classroom._id}/guest-access`)
        .set('Authorization', auth)
        .send({ enabled: true, password });
      expect(response.status).toBe(400);
    }
    const badName = await request(aula.url)
      .post(`/api/classrooms/${classroom._id}/guest-access`)
      .set('Authorization', auth)
      .send({ enabled: true, linkName: 'no spaces!', password: 'Secret123' });
    expect(badName.status).toBe(400);
  });

  it('stores only an argon2id hash and never sends the password or hash to anyone later', async () => {
    const classroom = await createClassroom(aula);
    const auth = await teacherOf(classroom._id);
    const enabled = await request(aula.url)
      .post(`/api/classrooms/${classroom._id}/guest-access`)
      .set('Authorization', auth)
      .send({ enabled: true, linkName: 'MathsClass7b', password: 'Geheim2024' });
    expect(enabled.status).toBe(200);
    expect(enabled.body.guestAccess).toMatchObject({
      enabled: true,
      linkName: 'MathsClass7b',
      password: 'Geheim2024',
    });
    expect(enabled.body.guestAccess.url).toMatch(/\/join\/MathsClass7b$/);

    const stored = await aula.database.models.classrooms.findById(classroom._id).lean();
    expect(stored?.guestAccess?.passwordHash).toMatch(/^\$argon2id\$/);
    expect(JSON.stringify(stored)).not.toContain('Geheim2024');

    const view = await request(aula.url).get(`/api/classrooms/${classroom._id}`).set('Authorization', auth);
    expect(JSON.stringify(view.body)).not.toMatch(/Geheim2024|argon2/);
  });

  it('admits a guest with the right password to the lobby', async () => {
    const classroom = await createClassroom(aula);
    const auth = await teacherOf(classroom._id);
    await request(aula.url)
      .post(`/api/classrooms/${classroom._id}/guest-access`)
      .set('Authorization', auth)
      .send({ enabled: true, linkName: 'Visit7c', password: 'Welcome2Class' });
    const response = await join({ link: 'Visit7c', password: 'Welcome2Class', displayName: 'Oma Ilse' });
    expect(response.status).toBe(200);
    expect(response.body.classroomId).toBe(classroom._id);
    const client = await ClassroomClient.connect(aula.url, response.body.token);
    try {
      await aula.services.lessons.start(classroom._id, 'lms:test-platform:teacher');
      const result = await client.request('join');
      expect(result).toMatchObject({ status: 'lobby', self: { role: 'guest', displayName: 'Oma Ilse' } });
    } finally {
      client.close();
    }
    // Room names are case-sensitive.
    expect(
      (await join({ link: 'visit7c', password: 'Welcome2Class', displayName: 'x' }, '198.51.100.2')).status,
    ).toBe(401);
  });

  it('keeps a removed guest out when the same browser comes back with the link and password', async () => {
    const classroom = await createClassroom(aula);
    await request(aula.url)
      .post(`/api/classrooms/${classroom._id}/guest-access`)
      .set('Authorization', await teacherOf(classroom._id))
      .send({ enabled: true, linkName: 'Removal9x', password: 'Welcome2Class' });
    const teacher = await ClassroomClient.connect(
      aula.url,
      await tokenFor(aula, classroom._id, { id: 'teacher', role: 'teacher' }),
    );
    const body = { link: 'Removal9x', password: 'Welcome2Class', displayName: 'Uninvited' };
    const first = await join(body, '198.51.100.20');
    const browserCookie = first.headers['set-cookie']!;
    const guest = await ClassroomClient.connect(aula.url, first.body.token);
    try {
      await teacher.request('join');
      await teacher.request('lesson:start');
      const waiting = await guest.request('join');
      await teacher.request('mod:remove', { participantId: waiting.self.id });

      // The same browser (its cookie) with the same link and password: refused before the waiting room.
      const again = await join(body, '198.51.100.20').set('Cookie', browserCookie);
      expect(again.status).toBe(403);
      expect(again.body.error.code).toBe('REMOVED');
    } finally {
      guest.close();
      teacher.close();
    }
  });

  it('changes the guest password when the teacher removes a guest and asks for it', async () => {
    const classroom = await createClassroom(aula);
    await request(aula.url)
      .post(`/api/classrooms/${classroom._id}/guest-access`)
      .set('Authorization', await teacherOf(classroom._id))
      .send({ enabled: true, linkName: 'Removal9y', password: 'Welcome2Class' });
    const teacher = await ClassroomClient.connect(
      aula.url,
      await tokenFor(aula, classroom._id, { id: 'teacher', role: 'teacher' }),
    );
    const body = { link: 'Removal9y', password: 'Welcome2Class', displayName: 'Uninvited' };
    const guest = await ClassroomClient.connect(aula.url, (await join(body, '198.51.100.21')).body.token);
    try {
      await teacher.request('join');
      await teacher.request('lesson:start');
      const waiting = await guest.request('join');
      const removed = await teacher.request('mod:remove', {
        participantId: waiting.self.id,
        changeGuestPassword: true,
      });
      expect(guestPasswordSchema.safeParse(removed.guestPassword).success).toBe(true);
      // A fresh browser with the old password is refused; the new one works.
      expect((await join(body, '198.51.100.22')).status).toBe(401);
      expect((await join({ ...body, password: removed.guestPassword }, '198.51.100.23')).status).toBe(200);
    } finally {
      guest.close();
      teacher.close();
    }
  });

  it('answers an unknown room exactly like a wrong password, in similar time', async () => {
    const classroom = await createClassroom(aula);
    await request(aula.url)
      .post(`/api/classrooms/${classroom._id}/guest-access`)
      .set('Authorization', await teacherOf(classroom._id))
      .send({ enabled: true, linkName: 'RealRoom42', password: 'Correct4Horse' });
    const timed = async (body: object, ip: string) => {
      const started = performance.now();
      const response = await join(body, ip);
      return { response, ms: performance.now() - started };
    };
    const wrong = [];
    const unknown = [];
    for (let i = 0; i < 4; i++) {
      wrong.push(
        await timed({ link: 'RealRoom42', password: 'Wrong4Horse', displayName: 'x' }, `203.0.113.${i}`),
      );
      unknown.push(
        await timed(
          { link: 'NoSuchRoom42', password: 'Wrong4Horse', displayName: 'x' },
          `203.0.113.${100 + i}`,
        ),
      );
    }
    for (const { response } of [...wrong, ...unknown]) {
      expect(response.status).toBe(401);
      expect(response.body).toEqual(wrong[0]!.response.body);
    }
    const median = (runs: { ms: number }[]) =>
      runs.map((run) => run.ms).sort((a, b) => a - b)[Math.floor(runs.length / 2)]!;
    // Both pay for one argon2 verification; without the decoy an unknown room answers many times faster.
    expect(median(unknown)).toBeGreaterThan(median(wrong) * 0.3);
  });

  it('stops new joins with the old password once the teacher changes it', async () => {
    const classroom = await createClassroom(aula);
    const auth = await teacherOf(classroom._id);
    const url = `/api/classrooms/${classroom._id}/guest-access`;
    await request(aula.url)
      .post(url)
      .set('Authorization', auth)
      .send({ enabled: true, linkName: 'ChangeMe5', password: 'OldSecret5' });
    expect(
      (await join({ link: 'ChangeMe5', password: 'OldSecret5', displayName: 'a' }, '10.1.1.1')).status,
    ).toBe(200);
    const changed = await request(aula.url)
      .post(url)
      .set('Authorization', auth)
      .send({ enabled: true, password: 'NewSecret6' });
    expect(changed.body.guestAccess.password).toBe('NewSecret6');
    expect(
      (await join({ link: 'ChangeMe5', password: 'OldSecret5', displayName: 'a' }, '10.1.1.2')).status,
    ).toBe(401);
    expect(
      (await join({ link: 'ChangeMe5', password: 'NewSecret6', displayName: 'a' }, '10.1.1.3')).status,
    ).toBe(200);
    await request(aula.url).post(url).set('Authorization', auth).send({ enabled: false });
    expect(
      (await join({ link: 'ChangeMe5', password: 'NewSecret6', displayName: 'a' }, '10.1.1.4')).status,
    ).toBe(401);
  });

  it('rejects malformed, oversized and unauthorised requests with clear errors', async () => {
    expect((await join({ link: 'x' })).status).toBe(400);
    expect(
      (
        await request(aula.url)
          .post('/api/guest/join')
          .set('Content-Type', 'application/json')
          .send('{"link":')
      ).status,
    ).toBe(400);
    expect((await join({ link: 'a'.repeat(20_000), password: 'x', displayName: 'x' })).status).toBe(413);
    const classroom = await createClassroom(aula);
    const student = `Bearer ${await tokenFor(aula, classroom._id, { id: 's', role: 'student' })}`;
    const forbidden = await request(aula.url)
      .post(`/api/classrooms/${classroom._id}/guest-access`)
      .set('Authorization', student)
      .send({ enabled: true });
    expect(forbidden.status).toBe(403);
    expect(
      (await request(aula.url).post(`/api/classrooms/${classroom._id}/guest-access`).send({ enabled: true }))
        .status,
    ).toBe(401);
    expect((await join({ link: 'Visit7c', password: 'x', displayName: '\u202Eevil' })).status).toBe(400);
  });
});
