import { watch, type Ref } from 'vue';

/**
 * Shows a track in a video element whenever both are there. The track
 * already shown is left alone: a new MediaStream for it would restart the
 * picture.
 */
export function useVideoTrack(
  element: Ref<HTMLVideoElement | null>,
  track: () => MediaStreamTrack | null | undefined,
): void {
  watch(
    () => [track(), element.value] as const,
    ([current, video]) => {
      if (!video) return;
      const shown = (video.srcObject as MediaStream | null)?.getVideoTracks()[0];
      if (shown === current) return;
      video.srcObject = current ? new MediaStream([current]) : null;
    },
    { immediate: true },
  );
}
