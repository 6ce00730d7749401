import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { BreakoutState, RequestPayload, ServerEvents } from '@protocol';
import type { SignalingClient } from '@/signaling/SignalingClient';
import { useAnnouncerStore } from './announcer';
import { useNoticesStore } from './notices';
import { useSignalingRequests } from './signalingRequests';

export type BreakoutPlan = RequestPayload<'breakout:open'>;
export type HelpRequest = ServerEvents['breakout:help'] & { at: number };
export type BreakoutMessage = ServerEvents['breakout:message'] & { at: number };

/** How long the teacher's page counts down before everyone is back in the main room. */
export const RETURN_COUNTDOWN_SECONDS = 30;
/** Screen readers are told this long before the rooms' time limit runs out. */
const ENDING_WARNING_MS = 60_000;

/**
 * The class's breakout rooms as this page sees them: the groups and their
 * members, which room we are in, the teacher's messages, help requests (for
 * teachers) and the countdown back to the main room. Moving into another
 * room is the lesson store's (it enters the room as after a join); this
 * store only says which group that is.
 */
export const useBreakoutsStore = defineStore('breakouts', () => {
  const notices = useNoticesStore();
  const announcer = useAnnouncerStore();
  const { attach, act } = useSignalingRequests();
  const state = ref<BreakoutState | null>(null);
  /** The group this page is in; null in the main room. */
  const group = ref<{ id: string; name: string } | null>(null);
  const messages = ref<BreakoutMessage[]>([]);
  const helpRequests = ref<HelpRequest[]>([]);
  /** When everyone returns to the main room, once the teacher (or the timer) closed the groups. */
  const closingAt = ref<number | null>(null);

  const open = computed(() => Boolean(state.value?.open));
  const groups = computed(() => state.value?.groups ?? []);
  /** The rooms' time limit, a minute ahead: said once per limit. */
  let ending: { endsAt: number; timer: ReturnType<typeof setTimeout> } | undefined;

  function warnBeforeEnd(endsAt: number | null): void {
    if (ending?.endsAt === endsAt) return;
    clearTimeout(ending?.timer);
    ending = undefined;
    if (endsAt === null) return;
    const timer = setTimeout(
      () => announcer.announce({ kind: 'breakoutsEnding', minutes: ENDING_WARNING_MS / 60_000 }),
      Math.max(0, endsAt - ENDING_WARNING_MS - Date.now()),
    );
    ending = { endsAt, timer };
  }

  function take(next: BreakoutState): void {
    state.value = next;
    warnBeforeEnd(next.open && next.closingAt === null && next.endsAt ? next.endsAt : null);
    closingAt.value = next.open ? next.closingAt : null;
    const mine = next.groups.find((g) => g.id === next.myGroup);
    group.value = mine ? { id: mine.id, name: mine.name } : null;
    if (!next.open) {
      messages.value = [];
      helpRequests.value = [];
    }
  }

  function reset(): void {
    warnBeforeEnd(null);
    state.value = null;
    group.value = null;
    messages.value = [];
    helpRequests.value = [];
    closingAt.value = null;
  }

  function listen(client: SignalingClient): () => void {
    const offs = [
      attach(client),
      client.on('breakout:state', take),
      client.on('breakout:moved', ({ group: to }) => {
        group.value = to;
        announcer.announce({ kind: 'moved', group: to?.name ?? null });
      }),
      client.on('breakout:closing', ({ inSeconds }) => {
        closingAt.value = Date.now() + inSeconds * 1000;
        warnBeforeEnd(null);
        announcer.announce({ kind: 'breakoutsClosing', seconds: inSeconds });
      }),
      client.on('breakout:message', (message) => {
        messages.value = [...messages.value, { ...message, at: Date.now() }];
        announcer.announce({ kind: 'breakoutMessage', from: message.from, text: message.text });
      }),
      client.on('breakout:help', (request) => {
        // One open request per person and group: asking again moves it to the end.
        const others = helpRequests.value.filter(
          (r) => !(r.groupId === request.groupId && r.name === request.name),
        );
        helpRequests.value = [...others, { ...request, at: Date.now() }];
        notices.notify({
          kind: 'warning',
          key: 'breakouts.helpNotice',
          params: { name: request.name, group: request.groupName },
        });
      }),
    ];
    return () => offs.forEach((off) => off());
  }

  /** A help request was answered (the teacher went there, or dismissed it). */
  function dismissHelp(request: Pick<HelpRequest, 'groupId' | 'name'>): void {
    helpRequests.value = helpRequests.value.filter(
      (r) => !(r.groupId === request.groupId && r.name === request.name),
    );
  }

  async function visit(groupId: string | null): Promise<void> {
    await act('breakout:visit', { groupId });
    if (groupId) helpRequests.value = helpRequests.value.filter((r) => r.groupId !== groupId);
  }

  async function askForHelp(): Promise<boolean> {
    const asked = Boolean(await act('breakout:help', {}));
    if (asked) notices.notify({ kind: 'info', key: 'breakouts.helpSent' });
    return asked;
  }

  return {
    state,
    group,
    messages,
    helpRequests,
    closingAt,
    open,
    groups,
    reset,
    listen,
    dismissHelp,
    visit,
    askForHelp,
    openRooms: async (plan: BreakoutPlan) => Boolean(await act('breakout:open', plan)),
    assign: (participantId: string, groupId: string | null) =>
      act('breakout:assign', { participantId, groupId }),
    choose: (groupId: string) => act('breakout:choose', { groupId }),
    message: async (text: string) => Boolean(await act('breakout:message', { text })),
    closeRooms: () => act('breakout:close', { countdownSeconds: RETURN_COUNTDOWN_SECONDS }),
  };
});
