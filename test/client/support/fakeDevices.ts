import { computed, reactive, ref, shallowRef } from 'vue';
import type { Devices } from '@/composables/useDevices';

/** Devices for the pre-join page: nothing listed, each start gives a track, no problem until a test sets one. */
export function fakeDevices(): Devices {
  return {
    supported: true,
    devices: ref([]),
    choices: reactive({ mic: '', camera: '', speaker: '' }),
    problems: reactive({ mic: null, camera: null }),
    micTrack: shallowRef(null),
    cameraTrack: shallowRef(null),
    micLevel: computed(() => 0),
    listOf: () => [],
    startMic: async () => ({}) as MediaStreamTrack,
    stopMic: () => undefined,
    startCamera: async () => ({}) as MediaStreamTrack,
    stopCamera: () => undefined,
    choose: async () => undefined,
    playTestSound: async () => undefined,
    release: () => undefined,
  } as unknown as Devices;
}
