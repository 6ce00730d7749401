import { onScopeDispose, reactive, ref, shallowRef } from 'vue';
import { classifyMediaError, type DeviceProblem } from '@/media/deviceProblems';
import { CAMERA_CONSTRAINTS } from '@/media/encodings';
import { playChime } from '@/media/testSound';
import { readStored, writeStored } from '@/storage/webStorage';
import { useNoticesStore } from '@/stores/notices';

/** A capture the browser has not answered after this long is waiting for the person. */
const CAPTURE_WAIT_NOTICE_MS = 1_500;

export type DeviceKind = 'mic' | 'camera' | 'speaker';
const STORAGE_KEY = 'aula.devices';

function loadChoices(): Record<DeviceKind, string> {
  try {
    return { mic: '', camera: '', speaker: '', ...JSON.parse(readStored('local', STORAGE_KEY) ?? '{}') };
  } catch {
    return { mic: '', camera: '', speaker: '' };
  }
}

/**
 * The local camera and microphone: which devices exist, which are chosen
 * (remembered per browser), the live tracks, and a microphone level meter.
 * Everything is released when the owning component goes away.
 */
export function useDevices() {
  const notices = useNoticesStore();
  const supported = Boolean(navigator.mediaDevices?.getUserMedia);
  const devices = ref<MediaDeviceInfo[]>([]);
  const choices = reactive(loadChoices());
  const micTrack = shallowRef<MediaStreamTrack | null>(null);
  const cameraTrack = shallowRef<MediaStreamTrack | null>(null);
  const micLevel = ref(0);
  const problems = reactive<Record<'mic' | 'camera', DeviceProblem | null>>({ mic: null, camera: null });
  let audioContext: AudioContext | undefined;
  let meterFrame = 0;
  let meterSource: MediaStreamAudioSourceNode | undefined;
  let released = false;
  /**
   * Raised by every start and stop: a capture that arrives after a later
   * stop (or start) is no longer wanted and is released at once, never kept
   * live behind a control that shows it off.
   */
  const attempt = { mic: 0, camera: 0 };

  const unsupportedReason = (): DeviceProblem => (window.isSecureContext ? 'unsupported' : 'insecure');

  // Firefox answers enumerateDevices only while the window has focus, and names devices only
  // while one captures: an old answer may arrive last and without names. Only the latest
  // answer counts, and a name once seen is kept.
  let enumeration = 0;
  const knownLabels = new Map<string, string>();

  async function refreshDevices(): Promise<void> {
    if (!supported) return;
    const call = (enumeration += 1);
    const found = await navigator.mediaDevices.enumerateDevices();
    if (call !== enumeration) return;
    for (const device of found) if (device.label) knownLabels.set(device.deviceId, device.label);
    devices.value = found;
  }

  /** A live track names its device even where the browser's list does not. */
  function remember(track: MediaStreamTrack | null): void {
    const deviceId = track?.getSettings().deviceId;
    if (track && deviceId && track.label) knownLabels.set(deviceId, track.label);
    // Not awaited: Firefox holds the answer while the window is in the background, and the
    // switch must not wait for the list.
    void refreshDevices().catch(() => undefined);
  }

  function persist(): void {
    writeStored('local', STORAGE_KEY, JSON.stringify(choices));
  }

  /**
   * getUserMedia, with a word to the person when the browser holds it back:
   * Firefox (and Safari) answer only while the window has focus, and every
   * browser waits while its permission prompt is open. Without this the
   * button just stayed off.
   */
  async function capture(kind: 'mic' | 'camera', constraints: MediaStreamConstraints): Promise<MediaStream> {
    const key = `notice.waitingForBrowser.${kind}`;
    const timer = setTimeout(() => notices.notify({ kind: 'info', key }), CAPTURE_WAIT_NOTICE_MS);
    try {
      return await navigator.mediaDevices.getUserMedia(constraints);
    } finally {
      clearTimeout(timer);
      notices.dismiss(key);
    }
  }

  function listOf(kind: DeviceKind): Array<Pick<MediaDeviceInfo, 'deviceId' | 'kind' | 'label'>> {
    const type = kind === 'mic' ? 'audioinput' : kind === 'camera' ? 'videoinput' : 'audiooutput';
    return devices.value
      .filter((device) => device.kind === type && device.deviceId)
      .map(({ deviceId, kind: deviceKind, label }) => ({
        deviceId,
        kind: deviceKind,
        label: label || knownLabels.get(deviceId) || '',
      }));
  }

  async function startMic(): Promise<MediaStreamTrack | null> {
    if (!supported) {
      problems.mic = unsupportedReason();
      return null;
    }
    stopMic();
    const mine = ++attempt.mic;
    try {
      const stream = await capture('mic', {
        audio: {
          ...(choices.mic ? { deviceId: { ideal: choices.mic } } : {}),
          echoCancellation: true,
          noiseSuppression: true,
          autoGainControl: true,
        },
      });
      if (released || mine !== attempt.mic) {
        stream.getTracks().forEach((track) => track.stop());
        return null;
      }
      micTrack.value = stream.getAudioTracks()[0] ?? null;
      problems.mic = null;
      remember(micTrack.value);
      try {
        startMeter(stream);
      } catch {
        // Only the level meter is lost (Firefox refuses a track whose rate differs from the
        // AudioContext's): the microphone itself is on.
      }
      return micTrack.value;
    } catch (error) {
      if (mine === attempt.mic) problems.mic = classifyMediaError(error, 'microphone');
      return null;
    }
  }

  /** Closes the microphone now, including one still being opened. */
  function stopMic(): void {
    attempt.mic += 1;
    cancelAnimationFrame(meterFrame);
    meterSource?.disconnect();
    meterSource = undefined;
    micLevel.value = 0;
    micTrack.value?.stop();
    micTrack.value = null;
  }

  async function startCamera(): Promise<MediaStreamTrack | null> {
    if (!supported) {
      problems.camera = unsupportedReason();
      return null;
    }
    stopCamera();
    const mine = ++attempt.camera;
    try {
      const stream = await capture('camera', {
        video: { ...CAMERA_CONSTRAINTS, ...(choices.camera ? { deviceId: { ideal: choices.camera } } : {}) },
      });
      if (released || mine !== attempt.camera) {
        stream.getTracks().forEach((track) => track.stop());
        return null;
      }
      cameraTrack.value = stream.getVideoTracks()[0] ?? null;
      problems.camera = null;
      remember(cameraTrack.value);
      return cameraTrack.value;
    } catch (error) {
      if (mine === attempt.camera) problems.camera = classifyMediaError(error, 'camera');
      return null;
    }
  }

  /** Turning the camera off releases it (one still being opened too): the camera light goes out. */
  function stopCamera(): void {
    attempt.camera += 1;
    cameraTrack.value?.stop();
    cameraTrack.value = null;
  }

  async function choose(kind: DeviceKind, deviceId: string): Promise<void> {
    choices[kind] = deviceId;
    persist();
    if (kind === 'mic' && micTrack.value) await startMic();
    if (kind === 'camera' && cameraTrack.value) await startCamera();
  }

  function startMeter(stream: MediaStream): void {
    audioContext ??= new AudioContext();
    const analyser = audioContext.createAnalyser();
    analyser.fftSize = 512;
    meterSource = audioContext.createMediaStreamSource(stream);
    meterSource.connect(analyser);
    const samples = new Uint8Array(analyser.fftSize);
    const tick = () => {
      analyser.getByteTimeDomainData(samples);
      let peak = 0;
      for (const sample of samples) peak = Math.max(peak, Math.abs(sample - 128));
      micLevel.value = Math.min(1, peak / 64);
      meterFrame = requestAnimationFrame(tick);
    };
    tick();
  }

  /** A short two-tone chime on the chosen speaker, so people can check they hear anything at all. */
  async function playTestSound(): Promise<void> {
    audioContext ??= new AudioContext();
    await playChime(audioContext, choices.speaker);
  }

  /** Stops every device once, however many owners say goodbye (leaving, unmounting, the scope ending). */
  function release(): void {
    if (released) return;
    released = true;
    stopMic();
    stopCamera();
    void audioContext?.close().catch(() => undefined);
    audioContext = undefined;
    navigator.mediaDevices?.removeEventListener?.('devicechange', refreshDevices);
  }

  navigator.mediaDevices?.addEventListener?.('devicechange', refreshDevices);
  void refreshDevices().catch(() => undefined);
  onScopeDispose(release);

  return {
    supported,
    devices,
    choices,
    problems,
    micTrack,
    cameraTrack,
    micLevel,
    listOf,
    startMic,
    stopMic,
    startCamera,
    stopCamera,
    choose,
    playTestSound,
    release,
  };
}

export type Devices = ReturnType<typeof useDevices>;
