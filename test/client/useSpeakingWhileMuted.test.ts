import { mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h, nextTick, ref } from 'vue';
import { useSpeakingWhileMuted } from '@/composables/useSpeakingWhileMuted';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function hint(muted: boolean) {
  const level = ref(0);
  const isMuted = ref(muted);
  let result!: ReturnType<typeof useSpeakingWhileMuted>;
  const wrapper = mount(
    defineComponent({
      setup() {
        result = useSpeakingWhileMuted(
          () => level.value,
          () => isMuted.value,
        );
        return () => h('div');
      },
    }),
  );
  async function speak(frames: number, value = 0.5) {
    for (let i = 0; i < frames; i++) {
      level.value = i % 2 ? value : value + 0.01;
      await nextTick();
      vi.advanceTimersByTime(30);
    }
  }
  return { result, speak, isMuted, unmount: () => wrapper.unmount() };
}

describe('"you are muted"', () => {
  it('appears when the muted microphone hears speech, and goes again after a while', async () => {
    const { result, speak, unmount } = hint(true);
    await speak(3);
    expect(result.speaking.value).toBe(false);
    await speak(12);
    expect(result.speaking.value).toBe(true);
    vi.advanceTimersByTime(5_000);
    expect(result.speaking.value).toBe(false);
    unmount();
  });

  it('stays away while the microphone is on, and for quiet noise', async () => {
    const { result, speak, isMuted, unmount } = hint(false);
    await speak(20);
    expect(result.speaking.value).toBe(false);
    isMuted.value = true;
    await nextTick();
    await speak(20, 0.05);
    expect(result.speaking.value).toBe(false);
    unmount();
  });
});
