import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ref } from 'vue';
import { storedSession, type JoinSession } from '@/storage/joinSession';
import { keepTokenFresh } from '@/stores/sessionKeeping';
import { connectedClient } from '../support/classroomPage';
import { server } from '../support/fakeServer';

vi.mock('socket.io-client', async () => (await import('../support/fakeServer')).socketModule);

const HOUR_S = 3600;

beforeEach(() => {
  server.reset();
  sessionStorage.clear();
  setActivePinia(createPinia());
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('keeping the join token fresh', () => {
  const nowS = () => Date.now() / 1000;
  const session = () =>
    ref<JoinSession | null>({
      token: 'old',
      expiresAt: nowS() + HOUR_S,
      classroomId: 'c1',
      role: 'student',
      name: 'Anna',
    });

  it('asks for a new token two minutes before the old one expires, and keeps it for a reconnection and a reload', async () => {
    const current = session();
    server.replies.set('session:refresh', { token: 'new', expiresAt: nowS() + 2 * HOUR_S });
    const stop = keepTokenFresh(connectedClient(), current, () => undefined);
    await vi.advanceTimersByTimeAsync((HOUR_S - 121) * 1000);
    expect(server.sent('session:refresh')).toEqual([]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(server.sent('session:refresh')).toHaveLength(1);
    expect(current.value?.token).toBe('new');
    expect(server.socket.auth).toEqual({ token: 'new' });
    expect(storedSession('c1')?.token).toBe('new');
    stop();
  });

  it('tries again in 30 s after a refusal, and ends when Aula was switched off meanwhile', async () => {
    const current = session();
    const switchedOff = vi.fn();
    server.refusals.set('session:refresh', { status: 503, code: 'DATABASE_UNAVAILABLE', message: 'later' });
    keepTokenFresh(connectedClient(), current, switchedOff);
    await vi.advanceTimersByTimeAsync((HOUR_S - 120) * 1000);
    expect(server.sent('session:refresh')).toHaveLength(1);
    server.refusals.set('session:refresh', { status: 403, code: 'SWITCHED_OFF', message: 'off' });
    await vi.advanceTimersByTimeAsync(30_000);
    expect(server.sent('session:refresh')).toHaveLength(2);
    expect(switchedOff).toHaveBeenCalledOnce();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops with the page, an answer still on its way included', async () => {
    const current = session();
    server.replies.set('session:refresh', { token: 'new', expiresAt: nowS() + 2 * HOUR_S });
    const stop = keepTokenFresh(connectedClient(), current, () => undefined);
    vi.advanceTimersByTime((HOUR_S - 120) * 1000);
    // Asked, not yet answered: the page leaves now.
    stop();
    await vi.runAllTimersAsync();
    expect(server.sent('session:refresh')).toHaveLength(1);
    expect(current.value?.token).toBe('old');
    expect(vi.getTimerCount()).toBe(0);
  });
});
