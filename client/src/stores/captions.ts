import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { CaptionLine, CaptionsState } from '@protocol';
import type { SignalingClient } from '@/signaling/SignalingClient';
import { readStored, writeStored } from '@/storage/webStorage';
import { useSignalingRequests } from './signalingRequests';

export const CAPTION_SIZES = ['small', 'medium', 'large'] as const;
export type CaptionSize = (typeof CAPTION_SIZES)[number];
const SIZE_KEY = 'aula.captionSize';
/** Lines the history panel keeps (the server sends up to 50 on switching on). */
const HISTORY_LINES = 100;

const emptyState: CaptionsState = {
  available: true,
  automatic: false,
  language: null,
  enabled: false,
  captioners: [],
  transcript: false,
};

function storedSize(): CaptionSize {
  const stored = readStored('local', SIZE_KEY);
  return CAPTION_SIZES.find((size) => size === stored) ?? 'medium';
}

/**
 * Live captions on this page: whether they are on (only then does the
 * server send any), the lines heard or typed so far, the words of an
 * utterance still going on, the text size this browser chose, and the
 * captioner's and teacher's actions. Caption lines are shown, not announced:
 * a screen reader user hears the speaker already (the announcer of issue 28
 * leaves them out).
 */
export const useCaptionsStore = defineStore('captions', () => {
  const { attach, act } = useSignalingRequests();
  const state = ref<CaptionsState | null>(null);
  const lines = ref<CaptionLine[]>([]);
  /** Words of utterances still going on (automatic captions), by speaker. */
  const partial = ref<Record<string, CaptionLine>>({});
  const size = ref<CaptionSize>(storedSize());
  watch(size, (chosen) => writeStored('local', SIZE_KEY, chosen));
  const enabled = computed(() => Boolean(state.value?.enabled));
  const available = computed(() => state.value?.available ?? true);

  function received(line: CaptionLine): void {
    const speaker = line.speaker?.id ?? '';
    if (!line.final) {
      partial.value = { ...partial.value, [speaker]: line };
      return;
    }
    const { [speaker]: _done, ...rest } = partial.value;
    partial.value = rest;
    lines.value = [...lines.value, line].slice(-HISTORY_LINES);
  }

  function listen(client: SignalingClient): () => void {
    const detach = attach(client);
    const offs = [
      client.on('captions:line', received),
      client.on('captions:state', (next) => (state.value = next)),
    ];
    return () => {
      for (const off of offs) off();
      detach();
    };
  }

  async function setEnabled(on: boolean): Promise<void> {
    const answer = await act('captions:enable', { enabled: on });
    if (!answer) return;
    state.value = answer.state;
    partial.value = {};
    if (on) lines.value = answer.history;
  }

  /**
   * In the lesson (joined, resumed, or in another room): a page that wants
   * captions asks for them again, for the room it is in now.
   */
  async function enter(): Promise<void> {
    if (enabled.value) await setEnabled(true);
  }

  /** The panel opened: who captions, whether automatic captions run (answered with the switch as it is). */
  async function refresh(): Promise<void> {
    await setEnabled(enabled.value);
  }

  /** A captioner's line; answers whether the server took it. */
  async function send(text: string): Promise<boolean> {
    return Boolean(await act('captions:send', { text }));
  }

  async function setCaptioner(participantId: string, allowed: boolean): Promise<void> {
    await act('captions:captioner', { participantId, allowed });
  }

  async function keepTranscript(keep: boolean): Promise<void> {
    await act('captions:transcript', { keep });
  }

  /** The page left the lesson: nothing of it stays. */
  function reset(): void {
    const wanted = enabled.value;
    state.value = null;
    // Wanted again in the next room or lesson this page enters (breakout rooms, a reconnection).
    if (wanted) state.value = { ...emptyState, enabled: true };
    lines.value = [];
    partial.value = {};
  }

  return {
    state,
    lines,
    partial,
    size,
    enabled,
    available,
    listen,
    enter,
    refresh,
    setEnabled,
    send,
    setCaptioner,
    keepTranscript,
    reset,
  };
});
