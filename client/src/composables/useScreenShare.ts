import { onScopeDispose, ref, shallowRef, watch } from 'vue';
import { frameAllows, mayBeFrameRefusal } from '@/media/deviceProblems';
import { useMediaStore } from '@/stores/media';
import { useNoticesStore } from '@/stores/notices';
import { useRecordingStore } from '@/stores/recording';

/** Why a browser refused getDisplayMedia, in the words the notice uses. */
export type ScreenRefusal = 'denied' | 'missing' | 'gesture' | 'unreadable' | 'unsupported' | 'failed';

export function screenRefusal(error: unknown): ScreenRefusal {
  switch ((error as { name?: string }).name) {
    case 'NotAllowedError':
    case 'AbortError':
      return 'denied';
    case 'NotFoundError':
      return 'missing';
    // Firefox: getDisplayMedia outside a click ("must be called from a user gesture handler").
    case 'InvalidStateError':
      return 'gesture';
    case 'NotReadableError':
      return 'unreadable';
    case 'NotSupportedError':
    case 'TypeError':
      return 'unsupported';
    default:
      return 'failed';
  }
}

/**
 * Sharing this page's screen: asks the browser for a display, sends it, and
 * stops the capture whenever sharing ends (our button, the browser's own
 * "stop sharing", the server taking it away, or the page going away).
 */
export function useScreenShare() {
  const media = useMediaStore();
  const notices = useNoticesStore();
  const recording = useRecordingStore();
  // The captured display, for the sharer's own preview; whether it is on air is media.local.screen.
  const track = shallowRef<MediaStreamTrack | null>(null);
  const supported = Boolean(navigator.mediaDevices?.getDisplayMedia);
  /**
   * Inside the LMS's frame: the frame keeps screen sharing out (`policy`, where
   * the browser says so), or the browser refused in a frame that may (`refused`,
   * Firefox cannot tell). The room offers a window of its own.
   */
  const frameOffer = ref<'policy' | 'refused' | null>(null);

  function release(): void {
    track.value?.stop();
    track.value = null;
  }

  async function toggle(): Promise<void> {
    if (media.local.screen) {
      await media.stopScreen();
      release();
      return;
    }
    // A recording runs and we have not answered: the question first, our screen after.
    if (recording.pending) {
      recording.asking = true;
      return;
    }
    if (!frameAllows('display-capture')) {
      frameOffer.value = 'policy';
      return;
    }
    if (!supported) {
      notices.notify({ kind: 'warning', key: 'notice.screenRefused.unsupported' });
      return;
    }
    try {
      const stream = await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: 15 }, audio: false });
      track.value = stream.getVideoTracks()[0] ?? null;
    } catch (error) {
      // Cancelled, blocked or impossible: the button stays off, and the person hears why.
      const refusal = screenRefusal(error);
      if (mayBeFrameRefusal(refusal)) {
        frameOffer.value = 'refused';
        return;
      }
      notices.notify({
        kind: 'warning',
        key: `notice.screenRefused.${refusal}`,
        params: { reason: (error as { name?: string }).name ?? String(error) },
      });
      return;
    }
    if (track.value && !(await media.publishScreen(track.value))) release();
  }

  watch(
    () => media.local.screen,
    (on) => {
      if (!on) release();
    },
  );
  onScopeDispose(release);

  return { supported, toggle, track, frameOffer };
}
