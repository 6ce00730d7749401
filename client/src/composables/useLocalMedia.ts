import type { Devices } from '@/composables/useDevices';
import { i18n } from '@/locales/i18n';
import { useLessonStore } from '@/stores/lesson';
import { useMediaStore } from '@/stores/media';
import { useNoticesStore } from '@/stores/notices';
import { useRecordingStore } from '@/stores/recording';

/**
 * Switching our own microphone and camera in the lesson (buttons and
 * shortcuts alike). A device we may not use is never opened; a capture the
 * server refuses is closed at once, so nothing stays live behind a control
 * that shows it off. While a recording runs, the question whether we may
 * be recorded comes first.
 */
export function useLocalMedia(devices: Devices) {
  const lesson = useLessonStore();
  const media = useMediaStore();
  const notices = useNoticesStore();
  const recording = useRecordingStore();

  function refused(permission: 'unmute' | 'camera'): void {
    notices.notify({
      kind: 'warning',
      key: 'errors.PERMISSION_DENIED',
      failure: { code: 'PERMISSION_DENIED', details: { permission } },
    });
  }

  function problemNotice(kind: 'mic' | 'camera'): void {
    const problem = devices.problems[kind];
    if (!problem) return;
    notices.notify({
      kind: 'error',
      key: `prejoin.problem.${problem}`,
      params: { device: i18n.global.t(`prejoin.device.${kind}`) },
    });
  }

  async function toggleMic(): Promise<void> {
    if (media.local.mic) return media.muteMic();
    if (!lesson.permissions?.unmute) return refused('unmute');
    if (recording.pending) return void (recording.asking = true);
    const track = devices.micTrack.value ?? (await devices.startMic());
    if (!track) return problemNotice('mic');
    if (!(await media.publishMic(track))) devices.stopMic();
  }

  async function toggleCamera(): Promise<void> {
    if (media.local.camera) {
      await media.stopCamera();
      devices.stopCamera();
      return;
    }
    if (!lesson.permissions?.camera) return refused('camera');
    if (recording.pending) return void (recording.asking = true);
    const track = await devices.startCamera();
    if (!track) return problemNotice('camera');
    if (!(await media.publishCamera(track))) devices.stopCamera();
  }

  return { toggleMic, toggleCamera };
}
