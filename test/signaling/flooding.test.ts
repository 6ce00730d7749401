import { describe, expect, it } from 'vitest';
import { liveLesson, connectAs } from '../support/classroomFixtures.js';
import { suiteAula } from '../support/suiteAula.js';
import { waitFor, type TestAula } from '../support/testAula.js';

describe('a client flooding its socket', () => {
  let aula: TestAula;
  const logs: string[] = [];
  const clients = suiteAula((started) => (aula = started), { AULA_LOG_LEVEL: 'info' }, { logs });

  const linesAbout = (socketId: string) => logs.filter((line) => line.includes(socketId));

  it('is cut off after thousands of unknown events and writes only a few log lines, none at error level', async () => {
    const { classroom, teacher } = await liveLesson(aula);
    clients.push(teacher);
    const flooder = await connectAs(aula, classroom._id, { id: 'flood', role: 'student' });
    clients.push(flooder);
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
  });

  it('logs requests without acknowledgement once per interval, not once each', async () => {
    const { classroom, teacher } = await liveLesson(aula);
    clients.push(teacher);
    const quiet = await connectAs(aula, classroom._id, { id: 'quiet', role: 'student' });
    clients.push(quiet);
    const socketId = quiet.socket.id!;
    for (let i = 0; i < 150; i++) quiet.socket.emit('hand:raise', {});
    // An acknowledged request after them proves they all arrived.
    await quiet.request('session:refresh');
    const ignored = linesAbout(socketId).filter((line) => line.includes('without acknowledgement'));
    expect(ignored).toHaveLength(1);
  });
});
