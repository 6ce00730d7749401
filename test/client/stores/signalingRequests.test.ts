import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { useNoticesStore } from '@/stores/notices';
import { useSignalingRequests } from '@/stores/signalingRequests';
import { connectedClient } from '../support/classroomPage';
import { server } from '../support/fakeServer';

vi.mock('socket.io-client', async () => (await import('../support/fakeServer')).socketModule);

beforeEach(() => {
  server.reset();
  setActivePinia(createPinia());
});

describe("a store's requests", () => {
  it("turns a refusal of a person's action into a notice, not an error", async () => {
    const requests = useSignalingRequests();
    requests.attach(connectedClient());
    server.refusals.set('hand:raise', { status: 403, code: 'PERMISSION_DENIED', message: 'no' });
    await expect(requests.act('hand:raise')).resolves.toBeUndefined();
    expect(useNoticesStore().notices.map((notice) => notice.key)).toEqual(['errors.PERMISSION_DENIED']);
  });

  it('refuses a late click once the page let go of its connection', async () => {
    const requests = useSignalingRequests();
    const detach = requests.attach(connectedClient());
    detach();
    await expect(requests.request('hand:raise')).rejects.toThrow('not connected');
    expect(server.sent('hand:raise')).toEqual([]);
  });

  it('keeps a newer connection when an older one is let go', async () => {
    const requests = useSignalingRequests();
    const detachOld = requests.attach(connectedClient());
    requests.attach(connectedClient());
    detachOld();
    server.replies.set('hand:raise', { queue: [] });
    await expect(requests.request('hand:raise')).resolves.toEqual({ queue: [] });
  });
});
