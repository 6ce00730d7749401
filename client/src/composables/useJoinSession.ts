import { onMounted, onScopeDispose, ref, watch } from 'vue';
import { redeemLaunchTicket, takeTicketFromHash } from '@/api/launchApi';
import type { Devices } from '@/composables/useDevices';
import { storedSession, storeSession, type JoinSession } from '@/storage/joinSession';
import { useLessonStore } from '@/stores/lesson';
import { isOutcome } from '@/stores/lessonPhase';
import { useMediaStore } from '@/stores/media';
import { useRecordingStore } from '@/stores/recording';
import { useWindowHandoverStore } from '@/stores/windowHandover';

/** What the person switched on in the pre-join check. */
export interface DeviceChoice {
  mic: boolean;
  camera: boolean;
}

/**
 * The page's way into its lesson and out of it: the join session (from the
 * launch ticket in the address, or kept for this classroom in the tab), the
 * connection, the pre-join choice sent once on entering, and the devices
 * released whenever the lesson is over for this page or went on in a window
 * of its own.
 */
export function useJoinSession(devices: Devices, classroomId: () => string) {
  const lesson = useLessonStore();
  const media = useMediaStore();
  const recording = useRecordingStore();
  const handover = useWindowHandoverStore();
  /** Why the page cannot open the classroom: no session, or the launch ticket was refused. */
  const problem = ref<{ error: unknown } | null>(null);
  /** The person pressed Leave: the page says so and stays. */
  const left = ref(false);
  /**
   * What the user chose in the pre-join check, applied once on entering. Null
   * afterwards: coming back after a lost connection changes nothing they chose.
   */
  let wanted: DeviceChoice | null = null;

  async function open(): Promise<void> {
    const id = classroomId();
    let session: JoinSession | undefined;
    const ticket = takeTicketFromHash();
    try {
      if (ticket) {
        session = await redeemLaunchTicket(ticket, id);
        storeSession(session);
      } else {
        session = storedSession(id);
      }
    } catch (error) {
      problem.value = { error };
      return;
    }
    if (!session || session.classroomId !== id) {
      problem.value = { error: { code: 'NO_SESSION' } };
      return;
    }
    await lesson.connect(session);
  }

  async function join(choice: DeviceChoice): Promise<void> {
    wanted = choice;
    await lesson.join();
  }

  function leave(): void {
    lesson.leave();
    devices.release();
    left.value = true;
  }

  /**
   * Entering (now, or later from the lobby): send what the user switched on
   * before; while a recording runs, only once they answered whether they may be recorded.
   */
  async function sendChosen(): Promise<void> {
    const chosen = wanted;
    if (!chosen) return;
    wanted = null;
    await recording.answered();
    if (lesson.phase !== 'joined') return;
    const { micTrack, cameraTrack } = devices;
    if (chosen.mic && micTrack.value && !(await media.publishMic(micTrack.value))) devices.stopMic();
    if (chosen.camera && cameraTrack.value && !(await media.publishCamera(cameraTrack.value)))
      devices.stopCamera();
    if (!chosen.camera) devices.stopCamera();
    if (!chosen.mic) devices.stopMic();
  }

  watch(
    () => lesson.phase,
    (phase, before) => {
      if (phase === 'joined' && before !== 'joined') void sendChosen();
      // Out of the room (ended, removed, denied): nothing of ours stays captured.
      if (isOutcome(phase) || phase === 'failed') devices.release();
    },
  );
  // The classroom went on in a window of its own: this page leaves, so the person is there once.
  watch(
    () => handover.handedOver,
    (gone) => {
      if (!gone) return;
      lesson.leave();
      devices.release();
    },
  );
  // The server stopped our camera (a teacher, a permission taken away): its light goes out too.
  watch(
    () => media.local.camera,
    (on) => {
      if (!on) devices.stopCamera();
    },
  );

  onMounted(open);
  onScopeDispose(() => {
    lesson.leave();
    devices.release();
  });

  return { problem, left, join, leave };
}
