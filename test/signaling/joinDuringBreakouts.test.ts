import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClassroomClient } from '../support/classroomClient.js';
import { connectAs, joinedStudent, liveLesson } from '../support/classroomFixtures.js';
import { startTestAula, type TestAula } from '../support/testAula.js';

// A page that enters while breakout rooms are open (a teacher arriving late,
// a reloaded page coming back into its group) must learn of them with its
// join, not only at the next change: the page shows groups, the group's name
// and the way to ask for help from that state.
describe('joining while breakout rooms are open', () => {
  let aula: TestAula;
  const clients: ClassroomClient[] = [];
  beforeAll(async () => {
    aula = await startTestAula();
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await aula?.stop();
  });

  it('tells a teacher who arrives, and a page that comes back into its group, which groups are open', async () => {
    const { classroom, teacher } = await liveLesson(aula);
    clients.push(teacher);
    const student = await joinedStudent(aula, classroom._id, { id: 'anna', name: 'Anna' });
    clients.push(student.client);
    const moved = student.client.next('breakout:moved');
    await teacher.request('breakout:open', { groups: 2, names: ['Rot', 'Blau'], assignment: 'auto' });
    const { group, result } = await moved;
    if (result.status !== 'joined') throw new Error('expected Anna in her group');

    // A second teacher arrives: the join's answer comes with the groups.
    const late = await connectAs(aula, classroom._id, { id: 'teacher-2', role: 'teacher' });
    clients.push(late);
    await late.request('join');
    const seen = await late.next('breakout:state', () => true, 5_000);
    expect(seen.open).toBe(true);
    expect(seen.groups.map((g) => g.name).sort()).toEqual(['Blau', 'Rot']);
    expect(seen.myGroup).toBeNull();

    // Anna's page is reloaded: it continues in her group, and hears which one.
    student.client.close();
    const again = await connectAs(aula, classroom._id, { id: 'anna', role: 'student', name: 'Anna' });
    clients.push(again);
    const back = await again.request('join', {
      resume: { participantId: result.self.id, key: result.resumeKey, keepMedia: false },
    });
    expect(back.status).toBe('joined');
    const mine = await again.next('breakout:state', () => true, 5_000);
    expect(mine.myGroup).toBe(group!.id);
  });
});
