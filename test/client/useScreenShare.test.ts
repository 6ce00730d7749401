import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import de from '../../client/src/locales/de.json';
import en from '../../client/src/locales/en.json';
import { screenRefusal, useScreenShare } from '@/composables/useScreenShare';
import { i18n } from '@/locales/i18n';
import { useMediaStore } from '@/stores/media';
import { useNoticesStore } from '@/stores/notices';
import { fakeStream } from './support/fakeMedia';
import { inFrame, leaveFrame } from './support/framePolicy';

/** A DOMException as browsers reject getDisplayMedia with. */
const refusal = (name: string) => Object.assign(new Error(name), { name });

function shareWith(options: {
  getDisplayMedia: () => Promise<unknown>;
  framed?: boolean;
  policy?: Record<string, boolean>;
}) {
  vi.stubGlobal('navigator', { ...navigator, mediaDevices: { getDisplayMedia: options.getDisplayMedia } });
  inFrame(options);
  let share!: ReturnType<typeof useScreenShare>;
  const wrapper = mount(
    defineComponent({
      setup() {
        share = useScreenShare();
        return () => h('div');
      },
    }),
    { global: { plugins: [i18n] } },
  );
  return { share, unmount: () => wrapper.unmount() };
}

let unmount: (() => void) | undefined;
beforeEach(() => {
  setActivePinia(createPinia());
  vi.spyOn(useMediaStore(), 'publishScreen').mockResolvedValue(true);
});
afterEach(() => {
  unmount?.();
  unmount = undefined;
  leaveFrame();
  vi.restoreAllMocks();
});

const noticeKeys = () => useNoticesStore().notices.map((notice) => notice.key);

describe('a screen share the browser refuses', () => {
  it.each([
    ['NotFoundError', 'missing'],
    ['InvalidStateError', 'gesture'],
    ['NotAllowedError', 'denied'],
    ['NotReadableError', 'unreadable'],
    ['NotSupportedError', 'unsupported'],
    ['OverconstrainedError', 'failed'],
  ])('explains %s in its own words, in German and English', async (name, reason) => {
    expect(screenRefusal(refusal(name))).toBe(reason);
    for (const messages of [en, de]) {
      expect(typeof (messages.notice.screenRefused as Record<string, unknown>)[reason]).toBe('string');
    }
    const page = shareWith({ getDisplayMedia: async () => Promise.reject(refusal(name)) });
    unmount = page.unmount;
    await page.share.toggle();
    expect(noticeKeys()).toEqual([`notice.screenRefused.${reason}`]);
    expect(page.share.frameOffer.value).toBeNull();
  });

  it('offers a window of its own, without asking, where the frame says it keeps screen sharing out', async () => {
    const getDisplayMedia = vi.fn();
    const page = shareWith({ getDisplayMedia, framed: true, policy: { 'display-capture': false } });
    unmount = page.unmount;
    await page.share.toggle();
    expect(getDisplayMedia).not.toHaveBeenCalled();
    expect(page.share.frameOffer.value).toBe('policy');
    expect(noticeKeys()).toEqual([]);
  });

  it('offers a window of its own when refused in a frame that does not say what it allows (Firefox)', async () => {
    const page = shareWith({
      getDisplayMedia: async () => Promise.reject(refusal('NotAllowedError')),
      framed: true,
    });
    unmount = page.unmount;
    await page.share.toggle();
    expect(page.share.frameOffer.value).toBe('refused');
  });

  it('takes a refusal in a frame that allows screen sharing for the person cancelling', async () => {
    const page = shareWith({
      getDisplayMedia: async () => Promise.reject(refusal('NotAllowedError')),
      framed: true,
      policy: { 'display-capture': true },
    });
    unmount = page.unmount;
    await page.share.toggle();
    expect(page.share.frameOffer.value).toBeNull();
    expect(noticeKeys()).toEqual(['notice.screenRefused.denied']);
  });

  it('sends the screen when the browser hands one over', async () => {
    const page = shareWith({ getDisplayMedia: async () => fakeStream({ video: true }) });
    unmount = page.unmount;
    await page.share.toggle();
    await flushPromises();
    expect(useMediaStore().publishScreen).toHaveBeenCalled();
    expect(noticeKeys()).toEqual([]);
  });
});
