import { afterAll, beforeAll } from 'vitest';
import type { ClassroomClient } from './classroomClient.js';
import { startTestAula, type TestAula } from './testAula.js';

/**
 * One Aula for a test file's suite: started before its tests, stopped after
 * them together with every client the tests put into the returned list.
 */
export function suiteAula(
  started: (aula: TestAula) => void,
  ...args: Parameters<typeof startTestAula>
): ClassroomClient[] {
  const clients: ClassroomClient[] = [];
  let aula: TestAula | undefined;
  beforeAll(async () => {
    aula = await startTestAula(...args);
    started(aula);
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await aula?.stop();
  });
  return clients;
}
