import { mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h, nextTick } from 'vue';
import { useFullscreen } from '@/composables/useFullscreen';

/** The browser's fullscreen as a frame with `allowfullscreen` offers it. */
function allowFullscreen(enabled: boolean) {
  let element: Element | null = null;
  const change = () => document.dispatchEvent(new Event('fullscreenchange'));
  Object.defineProperty(document, 'fullscreenEnabled', { configurable: true, value: enabled });
  Object.defineProperty(document, 'fullscreenElement', { configurable: true, get: () => element });
  const request = vi.fn(async () => {
    element = document.documentElement;
    change();
  });
  Object.defineProperty(document.documentElement, 'requestFullscreen', {
    configurable: true,
    value: request,
  });
  Object.defineProperty(document, 'exitFullscreen', {
    configurable: true,
    value: vi.fn(async () => {
      element = null;
      change();
    }),
  });
  return { request, leaveWithEscape: () => ((element = null), change()) };
}

function page() {
  let fullscreen!: ReturnType<typeof useFullscreen>;
  const wrapper = mount(
    defineComponent({
      setup() {
        fullscreen = useFullscreen();
        return () => h('div');
      },
    }),
  );
  return { fullscreen, unmount: () => wrapper.unmount() };
}

afterEach(() => {
  for (const name of ['fullscreenEnabled', 'fullscreenElement', 'exitFullscreen'])
    Reflect.deleteProperty(document, name);
  Reflect.deleteProperty(document.documentElement, 'requestFullscreen');
});

describe("the lesson's fullscreen button", () => {
  it('puts the whole page in fullscreen and back, and follows the browser leaving it with Esc', async () => {
    const browser = allowFullscreen(true);
    const { fullscreen, unmount } = page();
    expect(fullscreen.supported).toBe(true);
    await fullscreen.toggle();
    expect(browser.request).toHaveBeenCalledOnce();
    expect(fullscreen.active.value).toBe(true);
    await fullscreen.toggle();
    expect(fullscreen.active.value).toBe(false);
    await fullscreen.toggle();
    browser.leaveWithEscape();
    await nextTick();
    expect(fullscreen.active.value).toBe(false);
    unmount();
  });

  it('is not offered where the frame does not allow fullscreen', async () => {
    const browser = allowFullscreen(false);
    const { fullscreen, unmount } = page();
    expect(fullscreen.supported).toBe(false);
    await fullscreen.toggle();
    expect(browser.request).not.toHaveBeenCalled();
    unmount();
  });
});
