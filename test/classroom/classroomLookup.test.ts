import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClassroom } from '../support/classroomFixtures.js';
import { startTestAula, type TestAula } from '../support/testAula.js';

describe('looking a classroom up by id', () => {
  let aula: TestAula;
  beforeAll(async () => {
    aula = await startTestAula();
  });
  afterAll(async () => {
    await aula?.stop();
  });

  it('finds a classroom by its id as stored, and nothing for an unknown id', async () => {
    const classroom = await createClassroom(aula, { title: 'Physik 9b' });
    const found = await aula.services.classrooms.find(classroom._id);
    expect(found).toMatchObject({ _id: classroom._id, title: 'Physik 9b', platformId: 'test-platform' });
    expect(await aula.services.classrooms.find('no-such-classroom')).toBeUndefined();
  });

  it('finds nothing for a value that is not an id string, even one the database would read as a query', async () => {
    await createClassroom(aula);
    const query = { $ne: null } as unknown as string;
    expect(await aula.services.classrooms.find(query)).toBeUndefined();
  });
});
