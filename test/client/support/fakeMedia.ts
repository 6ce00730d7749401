import { vi } from 'vitest';

// happy-dom has no media devices: stand-ins record what the page does to
// them. The real devices are exercised in the browser tests.
export class FakeTrack {
  readyState: 'live' | 'ended' = 'live';
  readonly stop = vi.fn(() => {
    this.readyState = 'ended';
  });
  constructor(readonly kind: 'audio' | 'video') {}
  getSettings() {
    return { height: 720 };
  }
}

/** Every track the fake devices handed out, live or stopped. */
export const opened: FakeTrack[] = [];

export function fakeStream(constraints: MediaStreamConstraints) {
  const tracks = [
    ...(constraints.audio ? [new FakeTrack('audio')] : []),
    ...(constraints.video ? [new FakeTrack('video')] : []),
  ];
  opened.push(...tracks);
  return {
    getTracks: () => tracks,
    getAudioTracks: () => tracks.filter((t) => t.kind === 'audio'),
    getVideoTracks: () => tracks.filter((t) => t.kind === 'video'),
  };
}

export class FakeAudioContext {
  readonly close = vi.fn(async () => undefined);
  createAnalyser() {
    return { fftSize: 0, getByteTimeDomainData: () => undefined };
  }
  createMediaStreamSource() {
    return { connect: () => undefined, disconnect: () => undefined };
  }
}

/** Installs the fake devices for one test; answers getUserMedia's mock. Undo with vi.unstubAllGlobals(). */
export function installFakeMedia(): ReturnType<typeof vi.fn> {
  opened.length = 0;
  const getUserMedia = vi.fn(async (constraints: MediaStreamConstraints) => fakeStream(constraints));
  vi.stubGlobal('navigator', {
    ...navigator,
    language: 'en',
    mediaDevices: {
      getUserMedia,
      enumerateDevices: async () => [],
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
    },
  });
  vi.stubGlobal('AudioContext', FakeAudioContext);
  vi.stubGlobal('requestAnimationFrame', () => 1);
  vi.stubGlobal('cancelAnimationFrame', () => undefined);
  return getUserMedia;
}
