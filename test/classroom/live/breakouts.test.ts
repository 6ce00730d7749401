import { describe, expect, it } from 'vitest';
import { suiteAula } from '../../support/suiteAula.js';
import type { JoinResult } from '../../../src/protocol/index.js';
import { expectFailure } from '../../support/classroomClient.js';
import { connectAs, lessonWithStudents } from '../../support/classroomFixtures.js';
import { waitFor, type TestAula } from '../../support/testAula.js';

describe('breakout rooms', () => {
  let aula: TestAula;
  const clients = suiteAula((started) => (aula = started));

  const joinedIn = (result: JoinResult) => {
    if (result.status !== 'joined') throw new Error('expected to be in a room');
    return result;
  };

  it('splits the class evenly, keeps each group to itself, and brings everyone back after the countdown', async () => {
    const { classroom, teacher, students, lessonId } = await lessonWithStudents(
      aula,
      ['a', 'b', 'c', 'd'],
      clients,
    );
    const moves = students.map((s) => s.client.next('breakout:moved'));
    await teacher.request('breakout:open', { groups: 2, names: ['Red', 'Blue'], assignment: 'auto' });
    const moved = await Promise.all(moves);
    const byGroup = new Map<string, typeof students>();
    moved.forEach((move, index) => {
      byGroup.set(move.group!.name, [...(byGroup.get(move.group!.name) ?? []), students[index]!]);
    });
    expect([...byGroup.keys()].sort()).toEqual(['Blue', 'Red']);
    expect([...byGroup.values()].map((group) => group.length)).toEqual([2, 2]);
    // Each room holds its own people only.
    const state = await teacher.next('breakout:state', (s) =>
      s.groups.every((group) => group.members.length === 2),
    );

    // Chat stays in the room; the same seat counts, with attendance per room.
    const [red1, red2] = byGroup.get('Red')!;
    const [blue1] = byGroup.get('Blue')!;
    const heard = red2!.client.next('chat:message', (m) => m.text === 'only red');
    await red1!.client.request('chat:send', { text: 'only red' });
    await heard;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(blue1!.client.events.some((e) => (e.payload as { text?: string }).text === 'only red')).toBe(
      false,
    );
    expect(await aula.services.seats.occupied(lessonId)).toBe(4);

    // A student asks for help; the teacher (in the main room) hears it, visits, and comes back.
    const help = teacher.next('breakout:help');
    await blue1!.client.request('breakout:help');
    expect(await help).toMatchObject({ groupName: 'Blue', name: blue1!.name });
    const blueId = state.groups.find((g) => g.name === 'Blue')!.id;
    const visit = teacher.next('breakout:moved');
    await teacher.request('breakout:visit', { groupId: blueId });
    expect(joinedIn((await visit).result).room.participants).toHaveLength(3);
    const back = teacher.next('breakout:moved', (m) => m.group === null);
    await teacher.request('breakout:visit', { groupId: null });
    await back;

    // A message reaches every room; then everyone returns after the countdown.
    const told = red1!.client.next('breakout:message');
    await teacher.request('breakout:message', { text: 'Two minutes left' });
    expect((await told).text).toBe('Two minutes left');
    const closing = red1!.client.next('breakout:closing');
    const returns = students.map((s) => s.client.next('breakout:moved', (m) => m.group === null, 20_000));
    await teacher.request('breakout:close', { countdownSeconds: 1 });
    expect((await closing).inSeconds).toBe(1);
    for (const result of await Promise.all(returns)) expect(joinedIn(result.result).status).toBe('joined');
    const main = (await aula.services.rooms.peek(classroom._id))!;
    await waitFor(() => main.ctx.roster.inLessonCount === 5, { what: 'everyone back in the main room' });

    await aula.services.writes.settled();
    const intervals = await aula.services.attendance.intervals(lessonId);
    const rooms = new Set(intervals.filter((i) => i.userKey.endsWith(':a')).map((i) => i.room ?? 'main'));
    expect([...rooms].sort()).toEqual([moved[0]!.group!.name, 'main'].sort());
    expect(await aula.services.seats.occupied(lessonId)).toBe(4);
    expect(main.interaction.breakouts.isOpen).toBe(false);
  });

  it('lets students choose when the teacher says so, keeps a removed student out of every room, and ends with the lesson', async () => {
    const { classroom, teacher, students } = await lessonWithStudents(aula, ['e', 'f'], clients);
    await teacher.request('breakout:open', { groups: 2, assignment: 'choose' });
    const state = await students[0]!.client.next('breakout:state', (s) => s.open);
    const moved = students[0]!.client.next('breakout:moved');
    await students[0]!.client.request('breakout:choose', { groupId: state.groups[1]!.id });
    expect((await moved).group?.id).toBe(state.groups[1]!.id);

    // Removed from the main room while in a group: out everywhere, also when coming back.
    const removed = students[0]!.client.next('removed');
    const { id: inGroupId } = await waitFor(async () => {
      const s = await teacher.next('breakout:state', (x) => x.groups[1]!.members.length === 1);
      return s.groups[1]!.members[0]!;
    });
    await teacher.request('mod:remove', { participantId: inGroupId });
    await removed;
    const again = await connectAs(aula, classroom._id, { id: 'e', role: 'student' });
    clients.push(again);
    expect((await expectFailure(again.request('join'))).code).toBe('REMOVED');

    // The lesson ends while groups are open: everyone hears it, wherever they are.
    const moveSecond = students[1]!.client.next('breakout:moved');
    await students[1]!.client.request('breakout:choose', { groupId: state.groups[0]!.id });
    await moveSecond;
    const ended = students[1]!.client.next('lesson:ended');
    await teacher.request('lesson:end');
    expect((await ended).reason).toBe('teacher');
    const room = await aula.services.rooms.peek(classroom._id);
    expect(room!.interaction.breakouts.isOpen).toBe(false);
  });

  // A page entering while groups are open (a teacher arriving late, a reloaded page back in its
  // group) learns of them with its join, not only at the next change.
  it('tells a teacher who arrives, and a page that comes back into its group, which groups are open', async () => {
    const { classroom, teacher, students } = await lessonWithStudents(aula, ['g'], clients);
    const anna = students[0]!;
    const moved = anna.client.next('breakout:moved');
    await teacher.request('breakout:open', { groups: 2, names: ['Rot', 'Blau'], assignment: 'auto' });
    const { group, result } = await moved;
    const inGroup = joinedIn(result);

    const late = await connectAs(aula, classroom._id, { id: `late-${classroom._id}`, role: 'teacher' });
    clients.push(late);
    await late.request('join');
    const seen = await late.next('breakout:state', () => true, 5_000);
    expect(seen.groups.map((g) => g.name).sort()).toEqual(['Blau', 'Rot']);
    expect(seen.myGroup).toBeNull();

    anna.client.close();
    const again = await connectAs(aula, classroom._id, { id: 'g', role: 'student', name: 'g' });
    clients.push(again);
    const back = await again.request('join', {
      resume: { participantId: inGroup.self.id, key: inGroup.resumeKey, keepMedia: false },
    });
    expect(back.status).toBe('joined');
    expect((await again.next('breakout:state', () => true, 5_000)).myGroup).toBe(group!.id);
  });

  it('refuses malformed, oversized, unauthorised and out-of-place breakout requests with typed errors', async () => {
    const { teacher, students } = await lessonWithStudents(aula, ['h', 'i'], clients);
    const student = students[0]!.client;
    const [first, second] = [students[0]!.id, students[1]!.id];
    const before: Array<[() => Promise<unknown>, string]> = [
      [() => student.request('breakout:open', { groups: 2, assignment: 'auto' }), 'PERMISSION_DENIED'],
      [() => teacher.request('breakout:open', { groups: 1, assignment: 'auto' }), 'BAD_REQUEST'],
      [() => teacher.request('breakout:open', { groups: 13, assignment: 'auto' }), 'BAD_REQUEST'],
      [() => teacher.request('breakout:open', { groups: 2, assignment: 'random' } as never), 'BAD_REQUEST'],
      [() => student.request('breakout:help', {}), 'NOT_IN_BREAKOUT'],
    ];
    for (const [send, code] of before) expect((await expectFailure(send())).code).toBe(code);

    await teacher.request('breakout:open', { groups: 2, assignment: 'manual', manual: { [first]: 0 } });
    const state = await teacher.next('breakout:state', (s) => s.open);
    const group = state.groups[0]!.id;
    const during: Array<[() => Promise<unknown>, string]> = [
      [() => teacher.request('breakout:open', { groups: 2, assignment: 'auto' }), 'BREAKOUTS_OPEN'],
      [
        () => teacher.request('breakout:assign', { participantId: 'nope', groupId: group }),
        'UNKNOWN_PARTICIPANT',
      ],
      [() => teacher.request('breakout:assign', { participantId: second, groupId: 'nope' }), 'UNKNOWN_GROUP'],
      [() => teacher.request('breakout:visit', { groupId: 'nope' }), 'UNKNOWN_GROUP'],
      [() => students[1]!.client.request('breakout:choose', { groupId: group }), 'BREAKOUT_ASSIGNED'],
      [
        () => student.request('breakout:assign', { participantId: second, groupId: group }),
        'PERMISSION_DENIED',
      ],
      [() => student.request('breakout:visit', { groupId: group }), 'PERMISSION_DENIED'],
      [() => student.request('breakout:message', { text: 'hi' }), 'PERMISSION_DENIED'],
      [() => student.request('breakout:close', { countdownSeconds: 0 }), 'PERMISSION_DENIED'],
      [() => teacher.request('breakout:message', { text: 'x'.repeat(501) }), 'BAD_REQUEST'],
      [() => teacher.request('breakout:message', { text: '   ' }), 'BAD_REQUEST'],
      [() => teacher.request('breakout:close', { countdownSeconds: 61 }), 'BAD_REQUEST'],
      [() => teacher.request('breakout:message', { text: 'x'.repeat(200_000) }), 'PAYLOAD_TOO_LARGE'],
    ];
    for (const [send, code] of during) expect((await expectFailure(send())).code).toBe(code);
    // Asking for help reaches every teacher's screen: as limited as chat messages are.
    const asks = await Promise.allSettled(
      Array.from({ length: 12 }, () => student.request('breakout:help', {})),
    );
    expect(asks.filter((ask) => ask.status === 'fulfilled').length).toBeLessThanOrEqual(10);
    await teacher.request('breakout:close', { countdownSeconds: 0 });
  });

  it('counts the seats of students in breakout rooms as taken', async () => {
    const { classroom, teacher } = await lessonWithStudents(aula, ['j', 'k'], clients);
    await teacher.request('breakout:open', { groups: 2, assignment: 'auto' });
    await teacher.next('breakout:state', (s) => s.groups.every((g) => g.members.length === 1));
    const late = await connectAs(aula, classroom._id, { id: `late-seats-${classroom._id}`, role: 'teacher' });
    clients.push(late);
    expect(joinedIn(await late.request('join')).room.seats.taken).toBe(2);
  });
});
