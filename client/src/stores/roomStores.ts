import type { JoinResult } from '@protocol';
import { logWarning } from '@/shared/log';
import type { SignalingClient } from '@/signaling/SignalingClient';
import { useBoardStore } from './board';
import { useBreakoutsStore } from './breakouts';
import { useCaptionsStore } from './captions';
import { useChatStore } from './chat';
import { useE2eeStore } from './e2ee';
import { useMediaStore } from './media';
import { useNotesStore } from './notes';
import { useNoticesStore } from './notices';
import { useParticipantsStore } from './participants';
import { usePollsStore } from './polls';
import { useRecordingStore } from './recording';

type Joined = Extract<JoinResult, { status: 'joined' }>;

/**
 * The stores of what is in a room, taken in together when the page enters a
 * room (a join, an admission, a move to another group) and emptied together
 * when it leaves: the lesson store decides when, these what.
 */
export function useRoomStores() {
  const participants = useParticipantsStore();
  const chat = useChatStore();
  const polls = usePollsStore();
  const recording = useRecordingStore();
  const breakouts = useBreakoutsStore();
  const board = useBoardStore();
  const media = useMediaStore();
  const e2ee = useE2eeStore();
  const captions = useCaptionsStore();
  const notices = useNoticesStore();

  /** Each follows its own events on the lesson's connection; answers how to stop. */
  function listen(client: SignalingClient): Array<() => void> {
    return [participants, chat, polls, recording, breakouts, board, useNotesStore(), captions].map((store) =>
      store.listen(client),
    );
  }

  /** The room's people, chat, poll and recording, then our media: in an encrypted room the cipher first. */
  async function enter(result: Joined): Promise<void> {
    participants.enter(result.room, result.self);
    chat.enter(result.chat);
    polls.enter(result.room);
    recording.enter(result.room);
    // An encrypted room: our key pair is announced and the cipher set before any media starts.
    const encrypting = await e2ee
      .enter(result.self.id, result.room.endToEndEncryption, Boolean(result.resumed))
      .then(
        () => true,
        (error: unknown) => {
          logWarning('enter', 'could not take part in the key exchange', {}, error);
          return false;
        },
      );
    // Without the cipher no media at all: never clear media into an encrypted lesson, nor garbage shown.
    if (result.room.endToEndEncryption && !encrypting)
      notices.notify({ kind: 'error', key: 'e2ee.unsupported' });
    else if (result.resumed?.keptMedia)
      await media.continueAfterReconnect(result.resumed.consumerIds, result.self);
    else await media.start(result.media);
  }

  /** Once the room shows: its shared board and, when switched on, its captions. */
  function shown(): void {
    void board.enter();
    void captions.enter();
  }

  /** Out of the room (the lesson ended, we were removed, or we left): nothing of it stays. */
  function reset(): void {
    participants.reset();
    polls.reset();
    recording.reset();
    breakouts.reset();
    board.reset();
    media.reset();
    captions.reset();
    e2ee.reset();
  }

  return { listen, enter, shown, reset };
}
