import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { PollResults, PollView, RequestPayload, RoomState } from '@protocol';
import type { SignalingClient } from '@/signaling/SignalingClient';
import { useAnnouncerStore } from './announcer';
import { useSignalingRequests } from './signalingRequests';

export type PollRequest = RequestPayload<'poll:start'>;

/**
 * The room's poll as this page sees it: the poll (with our own answer in
 * `mine`), and its results when we may read them (teachers always, everyone
 * while the teacher shares them). Teachers start, close and share; everyone
 * in the lesson answers and may change the answer until the poll closes.
 */
export const usePollsStore = defineStore('polls', () => {
  const { attach, act } = useSignalingRequests();
  const announcer = useAnnouncerStore();
  const poll = ref<PollView | null>(null);
  /** The last results heard, of whichever poll. */
  const latest = ref<PollResults | null>(null);

  const running = computed(() => Boolean(poll.value && !poll.value.closed));
  /** Results that belong to the poll shown (a new poll starts without any). */
  const results = computed(() =>
    poll.value && latest.value?.pollId === poll.value.id ? latest.value : null,
  );

  /** The room we entered (or the room state the server sent again). */
  function enter(room: Pick<RoomState, 'poll' | 'pollResults'>): void {
    poll.value = room.poll;
    latest.value = room.pollResults;
  }

  function reset(): void {
    poll.value = null;
    latest.value = null;
  }

  function listen(client: SignalingClient): () => void {
    const offs = [
      attach(client),
      client.on('poll:updated', (view) => {
        // No longer shared: what we heard while it was is not ours to keep (teachers hear it again at once).
        if (poll.value?.shared && !view.shared) latest.value = null;
        announceChange(poll.value, view);
        poll.value = view;
      }),
      client.on('poll:results', (live) => (latest.value = live)),
      client.on('roomUpdated', enter),
    ];
    return () => offs.forEach((off) => off());
  }

  /** A new poll, its closing and its shared results are said to screen readers. */
  function announceChange(before: PollView | null, after: PollView): void {
    const question = after.question;
    if (before?.id !== after.id) {
      if (!after.closed) announcer.announce({ kind: 'pollStarted', question });
      return;
    }
    if (!before.closed && after.closed) announcer.announce({ kind: 'pollClosed', question });
    if (!before.shared && after.shared) announcer.announce({ kind: 'pollShared', question });
  }

  /** Sends our answer (option indexes); answers whether the server took it. */
  async function answer(choices: number[]): Promise<boolean> {
    if (!poll.value) return false;
    return Boolean(await act('poll:answer', { pollId: poll.value.id, choices }));
  }

  async function start(request: PollRequest): Promise<boolean> {
    return Boolean(await act('poll:start', request));
  }

  async function close(): Promise<void> {
    if (poll.value) await act('poll:close', { pollId: poll.value.id });
  }

  async function share(shared: boolean): Promise<void> {
    if (poll.value) await act('poll:share', { pollId: poll.value.id, shared });
  }

  return { poll, results, running, enter, reset, listen, answer, start, close, share };
});
