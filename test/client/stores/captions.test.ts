import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CaptionLine, CaptionsState } from '@protocol';
import { SignalingClient } from '@/signaling/SignalingClient';
import { useCaptionsStore } from '@/stores/captions';
import { server } from '../support/fakeServer';

vi.mock('socket.io-client', async () => (await import('../support/fakeServer')).socketModule);

const state: CaptionsState = {
  available: true,
  automatic: true,
  language: 'de',
  enabled: true,
  captioners: [],
  transcript: false,
};
const speaker = { id: 'p-teacher', displayName: 'Frau Lehmann' };
const line = (id: string, text: string, final: boolean): CaptionLine => ({
  id,
  text,
  source: 'automatic',
  speaker,
  final,
  at: Date.now(),
});

beforeEach(() => {
  server.reset();
  setActivePinia(createPinia());
});

async function listeningStore() {
  const client = new SignalingClient('http://aula.test', 'token', 'c1');
  server.emit('connect');
  const captions = useCaptionsStore();
  captions.listen(client);
  return captions;
}

describe('the captions store', () => {
  it("shows an utterance's words as they come and keeps only its final line", async () => {
    const captions = await listeningStore();
    server.replies.set('captions:enable', { state, history: [line('h1', 'Guten Morgen', true)] });
    await captions.setEnabled(true);
    expect(captions.enabled).toBe(true);
    expect(captions.lines.map((entry) => entry.text)).toEqual(['Guten Morgen']);

    server.emit('captions:line', line('a', 'heute', false));
    server.emit('captions:line', line('b', 'heute rechnen', false));
    expect(captions.partial[speaker.id]?.text).toBe('heute rechnen');
    server.emit('captions:line', line('c', 'heute rechnen wir', true));
    expect(captions.partial).toEqual({});
    expect(captions.lines.map((entry) => entry.text)).toEqual(['Guten Morgen', 'heute rechnen wir']);
  });

  it('asks for captions again in the next room when they were on, and not when they were off', async () => {
    const captions = await listeningStore();
    await captions.enter();
    expect(server.sent('captions:enable')).toEqual([]);
    server.replies.set('captions:enable', { state, history: [] });
    await captions.setEnabled(true);
    captions.reset();
    expect(captions.lines).toEqual([]);
    await captions.enter();
    expect(server.sent('captions:enable').at(-1)).toEqual({ enabled: true });
  });
});
