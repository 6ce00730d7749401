import { describe, expect, it } from 'vitest';
import { suiteAula } from '../../support/suiteAula.js';
import { joinedStudent, liveLesson } from '../../support/classroomFixtures.js';
import { type TestAula } from '../../support/testAula.js';

describe('room', () => {
  let aula: TestAula;
  const clients = suiteAula((started) => (aula = started));

  it('says it closed and disconnects every page still attached when it closes', async () => {
    const { classroom, teacher } = await liveLesson(aula);
    const anna = await joinedStudent(aula, classroom._id, { id: 'anna' });
    clients.push(teacher, anna.client);
    const room = (await aula.services.rooms.peek(classroom._id))!;
    const closed = new Promise<void>((resolve) => room.once('closed', () => resolve()));
    const gone = [teacher.disconnected(), anna.client.disconnected()];
    room.close();
    await closed;
    expect(await Promise.all(gone)).toEqual(['io server disconnect', 'io server disconnect']);
    // The registry forgets a closed room: the next connection gets a fresh one.
    expect(await aula.services.rooms.peek(classroom._id)).toBeUndefined();
  });
});
