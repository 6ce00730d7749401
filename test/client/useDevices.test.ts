import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import { useDevices, type Devices } from '@/composables/useDevices';
import { classifyMediaError } from '@/media/deviceProblems';
import { fakeStream, installFakeMedia, type FakeTrack } from './support/fakeMedia';
import { useNoticesStore } from '@/stores/notices';

let getUserMedia: ReturnType<typeof vi.fn>;

beforeEach(() => {
  getUserMedia = installFakeMedia();
});

afterEach(() => {
  vi.unstubAllGlobals();
});

let pinia = createPinia();

function withDevices(): { devices: Devices; unmount: () => void } {
  pinia = createPinia();
  setActivePinia(pinia);
  let devices!: Devices;
  const wrapper = mount(
    defineComponent({
      setup() {
        devices = useDevices();
        return () => h('div');
      },
    }),
    { global: { plugins: [pinia] } },
  );
  return { devices, unmount: () => wrapper.unmount() };
}

describe('useDevices', () => {
  it('starts with nothing captured: microphone and camera are off until asked for', () => {
    const { devices, unmount } = withDevices();
    expect(devices.micTrack.value).toBeNull();
    expect(devices.cameraTrack.value).toBeNull();
    expect(getUserMedia).not.toHaveBeenCalled();
    unmount();
  });

  it('releases camera and microphone when the component unmounts', async () => {
    const { devices, unmount } = withDevices();
    const mic = (await devices.startMic()) as unknown as FakeTrack;
    const camera = (await devices.startCamera()) as unknown as FakeTrack;
    expect(mic.readyState).toBe('live');
    unmount();
    expect(mic.stop).toHaveBeenCalled();
    expect(camera.stop).toHaveBeenCalled();
    expect(devices.micTrack.value).toBeNull();
    expect(devices.cameraTrack.value).toBeNull();
  });

  it('stops a track that arrives after unmount instead of leaking it', async () => {
    let resolve!: (stream: unknown) => void;
    getUserMedia.mockImplementationOnce(() => new Promise((r) => (resolve = r)));
    const { devices, unmount } = withDevices();
    const pending = devices.startCamera();
    unmount();
    const stream = fakeStream({ video: true });
    resolve(stream);
    expect(await pending).toBeNull();
    expect((stream.getVideoTracks()[0] as FakeTrack).stop).toHaveBeenCalled();
  });

  it('turning the camera off releases it', async () => {
    const { devices, unmount } = withDevices();
    const camera = (await devices.startCamera()) as unknown as FakeTrack;
    devices.stopCamera();
    expect(camera.stop).toHaveBeenCalled();
    unmount();
  });

  it('releases the camera and microphone once when the page leaves and then unmounts', async () => {
    const { devices, unmount } = withDevices();
    const camera = (await devices.startCamera()) as unknown as FakeTrack;
    const mic = (await devices.startMic()) as unknown as FakeTrack;
    devices.release();
    unmount();
    devices.release();
    expect(camera.stop).toHaveBeenCalledTimes(1);
    expect(mic.stop).toHaveBeenCalledTimes(1);
  });

  it('names the problem when the browser refuses', async () => {
    getUserMedia.mockRejectedValueOnce(Object.assign(new Error('x'), { name: 'NotReadableError' }));
    const { devices, unmount } = withDevices();
    expect(await devices.startMic()).toBeNull();
    expect(devices.problems.mic).toBe('busy');
    unmount();
  });

  it('classifies getUserMedia errors into help texts', () => {
    const named = (name: string) => Object.assign(new Error(name), { name });
    expect(classifyMediaError(named('NotAllowedError'), 'camera')).toBe('denied');
    expect(classifyMediaError(named('NotFoundError'), 'camera')).toBe('missing');
    expect(classifyMediaError(named('OverconstrainedError'), 'camera')).toBe('missing');
    expect(classifyMediaError(named('NotReadableError'), 'microphone')).toBe('busy');
    expect(classifyMediaError(named('TypeError'), 'microphone')).toBe('unknown');
  });

  it('says what it waits for when the browser holds a capture back, and nothing once it answers', async () => {
    vi.useFakeTimers();
    try {
      let resolve!: (stream: unknown) => void;
      getUserMedia.mockImplementationOnce(() => new Promise((r) => (resolve = r)));
      const { devices, unmount } = withDevices();
      const notices = useNoticesStore();
      const started = devices.startMic();
      await vi.advanceTimersByTimeAsync(2_000);
      expect(notices.notices.map((n) => n.key)).toEqual(['notice.waitingForBrowser.mic']);
      resolve(fakeStream({ audio: true }));
      expect(await started).not.toBeNull();
      expect(notices.notices).toEqual([]);
      unmount();
    } finally {
      vi.useRealTimers();
    }
  });
});
