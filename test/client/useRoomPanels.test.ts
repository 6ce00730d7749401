import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import { useRoomPanels } from '@/composables/useRoomPanels';
import { useChatStore } from '@/stores/chat';
import { useLessonStore } from '@/stores/lesson';

beforeEach(() => {
  setActivePinia(createPinia());
  useLessonStore().phase = 'joined';
});
afterEach(() => vi.unstubAllGlobals());

function panelsOfPage() {
  let panels!: ReturnType<typeof useRoomPanels>;
  mount(
    defineComponent({
      setup() {
        panels = useRoomPanels();
        return () => h('div');
      },
    }),
  );
  return panels;
}

describe('the room panels', () => {
  it('shows one panel at a time; its control pressed again closes it', () => {
    const panels = panelsOfPage();
    panels.toggle('participants');
    panels.toggle('teacher');
    expect(panels.panel.value).toBe('teacher');
    panels.toggle('teacher');
    expect(panels.panel.value).toBeNull();
  });

  it('leaves a panel open when asked to open it again (the breakout strip opens the breakout panel)', () => {
    const panels = panelsOfPage();
    panels.open('breakouts');
    panels.open('breakouts');
    expect(panels.panel.value).toBe('breakouts');
  });

  it('lets the chat count unread messages whenever its panel is not shown, however it closed', async () => {
    const panels = panelsOfPage();
    const chat = useChatStore();
    panels.toggle('chat');
    await flushPromises();
    expect(chat.open).toBe(true);
    panels.toggle('participants');
    await flushPromises();
    expect(chat.open).toBe(false);
  });

  it('asks once, on opening the chat, whether messages may notify while the tab is hidden', () => {
    const requestPermission = vi.fn(async () => 'granted');
    vi.stubGlobal('Notification', { permission: 'default', requestPermission });
    const panels = panelsOfPage();
    panels.toggle('participants');
    expect(requestPermission).not.toHaveBeenCalled();
    panels.toggle('chat');
    expect(requestPermission).toHaveBeenCalledOnce();
  });

  it("closes the room's panels and dialogs with the room, but keeps the lesson history open", async () => {
    const panels = panelsOfPage();
    const lesson = useLessonStore();
    panels.toggle('chat');
    panels.show('settings');
    lesson.phase = 'ended';
    await flushPromises();
    expect([panels.panel.value, panels.dialog.value]).toEqual([null, null]);
    lesson.phase = 'joined';
    await flushPromises();
    panels.show('history');
    lesson.phase = 'ended';
    await flushPromises();
    expect(panels.dialog.value).toBe('history');
  });
});
