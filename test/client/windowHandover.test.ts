import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import { useDevices, type Devices } from '@/composables/useDevices';
import { useJoinSession } from '@/composables/useJoinSession';
import { storeSession, type JoinSession } from '@/storage/joinSession';
import { useLessonStore } from '@/stores/lesson';
import { useNoticesStore } from '@/stores/notices';
import { useWindowHandoverStore } from '@/stores/windowHandover';
import { installFakeMedia, opened } from './support/fakeMedia';

const session: JoinSession = {
  token: 'frame-token',
  expiresAt: Date.now() / 1000 + 3600,
  classroomId: 'c1',
  role: 'student',
  name: 'Anna Weber',
};

/** A window as window.open hands it out: where the page sends it, whether it was closed. */
function fakeWindow() {
  return { opener: {} as unknown, location: { replace: vi.fn() }, close: vi.fn() };
}

beforeEach(() => {
  setActivePinia(createPinia());
  sessionStorage.clear();
  installFakeMedia();
  const lesson = useLessonStore();
  vi.spyOn(lesson, 'connect').mockImplementation(async () => undefined);
  vi.spyOn(lesson, 'leave').mockImplementation(() => undefined);
  lesson.session = session;
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('opening the classroom in a new window from the frame', () => {
  it('opens the window within the click, then sends it to the classroom with its own ticket', async () => {
    const win = fakeWindow();
    const open = vi.fn(() => win);
    vi.stubGlobal('open', open);
    let answer!: (response: Response) => void;
    const fetch = vi.fn(() => new Promise<Response>((resolve) => (answer = resolve)));
    vi.stubGlobal('fetch', fetch);
    const handover = useWindowHandoverStore();

    const opening = handover.openWindow();
    // Before the request answers: the browser counts a window opened later as an unasked pop-up.
    expect(open).toHaveBeenCalledWith('', '_blank');
    expect(win.opener).toBeNull();
    expect(fetch).toHaveBeenCalledWith(
      '/api/classrooms/c1/handover',
      expect.objectContaining({
        method: 'POST',
        headers: expect.objectContaining({ Authorization: 'Bearer frame-token' }),
      }),
    );
    answer(Response.json({ ticket: 'one-time', expiresInSeconds: 60 }, { status: 201 }));
    await opening;
    expect(win.location.replace).toHaveBeenCalledWith(
      `${window.location.origin}/classroom/c1#ticket=one-time&lang=en`,
    );
    expect(handover.handedOver).toBe(true);
  });

  it('says so when the browser blocks the window, and asks for no ticket', async () => {
    vi.stubGlobal('open', () => null);
    const fetch = vi.fn();
    vi.stubGlobal('fetch', fetch);
    const handover = useWindowHandoverStore();
    await handover.openWindow();
    expect(fetch).not.toHaveBeenCalled();
    expect(useNoticesStore().notices.map((notice) => notice.key)).toEqual(['handover.popupBlocked']);
    expect(handover.handedOver).toBe(false);
  });

  it('closes the window again when the ticket is refused, and shows why', async () => {
    const win = fakeWindow();
    vi.stubGlobal('open', () => win);
    const refusal = { error: { status: 403, code: 'SWITCHED_OFF', message: 'off' } };
    vi.stubGlobal('fetch', async () => Response.json(refusal, { status: 403 }));
    const handover = useWindowHandoverStore();
    await handover.openWindow();
    expect(win.close).toHaveBeenCalled();
    expect(win.location.replace).not.toHaveBeenCalled();
    expect(useNoticesStore().notices.map((notice) => notice.key)).toEqual(['errors.SWITCHED_OFF']);
    expect(handover.handedOver).toBe(false);
  });

  it('lets the frame leave the lesson and release its devices once the window took over', async () => {
    storeSession(session);
    let devices!: Devices;
    const wrapper = mount(
      defineComponent({
        setup() {
          devices = useDevices();
          useJoinSession(devices, () => 'c1');
          return () => h('div');
        },
      }),
    );
    await flushPromises();
    await devices.startMic();
    useWindowHandoverStore().handedOver = true;
    await flushPromises();
    expect(useLessonStore().leave).toHaveBeenCalled();
    expect(opened.filter((track) => track.readyState === 'live')).toEqual([]);
    wrapper.unmount();
  });
});
