import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import { useDevices, type Devices } from '@/composables/useDevices';
import { useLocalMedia } from '@/composables/useLocalMedia';
import { useLessonStore } from '@/stores/lesson';
import { useMediaStore } from '@/stores/media';
import { useNoticesStore } from '@/stores/notices';
import { studentPermissions } from './support/classroomPage';
import { fakeStream, installFakeMedia, opened } from './support/fakeMedia';

let getUserMedia: ReturnType<typeof vi.fn>;

beforeEach(() => {
  setActivePinia(createPinia());
  getUserMedia = installFakeMedia();
});

afterEach(() => {
  vi.unstubAllGlobals();
});

function page() {
  let devices!: Devices;
  let local!: ReturnType<typeof useLocalMedia>;
  const wrapper = mount(
    defineComponent({
      setup() {
        devices = useDevices();
        local = useLocalMedia(devices);
        return () => h('div');
      },
    }),
  );
  return { devices, local, unmount: () => wrapper.unmount() };
}

const live = () => opened.filter((track) => track.readyState === 'live');

describe('the microphone in the lesson', () => {
  it('pressing M while the microphone is not allowed captures nothing and says why', async () => {
    useLessonStore().permissions = { ...studentPermissions, unmute: false };
    const { local, unmount } = page();
    await local.toggleMic();
    expect(getUserMedia).not.toHaveBeenCalled();
    expect(live()).toEqual([]);
    expect(useNoticesStore().notices.map((n) => n.failure?.code)).toEqual(['PERMISSION_DENIED']);
    unmount();
  });

  it('a capture the server refuses is released at once, not left live while the control shows off', async () => {
    useLessonStore().permissions = studentPermissions;
    const media = useMediaStore();
    const publish = vi.spyOn(media, 'publishMic').mockResolvedValue(false);
    const { local, devices, unmount } = page();
    await local.toggleMic();
    expect(publish).toHaveBeenCalled();
    expect(media.local.mic).toBe(false);
    expect(live()).toEqual([]);
    expect(devices.micTrack.value).toBeNull();
    unmount();
  });

  it('a microphone switched off while it is still being opened is closed when it arrives', async () => {
    let resolve!: (stream: unknown) => void;
    getUserMedia.mockImplementationOnce(
      (constraints: MediaStreamConstraints) =>
        new Promise((r) => (resolve = () => r(fakeStream(constraints)))),
    );
    const { devices, unmount } = page();
    const pending = devices.startMic();
    devices.stopMic();
    resolve(undefined);
    expect(await pending).toBeNull();
    expect(opened).toHaveLength(1);
    expect(live()).toEqual([]);
    unmount();
  });

  it('the camera is not opened without the permission', async () => {
    useLessonStore().permissions = { ...studentPermissions, camera: false };
    const { local, unmount } = page();
    await local.toggleCamera();
    expect(getUserMedia).not.toHaveBeenCalled();
    unmount();
  });
});
