import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectFailure, type ClassroomClient } from '../support/classroomClient.js';
import { joinedStudent, liveLesson } from '../support/classroomFixtures.js';
import { startTestAula, type TestAula } from '../support/testAula.js';

// The page translates refusals by code: the refusal names what was not allowed.
describe('a refused permission', () => {
  let aula: TestAula;
  const clients: ClassroomClient[] = [];
  beforeAll(async () => {
    aula = await startTestAula();
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await aula?.stop();
  });

  it('names the permission in its details, for the page to translate', async () => {
    const { classroom, teacher } = await liveLesson(aula);
    clients.push(teacher);
    const student = await joinedStudent(aula, classroom._id, { id: 'eager' });
    clients.push(student.client);
    const refusal = await expectFailure(student.client.request('mod:muteAll'));
    expect(refusal).toMatchObject({
      status: 403,
      code: 'PERMISSION_DENIED',
      details: { permission: 'moderate' },
    });
  });
});
