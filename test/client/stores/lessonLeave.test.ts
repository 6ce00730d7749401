import { flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useLessonStore } from '@/stores/lesson';
import { connectedPage, freshPageEachTest, participant, roomWith } from '../support/classroomPage';
import { server } from '../support/fakeServer';

vi.mock('socket.io-client', async () => (await import('../support/fakeServer')).socketModule);

freshPageEachTest();
afterEach(() => vi.useRealTimers());

const anna = participant('p-anna', 'Anna Weber');

/** Holds the server's answer to `leave` until the test gives it; every other request answers as faked. */
function holdLeaveAnswer(): () => void {
  let answer!: () => void;
  const answered = new Promise<void>((resolve) => (answer = resolve));
  const fake = server.socket.timeout();
  vi.spyOn(server.socket, 'timeout').mockReturnValue({
    emitWithAck: async (name: string, payload: unknown) => {
      if (name !== 'leave') return fake.emitWithAck(name, payload);
      server.requests.push({ name, payload });
      await answered;
      return { ok: true, data: { left: true } };
    },
  });
  return answer;
}

describe('leaving the lesson', () => {
  it('closes the connection only once the server heard the leave, so the others see the person go at once', async () => {
    await connectedPage({ self: anna, room: roomWith([anna]) });
    const lesson = useLessonStore();
    expect(lesson.phase).toBe('joined');
    const answer = holdLeaveAnswer();

    lesson.leave();
    await flushPromises();
    expect(server.sent('leave')).toHaveLength(1);
    // socket.io drops a request the server hands over after the close that follows it.
    expect(server.socket.connected).toBe(true);
    answer();
    await flushPromises();
    expect(server.socket.connected).toBe(false);
  });

  it('closes the connection anyway when the server does not answer within two seconds', async () => {
    await connectedPage({ self: anna, room: roomWith([anna]) });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    holdLeaveAnswer();
    useLessonStore().leave();
    await vi.advanceTimersByTimeAsync(1_900);
    expect(server.socket.connected).toBe(true);
    await vi.advanceTimersByTimeAsync(200);
    expect(server.socket.connected).toBe(false);
  });
});
