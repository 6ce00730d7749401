import type { RecordingManifest } from '@protocol';

export type PlaybackTrack = RecordingManifest['segments'][number];

/** How far an element may drift from the shared clock before it is put back (the bench's goal: 80 ms). */
export const MAX_DRIFT_SECONDS = 0.08;

/**
 * What the playback page plays: the teacher's view (their camera, and any
 * screen share) and every recorded voice, each segment placed on one time
 * line in milliseconds from the recording's start. Nothing is composited:
 * each file plays in its own element, kept on the shared clock.
 */
export function playbackTracks(manifest: RecordingManifest): {
  video: PlaybackTrack[];
  audio: PlaybackTrack[];
} {
  return {
    video: manifest.segments.filter(
      (segment) => segment.kind === 'video' && (segment.source === 'screen' || segment.role === 'teacher'),
    ),
    audio: manifest.segments.filter((segment) => segment.kind === 'audio'),
  };
}

/** The recording's length in milliseconds: where its last segment ends. */
export function playbackLength(manifest: RecordingManifest): number {
  return Math.max(0, ...manifest.segments.map((segment) => segment.end ?? segment.start));
}

/** Seconds into a segment's file at `at` (ms on the time line), or null while it is not playing. */
export function offsetAt(track: PlaybackTrack, at: number): number | null {
  if (at < track.start || (track.end !== null && at >= track.end)) return null;
  return (at - track.start) / 1000;
}

/** Whether an element playing at `currentTime` must be put back to `offset`. */
export function drifted(currentTime: number, offset: number): boolean {
  return Math.abs(currentTime - offset) > MAX_DRIFT_SECONDS;
}

/** What the class saw at `at`: the last stage change before it (slides or board page), if any. */
export function stageAt(manifest: RecordingManifest, at: number): Record<string, unknown> | null {
  const changes = manifest.events.filter((event) => event.type === 'stage' && event.at <= at);
  return changes.at(-1)?.data ?? null;
}
