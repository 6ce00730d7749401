import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { suiteAula } from '../../support/suiteAula.js';
import { expectFailure } from '../../support/classroomClient.js';
import {
  connectAs,
  createClassroom,
  joinedStudent,
  lessonWithStudents,
  tokenFor,
} from '../../support/classroomFixtures.js';
import { type TestAula } from '../../support/testAula.js';

describe('polls', () => {
  let aula: TestAula;
  const clients = suiteAula((started) => (aula = started));

  it('counts one answer per person, lets them change it until it closes, and shows results live to the teacher', async () => {
    const { classroom, teacher, students } = await lessonWithStudents(aula, ['Ada', 'Ben'], clients);
    const [ada, ben] = students;
    const { pollId } = await teacher.request('poll:start', {
      question: 'Which planet is largest?',
      kind: 'single',
      options: ['Mars', 'Jupiter', 'Venus'],
      anonymous: false,
      guestsMayAnswer: false,
    });
    const shown = await ada!.client.next('poll:updated', (poll) => poll.id === pollId);
    expect(shown).toMatchObject({ options: ['Mars', 'Jupiter', 'Venus'], closed: false, mine: null });

    await ada!.client.request('poll:answer', { pollId, choices: [0] });
    await ada!.client.request('poll:answer', { pollId, choices: [1] });
    // Her second tab is the same person: it replaces her answer, it does not add one.
    const adaAgain = await joinedStudent(aula, classroom._id, { id: 'Ada', name: 'Ada' });
    clients.push(adaAgain.client);
    await adaAgain.client.request('poll:answer', { pollId, choices: [1] });
    await ben!.client.request('poll:answer', { pollId, choices: [2] });
    const live = await teacher.next('poll:results', (results) => results.answered === 2);
    expect(live.counts).toEqual([0, 1, 1]);
    expect(live.voters).toEqual(
      expect.arrayContaining([
        { name: 'Ada', choices: [1] },
        { name: 'Ben', choices: [2] },
      ]),
    );
    // Students see no results (and never who chose what) until the teacher shares them.
    expect(ben!.client.events.some((event) => event.name === 'poll:results')).toBe(false);
    expect((await expectFailure(ben!.client.request('poll:answer', { pollId, choices: [0, 1] }))).code).toBe(
      'BAD_REQUEST',
    );

    await teacher.request('poll:close', { pollId });
    expect((await expectFailure(ben!.client.request('poll:answer', { pollId, choices: [0] }))).code).toBe(
      'POLL_CLOSED',
    );
    const shared = ben!.client.next('poll:results');
    await teacher.request('poll:share', { pollId, shared: true });
    const seen = await shared;
    expect(seen).toMatchObject({ answered: 2, counts: [0, 1, 1] });
    expect(seen.voters).toBeUndefined();
    expect((await expectFailure(ben!.client.request('poll:close', { pollId }))).code).toBe(
      'PERMISSION_DENIED',
    );
  });

  it('keeps anonymous answers without names and keeps polls with the lesson for its history and CSV', async () => {
    const { classroom, teacher, students, lessonId } = await lessonWithStudents(
      aula,
      ['Cem', 'Dua'],
      clients,
    );
    const { pollId } = await teacher.request('poll:start', {
      question: 'How sure are you?',
      kind: 'scale',
      anonymous: true,
      guestsMayAnswer: true,
    });
    await students[0]!.client.request('poll:answer', { pollId, choices: [4] });
    await students[1]!.client.request('poll:answer', { pollId, choices: [2] });
    const results = await teacher.next('poll:results', (r) => r.answered === 2);
    expect(results.voters).toBeUndefined();
    await teacher.request('lesson:end');
    await aula.services.writes.settled();

    const auth = `Bearer ${await tokenFor(aula, classroom._id, { id: 'teacher', role: 'teacher' })}`;
    const history = await request(aula.url)
      .get(`/api/classrooms/${classroom._id}/lessons/${lessonId}/polls`)
      .set('Authorization', auth);
    expect(history.status).toBe(200);
    expect(history.body.polls).toMatchObject([
      { id: pollId, kind: 'scale', options: ['1', '2', '3', '4', '5'], answered: 2, counts: [0, 0, 1, 0, 1] },
    ]);
    expect(history.body.polls[0].closedAt).not.toBeNull();
    expect(JSON.stringify(history.body)).not.toMatch(/Cem|Dua/);
    const csv = await request(aula.url)
      .get(`/api/classrooms/${classroom._id}/lessons/${lessonId}/polls.csv`)
      .set('Authorization', auth);
    expect(csv.text.split('\r\n')[0]).toBe('question,started,option,count,name');
    expect(csv.text).not.toMatch(/Cem|Dua/);
    const student = `Bearer ${await tokenFor(aula, classroom._id, { id: 'Cem', role: 'student' })}`;
    const refused = await request(aula.url)
      .get(`/api/classrooms/${classroom._id}/lessons/${lessonId}/polls`)
      .set('Authorization', student);
    expect(refused.status).toBe(403);
  });

  // A timed poll closing by itself is checked over a fake classroom (rules/interaction.test.ts).
  it("refuses a guest's answer when the teacher said guests do not answer", async () => {
    const { classroom, teacher } = await lessonWithStudents(aula, [], clients);
    const guest = await connectAs(aula, classroom._id, { id: 'g1', role: 'guest', name: 'Visitor' });
    clients.push(guest);
    await guest.request('join');
    const waiting = await teacher.next('lobby:changed', (event) => event.lobby.length === 1);
    await teacher.request('lobby:admit', { participantId: waiting.lobby[0]!.id });
    const { pollId } = await teacher.request('poll:start', {
      question: 'Ready?',
      kind: 'yesNo',
      anonymous: false,
      guestsMayAnswer: false,
      durationSeconds: 10,
    });
    expect((await expectFailure(guest.request('poll:answer', { pollId, choices: [0] }))).code).toBe(
      'POLL_NOT_FOR_GUESTS',
    );
  });

  it('refuses malformed, oversized, unauthorised and out-of-place poll requests with typed errors', async () => {
    const { classroom, teacher, students, lessonId } = await lessonWithStudents(aula, ['Eda'], clients);
    const student = students[0]!.client;
    const start = {
      question: 'Is it raining?',
      kind: 'single' as const,
      options: ['yes', 'no', 'maybe'],
      anonymous: true,
      guestsMayAnswer: false,
    };
    const refusals: Array<[() => Promise<unknown>, string]> = [
      [() => student.request('poll:start', start), 'PERMISSION_DENIED'],
      [() => teacher.request('poll:start', { ...start, options: undefined }), 'BAD_REQUEST'],
      [() => teacher.request('poll:start', { ...start, kind: 'yesNo', options: ['a', 'b'] }), 'BAD_REQUEST'],
      [() => teacher.request('poll:start', { ...start, question: 'x'.repeat(301) }), 'BAD_REQUEST'],
      [() => teacher.request('poll:start', { ...start, options: Array(9).fill('o') }), 'BAD_REQUEST'],
      [() => teacher.request('poll:start', { ...start, extra: true } as never), 'BAD_REQUEST'],
      [() => teacher.request('poll:start', { ...start, question: 'x'.repeat(200_000) }), 'PAYLOAD_TOO_LARGE'],
    ];
    for (const [send, code] of refusals) expect((await expectFailure(send())).code).toBe(code);

    const { pollId } = await teacher.request('poll:start', start);
    for (const [send, code] of [
      [() => teacher.request('poll:start', start), 'POLL_RUNNING'],
      [() => student.request('poll:answer', { pollId, choices: [5] }), 'BAD_REQUEST'],
      [() => student.request('poll:answer', { pollId, choices: [0, 1] }), 'BAD_REQUEST'],
      [() => student.request('poll:answer', { pollId: 'nope', choices: [0] }), 'UNKNOWN_POLL'],
      [() => student.request('poll:share', { pollId, shared: true }), 'PERMISSION_DENIED'],
      [() => student.request('poll:close', { pollId }), 'PERMISSION_DENIED'],
      [() => teacher.request('poll:share', { pollId: 'nope', shared: true }), 'UNKNOWN_POLL'],
    ] as const)
      expect((await expectFailure(send())).code).toBe(code);
    await teacher.request('poll:close', { pollId });
    expect((await expectFailure(student.request('poll:answer', { pollId, choices: [0] }))).code).toBe(
      'POLL_CLOSED',
    );

    // A lesson's polls are read only through its own classroom, by its teachers.
    const other = await createClassroom(aula);
    const otherTeacher = `Bearer ${await tokenFor(aula, other._id, { id: 'other-teacher', role: 'teacher' })}`;
    for (const path of ['polls', 'polls.csv']) {
      const foreign = await request(aula.url)
        .get(`/api/classrooms/${other._id}/lessons/${lessonId}/${path}`)
        .set('Authorization', otherTeacher);
      expect({ path, status: foreign.status, code: foreign.body.error?.code }).toEqual({
        path,
        status: 404,
        code: 'NO_LESSON',
      });
    }
    const auth = `Bearer ${await tokenFor(aula, classroom._id, { id: 'teacher', role: 'teacher' })}`;
    const unknown = await request(aula.url)
      .get(`/api/classrooms/${classroom._id}/lessons/nope/polls`)
      .set('Authorization', auth);
    expect(unknown.status).toBe(404);
    const studentAuth = `Bearer ${await tokenFor(aula, classroom._id, { id: 'Eda', role: 'student' })}`;
    const refusedCsv = await request(aula.url)
      .get(`/api/classrooms/${classroom._id}/lessons/${lessonId}/polls.csv`)
      .set('Authorization', studentAuth);
    expect(refusedCsv.status).toBe(403);
    const anonymous = await request(aula.url).get(
      `/api/classrooms/${classroom._id}/lessons/${lessonId}/polls`,
    );
    expect(anonymous.status).toBe(401);
  });
});
