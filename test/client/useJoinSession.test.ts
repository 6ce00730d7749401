import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import { useDevices, type Devices } from '@/composables/useDevices';
import { useJoinSession } from '@/composables/useJoinSession';
import { storedSession, storeSession, type JoinSession } from '@/storage/joinSession';
import { useLessonStore } from '@/stores/lesson';
import { useMediaStore } from '@/stores/media';
import { useRecordingStore } from '@/stores/recording';
import { installFakeMedia, opened } from './support/fakeMedia';

const session = (extra: Partial<JoinSession> = {}): JoinSession => ({
  token: 'token',
  expiresAt: Date.now() / 1000 + 3600,
  classroomId: 'c1',
  role: 'student',
  name: 'Anna Weber',
  ...extra,
});

const connecting = () => vi.fn(async (_session: JoinSession) => undefined);
let connect: ReturnType<typeof connecting>;

beforeEach(() => {
  setActivePinia(createPinia());
  sessionStorage.clear();
  installFakeMedia();
  const lesson = useLessonStore();
  connect = connecting();
  vi.spyOn(lesson, 'connect').mockImplementation(connect);
  vi.spyOn(lesson, 'leave').mockImplementation(() => undefined);
  // Joining enters the room at once, as the server would answer.
  vi.spyOn(lesson, 'join').mockImplementation(async () => void (lesson.phase = 'joined'));
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  history.replaceState(null, '', '/');
});

async function page(classroomId = 'c1') {
  let devices!: Devices;
  let joining!: ReturnType<typeof useJoinSession>;
  const wrapper = mount(
    defineComponent({
      setup() {
        devices = useDevices();
        joining = useJoinSession(devices, () => classroomId);
        return () => h('div');
      },
    }),
  );
  await flushPromises();
  return { devices, joining, unmount: () => wrapper.unmount() };
}

const live = () => opened.filter((track) => track.readyState === 'live');

describe('opening the classroom page', () => {
  it('redeems the launch ticket in the address, keeps the session for a reload and connects with it', async () => {
    history.replaceState(null, '', '/classroom/c1#ticket=abc');
    const fetch = vi.fn(async () => Response.json(session({ token: 'launched' })));
    vi.stubGlobal('fetch', fetch);
    const { joining } = await page();
    expect(fetch).toHaveBeenCalledWith(
      '/api/launch/redeem',
      // The page names its classroom: a ticket for another one is refused.
      expect.objectContaining({ method: 'POST', body: JSON.stringify({ ticket: 'abc', classroomId: 'c1' }) }),
    );
    expect(window.location.hash).toBe('');
    expect(storedSession('c1')?.token).toBe('launched');
    expect(connect).toHaveBeenCalledWith(expect.objectContaining({ token: 'launched' }));
    expect(joining.problem.value).toBeNull();
  });

  it('opens with the session this tab kept when the address has no ticket', async () => {
    storeSession(session({ token: 'kept' }));
    await page();
    expect(connect).toHaveBeenCalledWith(expect.objectContaining({ token: 'kept' }));
  });

  it('says there is no session when the tab kept none for this classroom', async () => {
    storeSession(session({ classroomId: 'other' }));
    const { joining } = await page('c1');
    expect(joining.problem.value).toEqual({ error: { code: 'NO_SESSION' } });
    expect(connect).not.toHaveBeenCalled();
  });

  it('shows why a launch ticket was refused', async () => {
    history.replaceState(null, '', '/classroom/c1#ticket=used');
    const refusal = { error: { status: 401, code: 'TICKET_USED', message: 'used' } };
    vi.stubGlobal('fetch', async () => Response.json(refusal, { status: 401 }));
    const { joining } = await page();
    expect((joining.problem.value?.error as { code: string }).code).toBe('TICKET_USED');
    expect(connect).not.toHaveBeenCalled();
  });
});

describe('entering with what the pre-join check switched on', () => {
  it('sends the microphone that was switched on and closes the camera that was not', async () => {
    storeSession(session());
    const media = useMediaStore();
    const publishMic = vi.spyOn(media, 'publishMic').mockResolvedValue(true);
    const publishCamera = vi.spyOn(media, 'publishCamera').mockResolvedValue(true);
    const { devices, joining } = await page();
    const mic = await devices.startMic();
    await devices.startCamera();
    await joining.join({ mic: true, camera: false });
    await flushPromises();
    expect(publishMic).toHaveBeenCalledWith(mic);
    expect(publishCamera).not.toHaveBeenCalled();
    expect(live().map((track) => track.kind)).toEqual(['audio']);
  });

  it('closes a capture the server refuses on entering', async () => {
    storeSession(session());
    vi.spyOn(useMediaStore(), 'publishCamera').mockResolvedValue(false);
    const { devices, joining } = await page();
    await devices.startCamera();
    await joining.join({ mic: false, camera: true });
    await flushPromises();
    expect(live()).toEqual([]);
  });

  it('holds the chosen media until the person answered whether a running recording may record them', async () => {
    storeSession(session());
    const publishMic = vi.spyOn(useMediaStore(), 'publishMic').mockResolvedValue(true);
    const recording = useRecordingStore();
    const view = { available: true, active: true, startedAt: 1, textVersion: 'v', mine: null };
    recording.enter({ recording: view });
    const { devices, joining } = await page();
    await devices.startMic();
    await joining.join({ mic: true, camera: false });
    await flushPromises();
    expect(recording.asking).toBe(true);
    expect(publishMic).not.toHaveBeenCalled();
    recording.enter({ recording: { ...view, mine: 'none' } });
    await flushPromises();
    expect(publishMic).toHaveBeenCalledOnce();
  });

  it('applies the choice once: coming back after a lost connection changes nothing the person chose since', async () => {
    storeSession(session());
    const publishMic = vi.spyOn(useMediaStore(), 'publishMic').mockResolvedValue(true);
    const { devices, joining } = await page();
    await devices.startMic();
    await joining.join({ mic: true, camera: false });
    await flushPromises();
    const lesson = useLessonStore();
    lesson.phase = 'lobby';
    await flushPromises();
    lesson.phase = 'joined';
    await flushPromises();
    expect(publishMic).toHaveBeenCalledOnce();
  });
});

describe('leaving the lesson', () => {
  it('releases every device once the lesson is over for the page', async () => {
    storeSession(session());
    const { devices } = await page();
    await devices.startMic();
    await devices.startCamera();
    useLessonStore().phase = 'ended';
    await flushPromises();
    expect(live()).toEqual([]);
  });

  it('closes the camera the server stopped', async () => {
    storeSession(session());
    const media = useMediaStore();
    const { devices } = await page();
    await devices.startCamera();
    media.local.camera = true;
    await flushPromises();
    media.local.camera = false;
    await flushPromises();
    expect(live()).toEqual([]);
  });

  it('on Leave: out of the lesson, devices released, and the page says so', async () => {
    storeSession(session());
    const { devices, joining } = await page();
    await devices.startMic();
    joining.leave();
    expect(useLessonStore().leave).toHaveBeenCalled();
    expect(live()).toEqual([]);
    expect(joining.left.value).toBe(true);
  });

  it('leaves the lesson when the page goes away', async () => {
    storeSession(session());
    const { devices, unmount } = await page();
    await devices.startCamera();
    unmount();
    expect(useLessonStore().leave).toHaveBeenCalled();
    expect(live()).toEqual([]);
  });
});
