import { describe, expect, it } from 'vitest';
import { expectFailure } from '../support/classroomClient.js';
import { joinedStudent, liveLesson } from '../support/classroomFixtures.js';
import { type TestAula } from '../support/testAula.js';
import { suiteAula } from '../support/suiteAula.js';

// The page translates refusals by code: the refusal names what was not allowed.
describe('a refused permission', () => {
  let aula: TestAula;
  const clients = suiteAula((started) => (aula = started));

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
