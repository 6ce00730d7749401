import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { attendanceCsv } from '../../src/classroom/attendanceReport.js';
import { lmsUserKey } from '../../src/classroom/userKeys.js';
import { connectAs, createClassroom, tokenFor } from '../support/classroomFixtures.js';
import type { TestAula } from '../support/testAula.js';
import { suiteAula } from '../support/suiteAula.js';

describe('attendance', () => {
  let aula: TestAula;
  const clients = suiteAula((started) => (aula = started));

  it('records joins and leaves and reports present, late and absent against the roster', async () => {
    const classroom = await createClassroom(aula, { lobbyEnabled: false, lateAfterMinutes: 5 });
    const { models } = aula.database;
    const teacher = await connectAs(aula, classroom._id, {
      id: 'teacher',
      role: 'teacher',
      name: 'Frau Berg',
    });
    clients.push(teacher);
    await teacher.request('join');
    const { lessonId } = await teacher.request('lesson:start');
    const ontime = await connectAs(aula, classroom._id, { id: 'ontime', role: 'student', name: 'Ada' });
    clients.push(ontime);
    await ontime.request('join');
    // Two tabs of one student count once.
    const secondTab = await connectAs(aula, classroom._id, { id: 'ontime', role: 'student', name: 'Ada' });
    clients.push(secondTab);
    await secondTab.request('join');
    await secondTab.request('leave');
    await aula.services.writes.settled();

    // A student who came 10 minutes late (written as the room would, with an earlier lesson start).
    await models.lessons.updateOne(
      { _id: lessonId },
      { $set: { startedAt: new Date(Date.now() - 15 * 60_000) } },
    );
    await models.attendance.updateMany(
      { lessonId, userKey: lmsUserKey('test-platform', 'ontime') },
      {
        $set: { joinedAt: new Date(Date.now() - 14 * 60_000) },
      },
    );
    const late = await connectAs(aula, classroom._id, { id: 'late', role: 'student', name: 'Ben' });
    clients.push(late);
    await late.request('join');

    await models.rosters.create({
      _id: `test-platform:d1:${classroom.contextId}`,
      members: [
        { lmsUserId: 'ontime', name: 'Ada', role: 'student', active: true },
        { lmsUserId: 'late', name: 'Ben', role: 'student', active: true },
        { lmsUserId: 'absent', name: 'Cem', role: 'student', active: true },
        { lmsUserId: 'teacher', name: 'Frau Berg', role: 'teacher', active: true },
      ],
      fetchedAt: new Date(),
      expiresAt: new Date(Date.now() + 60_000),
    });
    await teacher.request('lesson:end');
    await aula.services.writes.settled();

    const auth = `Bearer ${await tokenFor(aula, classroom._id, { id: 'teacher', role: 'teacher' })}`;
    const report = await request(aula.url)
      .get(`/api/classrooms/${classroom._id}/attendance?lesson=${lessonId}`)
      .set('Authorization', auth);
    expect(report.status).toBe(200);
    const byName = Object.fromEntries(
      report.body.entries.map((entry: { displayName: string }) => [entry.displayName, entry]),
    );
    // One interval per person: the second tab shared the first one's.
    expect(byName.Ada).toMatchObject({ status: 'present', role: 'student', joins: 1 });
    expect(byName.Ada.minutes).toBeGreaterThanOrEqual(13.9);
    expect(byName.Ada.minutes).toBeLessThan(15);
    expect(byName.Ben).toMatchObject({ status: 'late', role: 'student' });
    expect(byName.Cem).toMatchObject({ status: 'absent', minutes: 0 });
    expect(byName['Frau Berg']).toMatchObject({ status: 'present', role: 'teacher' });

    const csv = await request(aula.url)
      .get(`/api/classrooms/${classroom._id}/attendance.csv?lesson=${lessonId}`)
      .set('Authorization', auth);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.headers['content-disposition']).toMatch(/attachment; filename="attendance-/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe('name,lms_user_id,role,status,first_joined,last_left,minutes,joins');
    expect(lines.find((line) => line.startsWith('Cem,'))).toMatch(/^Cem,absent,expected,absent,,,0,0$/);

    const student = `Bearer ${await tokenFor(aula, classroom._id, { id: 'ontime', role: 'student' })}`;
    expect(
      (
        await request(aula.url)
          .get(`/api/classrooms/${classroom._id}/attendance`)
          .set('Authorization', student)
      ).status,
    ).toBe(403);
  });

  it('lists past lessons with duration and attendees, and says who is still present in a running one', async () => {
    const classroom = await createClassroom(aula, { lobbyEnabled: false });
    const teacher = await connectAs(aula, classroom._id, { id: 'teacher', role: 'teacher', name: 'T' });
    clients.push(teacher);
    await teacher.request('join');
    const first = await teacher.request('lesson:start');
    const student = await connectAs(aula, classroom._id, { id: 'kim', role: 'student', name: 'Kim' });
    clients.push(student);
    await student.request('join');
    await teacher.request('lesson:end');
    await teacher.request('join');
    const second = await teacher.request('lesson:start');
    await student.request('join');
    await aula.services.writes.settled();

    const auth = `Bearer ${await tokenFor(aula, classroom._id, { id: 'teacher', role: 'teacher' })}`;
    const history = await request(aula.url)
      .get(`/api/classrooms/${classroom._id}/lessons`)
      .set('Authorization', auth);
    expect(history.status).toBe(200);
    expect(history.body.lessons).toMatchObject([
      { id: second.lessonId, status: 'live', attendees: 1, endedAt: null },
      { id: first.lessonId, status: 'ended', attendees: 1, durationMinutes: 0 },
    ]);
    // The ended lesson's attendance stays reachable after the next one started.
    const csv = await request(aula.url)
      .get(`/api/classrooms/${classroom._id}/attendance.csv?lesson=${first.lessonId}`)
      .set('Authorization', auth);
    expect(csv.text).toMatch(/^Kim,kim,student,present,[^,]+,\d{4}-/m);
    const running = await request(aula.url)
      .get(`/api/classrooms/${classroom._id}/attendance.csv?lesson=${second.lessonId}`)
      .set('Authorization', auth);
    expect(running.text).toMatch(/^Kim,kim,student,present,[^,]+,still present,/m);
  });

  it('neutralises spreadsheet formulas in exported names', () => {
    const csv = attendanceCsv([
      {
        userKey: 'u',
        displayName: '=HYPERLINK("x")',
        role: 'guest',
        status: 'present',
        minutes: 1,
        joins: 1,
      },
    ]);
    expect(csv.split('\r\n')[1]).toBe(`"'=HYPERLINK(""x"")",,guest,present,,still present,1,1`);
  });
});
