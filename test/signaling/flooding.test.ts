import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveLesson, connectAs } from '../support/classroomFixtures.js';
import { startTestAula, waitFor, type TestAula } from '../support/testAula.js';

describe('a client flooding its socket', () => {
  let aula: TestAula;
  const logs: string[] = [];
  beforeAll(async () => {
    aula = await startTestAula({ AULA_LOG_LEVEL: 'info' }, { logs });
  });
  afterAll(async () => {
    await aula?.stop();
  });

  const linesAbout = (socketId: string) => logs.filter((line) => line.includes(socketId));

  it('is cut off after thousands of unknown events and writes only a few log lines, none at error level', async () => {
    const { classroom, teacher } = await liveLesson(aula);
    const flooder = await connectAs(aula, classroom._id, { id: 'flood', role: 'student' });
    const socketId = flooder.socket.id!;
    const gone = flooder.disconnected();
    for (let i = 0; i < 5000; i++) flooder.socket.emit(`nonsense-${i}`, { i });
    expect(await gone).toBe('io server disconnect');
    await waitFor(() => linesAbout(socketId).some((line) => line.includes('not logged one by one')), {
      what: 'the summary line',
    });
    const lines = linesAbout(socketId);
    expect(lines.length).toBeLessThan(10);
    expect(lines.some((line) => JSON.parse(line).level >= 50)).toBe(false);
    // Everyone else carries on.
    expect((await teacher.request('hand:lower', {})).queue).toEqual([]);
    teacher.close();
  });

  it('logs requests without acknowledgement once per interval, not once each', async () => {
    const { classroom, teacher } = await liveLesson(aula);
    const quiet = await connectAs(aula, classroom._id, { id: 'quiet', role: 'student' });
    const socketId = quiet.socket.id!;
    for (let i = 0; i < 150; i++) quiet.socket.emit('hand:raise', {});
    // An acknowledged request after them proves they all arrived.
    await quiet.request('session:refresh');
    const ignored = linesAbout(socketId).filter((line) => line.includes('without acknowledgement'));
    expect(ignored).toHaveLength(1);
    quiet.close();
    teacher.close();
  });
});
