import { afterEach, describe, expect, it, vi } from 'vitest';
import { effectScope, nextTick, shallowRef } from 'vue';
import { useVideoTrack } from '@/composables/useVideoTrack';

/** A stream as the composable reads it back: the video track it was made of. */
class FakeStream {
  constructor(readonly tracks: MediaStreamTrack[]) {}
  getVideoTracks() {
    return this.tracks;
  }
}

afterEach(() => vi.unstubAllGlobals());

const track = (id: string) => ({ id, kind: 'video' }) as MediaStreamTrack;

function videoShowing(initial: MediaStreamTrack | null) {
  vi.stubGlobal('MediaStream', FakeStream);
  const shown = shallowRef<MediaStreamTrack | null>(initial);
  // The element as the composable uses it: a place for a stream.
  const element = { srcObject: null as MediaProvider | null };
  const video = shallowRef(element as HTMLVideoElement);
  effectScope().run(() => useVideoTrack(video, () => shown.value));
  return { shown, video: () => video.value };
}

describe('showing a track in a video element', () => {
  it('shows the track once the element is there, and the next track when it changes', async () => {
    const { shown, video } = videoShowing(track('a'));
    await nextTick();
    expect((video().srcObject as unknown as FakeStream).tracks.map((t) => t.id)).toEqual(['a']);
    shown.value = track('b');
    await nextTick();
    expect((video().srcObject as unknown as FakeStream).tracks.map((t) => t.id)).toEqual(['b']);
    shown.value = null;
    await nextTick();
    expect(video().srcObject).toBeNull();
  });

  it('leaves the track already shown alone, so the picture does not restart', async () => {
    const first = track('a');
    const { shown, video } = videoShowing(first);
    await nextTick();
    const stream = video().srcObject;
    shown.value = first;
    await nextTick();
    expect(video().srcObject).toBe(stream);
  });
});
