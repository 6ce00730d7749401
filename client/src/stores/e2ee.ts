import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { FrameCipher, frameCipherSupport } from '@/e2ee/FrameCipher';
import { KeyAgreement, type KeyRefusal, type KeyState } from '@/e2ee/KeyAgreement';
import type { CipherStats } from '@/e2ee/workerMessages';
import { logWarning } from '@/shared/log';
import type { SignalingClient } from '@/signaling/SignalingClient';
import { useMediaStore } from './media';

/**
 * The page's part in an end-to-end encrypted lesson: its frame cipher, the
 * key agreement with the other pages, the security code people compare, and
 * whether this person confirmed it. Verified means "this person compared the
 * code and said it matched" for exactly the code shown; a new code (someone
 * came or went) is not verified until confirmed again. Nothing here ever says
 * "secure" on its own.
 */
/** How long a page entering an encrypted room waits for its key before it starts the media anyway. */
const KEY_WAIT_MS = 2000;

export const useE2eeStore = defineStore('e2ee', () => {
  const media = useMediaStore();
  /** The lesson we are in is encrypted. */
  const active = ref(false);
  const supported = frameCipherSupport() !== null;
  const state = shallowRef<KeyState | null>(null);
  const confirmedCode = ref<string | null>(null);
  const refusals = ref<KeyRefusal[]>([]);
  let cipher: FrameCipher | undefined;
  let agreement: KeyAgreement | undefined;
  let client: SignalingClient | undefined;

  const code = computed(() => state.value?.code ?? null);
  const hasKey = computed(() => (state.value?.epoch ?? 0) > 0);
  const verified = computed(() => Boolean(code.value && confirmedCode.value === code.value));
  const mismatch = computed(() => Boolean(state.value?.listMismatch));

  function listen(signaling: SignalingClient): () => void {
    client = signaling;
    const offs = [
      signaling.on('e2ee:members', (update) => void agreement?.onMembers(update)),
      signaling.on('e2ee:key', (message) => void agreement?.onKey(message)),
    ];
    return () => {
      offs.forEach((off) => off());
      close();
      client = undefined;
    };
  }

  /**
   * We entered a room (joined, came back, moved to a group): in an encrypted
   * lesson a fresh key pair is announced to its members. Called before the
   * media starts, so every sender and receiver is made with the cipher;
   * `sameRoom` when the page came back to the room it was in.
   */
  async function enter(selfId: string, encrypted: boolean, sameRoom = false): Promise<void> {
    active.value = encrypted;
    if (!encrypted || !client) {
      close();
      media.encryptWith(undefined);
      return;
    }
    // A room entered from another (a breakout group, the main room again) has keys of its own:
    // the last room's are forgotten, so nothing is sealed with them here. Back in the same room
    // after a dropped connection, the media it kept goes on with the keys it has until the new one.
    agreement?.stop();
    if (!cipher) cipher = new FrameCipher();
    else if (!sameRoom) cipher.forgetKeys();
    media.encryptWith(cipher);
    const signaling = client;
    agreement = new KeyAgreement(
      signaling,
      cipher,
      (next) => (state.value = next),
      (why) => {
        refusals.value = [...refusals.value.slice(-9), why];
        logWarning('e2ee', 'a key message was not taken', { why });
      },
    );
    state.value = null;
    await agreement.join(selfId);
    // The media starts once we hold the key (or after a short wait, should the leader be slow): the
    // first keyframe each receiver gets then opens, instead of being dropped and asked for again.
    await Promise.race([agreement.keyed, new Promise((resolve) => setTimeout(resolve, KEY_WAIT_MS))]);
  }

  /** This person compared the code aloud and it matched. */
  function confirm(): void {
    confirmedCode.value = code.value;
  }

  function stats(): Promise<CipherStats | null> {
    return cipher ? cipher.stats() : Promise.resolve(null);
  }

  function close(): void {
    agreement?.stop();
    cipher?.close();
    cipher = undefined;
    agreement = undefined;
    state.value = null;
    confirmedCode.value = null;
  }

  function reset(): void {
    active.value = false;
    close();
  }

  return {
    active,
    supported,
    state,
    code,
    hasKey,
    verified,
    mismatch,
    refusals,
    listen,
    enter,
    confirm,
    stats,
    reset,
  };
});
