import { describe, expect, it } from 'vitest';
import type { RecordingManifest } from '@protocol';
import { drifted, offsetAt, playbackLength, playbackTracks, stageAt } from '@/recording/playbackPlan';

const segment = (
  id: string,
  extra: Partial<RecordingManifest['segments'][number]>,
): RecordingManifest['segments'][number] => ({
  id,
  participantId: 'p',
  role: 'student',
  source: 'mic',
  kind: 'audio',
  start: 0,
  end: 10_000,
  url: `/s/${id}`,
  ...extra,
});

const manifest: RecordingManifest = {
  recording: {
    id: 'r',
    lessonId: 'l',
    startedAt: new Date(0).toISOString(),
    endedAt: null,
    published: false,
    downloadable: false,
    expiresAt: new Date(0).toISOString(),
  },
  segments: [
    segment('teacher-cam', { role: 'teacher', source: 'camera', kind: 'video', start: 40, end: 12_000 }),
    segment('teacher-mic', { role: 'teacher', source: 'mic', start: 10, end: 12_000 }),
    segment('anna-cam', { source: 'camera', kind: 'video', start: 500, end: 6_000 }),
    segment('anna-mic', { start: 520, end: 6_000 }),
    segment('screen', { role: 'teacher', source: 'screen', kind: 'video', start: 3_000, end: null }),
  ],
  events: [
    { at: 1_000, type: 'stage', data: { mode: 'slides', page: 1 } },
    { at: 4_000, type: 'stage', data: { mode: 'slides', page: 2 } },
  ],
};

describe('the playback plan', () => {
  it("plays the teacher's view and every recorded voice, never a student's picture", () => {
    const { video, audio } = playbackTracks(manifest);
    expect(video.map((track) => track.id)).toEqual(['teacher-cam', 'screen']);
    expect(audio.map((track) => track.id)).toEqual(['teacher-mic', 'anna-mic']);
  });

  it('places each file on the shared time line, silent before its start and after its end', () => {
    const [camera, mic] = manifest.segments;
    expect(offsetAt(camera!, 30)).toBeNull();
    expect(offsetAt(camera!, 1_040)).toBe(1);
    expect(offsetAt(mic!, 1_040)).toBeCloseTo(1.03);
    expect(offsetAt(camera!, 12_000)).toBeNull();
    expect(playbackLength(manifest)).toBe(12_000);
  });

  it('puts an element back only when it drifted more than 80 ms', () => {
    expect(drifted(1.05, 1)).toBe(false);
    expect(drifted(1.09, 1)).toBe(true);
    expect(drifted(0.9, 1)).toBe(true);
  });

  it('shows what the class saw at each moment', () => {
    expect(stageAt(manifest, 500)).toBeNull();
    expect(stageAt(manifest, 2_000)).toEqual({ mode: 'slides', page: 1 });
    expect(stageAt(manifest, 5_000)).toEqual({ mode: 'slides', page: 2 });
  });
});
