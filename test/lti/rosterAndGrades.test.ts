import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attendanceScore } from '../../src/lti/GradePublisher.js';
import { ClassroomClient } from '../support/classroomClient.js';
import { LtiBrowser, startWithPlatform } from '../support/ltiBrowser.js';
import type { PlatformSimulator } from '../support/platformSimulator.js';
import { waitFor, type TestAula } from '../support/testAula.js';

const INSTRUCTOR = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor';
const LEARNER = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner';

describe('roster (NRPS) and grades (AGS)', () => {
  let aula: TestAula;
  let platform: PlatformSimulator;

  beforeAll(async () => {
    ({ aula, platform } = await startWithPlatform());
    for (let i = 1; i <= 23; i++)
      platform.memberships.push({
        user_id: `s${i}`,
        name: `Student ${i}`,
        roles: [LEARNER],
        status: 'Active',
      });
    platform.memberships.push({ user_id: 'gone', name: 'Gone', roles: [LEARNER], status: 'Inactive' });
    platform.memberships.push({
      user_id: 'teacher',
      name: 'Frau Berg',
      roles: [INSTRUCTOR],
      status: 'Active',
    });
  });
  /** The course's teacher opens the activity behind a resource link. */
  const teacherIn = (resourceLinkId: string) =>
    new LtiBrowser(aula.url, platform).enterClassroom({
      sub: 'teacher',
      name: 'Frau Berg',
      roles: [INSTRUCTOR],
      resourceLinkId,
    });

  afterAll(async () => {
    await platform?.close();
    await aula?.stop();
  });

  it('scores minutes against the threshold with the attendance state', () => {
    expect(attendanceScore(45, 30, 'present')).toEqual({
      scoreGiven: 100,
      comment: 'Present: 45 of 30 minutes',
    });
    expect(attendanceScore(15, 30, 'late')).toEqual({ scoreGiven: 50, comment: 'Late: 15 of 30 minutes' });
    expect(attendanceScore(0, 30, 'absent')).toEqual({ scoreGiven: 0, comment: 'Absent: 0 of 30 minutes' });
  });

  it('fetches every page of the roster once, then serves it from the cache', async () => {
    const teacher = await teacherIn('roster-link');
    const auth = `Bearer ${teacher.token}`;
    const first = await request(aula.url)
      .get(`/api/classrooms/${teacher.classroomId}/roster`)
      .set('Authorization', auth);
    expect(first.status).toBe(200);
    // 25 members in pages of 10: three requests; the inactive member is left out.
    expect(platform.membershipPageRequests).toHaveLength(3);
    expect(first.body.members).toHaveLength(24);
    expect(first.body.members.filter((m: { role: string }) => m.role === 'student')).toHaveLength(23);
    expect(first.body.members[0]).toMatchObject({ lmsUserId: 's1', name: 'Student 1', status: 'expected' });
    await request(aula.url).get(`/api/classrooms/${teacher.classroomId}/roster`).set('Authorization', auth);
    expect(platform.membershipPageRequests).toHaveLength(3);
  });

  it('publishes attendance to a line item after the lesson, retrying when the platform fails once', async () => {
    const teacher = await teacherIn('graded-link');
    const auth = `Bearer ${teacher.token}`;
    const settings = await request(aula.url)
      .patch(`/api/classrooms/${teacher.classroomId}`)
      .set('Authorization', auth)
      .send({ grading: { enabled: true, thresholdMinutes: 30 }, lobbyEnabled: false });
    expect(settings.status).toBe(200);
    expect(settings.body.classroom.grading).toEqual({ enabled: true, thresholdMinutes: 30, available: true });

    const student = await new LtiBrowser(aula.url, platform).enterClassroom({
      sub: 's1',
      name: 'Student 1',
      roles: [LEARNER],
      resourceLinkId: 'graded-link',
    });
    const teacherSocket = await ClassroomClient.connect(aula.url, teacher.token);
    const studentSocket = await ClassroomClient.connect(aula.url, student.token);
    try {
      await teacherSocket.request('join');
      const { lessonId } = await teacherSocket.request('lesson:start');
      await studentSocket.request('join');
      await aula.services.writes.settled();
      // Ten minutes of lesson, written as the clock would have.
      await aula.database.models.attendance.updateMany(
        { lessonId },
        { $set: { joinedAt: new Date(Date.now() - 10 * 60_000) } },
      );
      platform.failures.lineItems = 1;
      platform.failures.scores = 1;
      const started = Date.now();
      await teacherSocket.request('lesson:end');
      // Ending the lesson does not wait for the LMS.
      expect(Date.now() - started).toBeLessThan(3000);

      await waitFor(
        async () => (await aula.database.models.gradeJobs.findById(lessonId).lean())?.attempts === 1,
        {
          what: 'the first, failing attempt',
        },
      );
      // Each retry comes after a back-off; bring it forward instead of waiting for it.
      await waitFor(
        async () => {
          const job = await aula.database.models.gradeJobs.findById(lessonId).lean();
          if (job?.status === 'pending' && job.nextAttemptAt > new Date()) {
            await aula.database.models.gradeJobs.updateOne(
              { _id: lessonId },
              { $set: { nextAttemptAt: new Date() } },
            );
            aula.lti.grades.kick();
          }
          return job?.status === 'done';
        },
        { what: 'grades to be published', timeoutMs: 20_000 },
      );
      const job = await aula.database.models.gradeJobs.findById(lessonId).lean();
      expect(job?.attempts).toBeGreaterThanOrEqual(2);
      // One line item despite the retries.
      expect(platform.lineItems).toHaveLength(1);
      expect(platform.lineItems[0]!.body).toMatchObject({
        scoreMaximum: 100,
        tag: 'aula-attendance',
        resourceId: lessonId,
      });
      const scores = Object.fromEntries(platform.scores.map((score) => [score.body.userId, score.body]));
      expect(scores.s1).toMatchObject({
        scoreGiven: 33,
        scoreMaximum: 100,
        activityProgress: 'Completed',
        gradingProgress: 'FullyGraded',
      });
      expect(String(scores.s1!.comment)).toMatch(/^Present: 10 of 30 minutes$/);
      expect(scores.s2).toMatchObject({ scoreGiven: 0, comment: 'Absent: 0 of 30 minutes' });
      expect(scores.teacher).toBeUndefined();
      expect(Object.keys(scores)).toHaveLength(23);
    } finally {
      teacherSocket.close();
      studentSocket.close();
    }
  });

  it('fetches the roster with a new access token when the platform refused the cached one', async () => {
    const teacher = await teacherIn('revoked-roster-link');
    const roster = () =>
      request(aula.url)
        .get(`/api/classrooms/${teacher.classroomId}/roster`)
        .set('Authorization', `Bearer ${teacher.token}`);
    expect((await roster()).status).toBe(200);
    // The LMS admin revokes the tool's tokens; a student enrols; the cached roster grows old.
    platform.revokeAccessTokens();
    platform.memberships.push({ user_id: 'late', name: 'Late Student', roles: [LEARNER], status: 'Active' });
    await aula.database.models.rosters.updateMany({}, { $set: { fetchedAt: new Date(0) } });
    const tokensBefore = platform.tokenRequests;
    const refreshed = await roster();
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.members).toContainEqual(expect.objectContaining({ lmsUserId: 'late' }));
    expect(platform.tokenRequests - tokensBefore).toBe(1);
  });

  it('publishes grades with a new access token when the platform refused the cached one', async () => {
    const teacher = await teacherIn('revoked-grades-link');
    await request(aula.url)
      .patch(`/api/classrooms/${teacher.classroomId}`)
      .set('Authorization', `Bearer ${teacher.token}`)
      .send({ grading: { enabled: true, thresholdMinutes: 30 }, lobbyEnabled: false })
      .expect(200);
    const teacherSocket = await ClassroomClient.connect(aula.url, teacher.token);
    try {
      await teacherSocket.request('join');
      const { lessonId } = await teacherSocket.request('lesson:start');
      // Aula holds a token from the earlier publishing; the platform no longer accepts it.
      platform.revokeAccessTokens();
      const tokensBefore = platform.tokenRequests;
      const lineItemsBefore = platform.lineItems.length;
      await teacherSocket.request('lesson:end');
      await waitFor(
        async () => (await aula.database.models.gradeJobs.findById(lessonId).lean())?.status === 'done',
        { what: 'grades published on the first attempt', timeoutMs: 15_000 },
      );
      expect((await aula.database.models.gradeJobs.findById(lessonId).lean())?.attempts).toBe(1);
      expect(platform.lineItems).toHaveLength(lineItemsBefore + 1);
      // One new token for each scope the publishing uses (line items, scores), none fetched twice.
      const fetched = platform.tokenScopes.slice(tokensBefore);
      expect(fetched.length).toBeGreaterThanOrEqual(1);
      expect(new Set(fetched).size).toBe(fetched.length);
    } finally {
      teacherSocket.close();
    }
  });
});
