import type { Ref } from 'vue';
import { failureOf } from '@/locales/errorText';
import type { SignalingClient } from '@/signaling/SignalingClient';
import { sendLeaveBeacon } from '@/api/classroomApi';
import { storedResume, storeSession, type JoinSession } from '@/storage/joinSession';

/** A new token is asked for this long before the current one expires. */
const AHEAD_MS = 120_000;
/** Never sooner than this from now, however close the expiry. */
const SOONEST_MS = 5_000;
/** After a failed attempt the next comes in 30 s (150 s ahead of a pretended expiry). */
const RETRY_EXPIRY_S = 150;

/**
 * Keeps the join token of a connection fresh: a new one before each
 * expires, so a later reconnection is still let in, stored for a reload.
 * Aula switched off meanwhile ends it (`switchedOff`); any other refusal is
 * tried again. The returned function stops it, an answer still on its way
 * included.
 */
export function keepTokenFresh(
  client: SignalingClient,
  session: Ref<JoinSession | null>,
  switchedOff: () => void,
): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  function schedule(expiresAt: number): void {
    clearTimeout(timer);
    const inMs = Math.max(SOONEST_MS, expiresAt * 1000 - Date.now() - AHEAD_MS);
    timer = setTimeout(() => void refresh(), inMs);
  }

  async function refresh(): Promise<void> {
    if (stopped || !session.value) return;
    try {
      const { token, expiresAt } = await client.request('session:refresh');
      if (stopped || !session.value) return;
      session.value = { ...session.value, token, expiresAt };
      client.setToken(token);
      storeSession(session.value);
      schedule(expiresAt);
    } catch (error) {
      if (stopped) return;
      if (failureOf(error).code === 'SWITCHED_OFF') switchedOff();
      else schedule(Date.now() / 1000 + RETRY_EXPIRY_S);
    }
  }

  if (session.value) schedule(session.value.expiresAt);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/**
 * The tab closes: the socket only drops (which the server would wait out for
 * the grace period), so a beacon tells it we left and the seat is free now;
 * only while `present()` (in the room or its waiting room). The returned
 * function stops listening.
 */
export function sayGoodbyeOnPageHide(
  client: SignalingClient,
  session: Ref<JoinSession | null>,
  present: () => boolean,
): () => void {
  const sayGoodbye = () => {
    const current = session.value;
    const ticket = current ? storedResume(current.classroomId) : undefined;
    if (!current || !ticket || !present()) return;
    sendLeaveBeacon(current.classroomId, { token: current.token, ...ticket }, client.node);
  };
  window.addEventListener('pagehide', sayGoodbye);
  return () => window.removeEventListener('pagehide', sayGoodbye);
}
