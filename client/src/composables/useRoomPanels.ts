import { ref, watch } from 'vue';
import { useChatStore } from '@/stores/chat';
import { useLessonStore } from '@/stores/lesson';

/** The side panels of the room; one is open at a time. */
export type Panel = 'chat' | 'participants' | 'teacher' | 'poll' | 'breakouts' | 'captions';
/** The dialogs over the page; the lesson history may also open outside the room. */
export type Dialog = 'help' | 'settings' | 'end' | 'history';

/**
 * Which panel and which dialog the classroom page shows. A room's panels
 * and dialogs do not outlive it (the lesson history may stay open), and the
 * chat counts unread messages while its panel is not shown.
 */
export function useRoomPanels() {
  const lesson = useLessonStore();
  const chat = useChatStore();
  const panel = ref<Panel | null>(null);
  const dialog = ref<Dialog | null>(null);

  function toggle(name: Panel): void {
    panel.value = panel.value === name ? null : name;
    // Opening the chat is the moment to ask whether messages may notify while the tab is hidden.
    if (
      panel.value === 'chat' &&
      typeof Notification !== 'undefined' &&
      Notification.permission === 'default'
    ) {
      void Notification.requestPermission().catch(() => undefined);
    }
  }

  /** Opens a panel; one already open stays open. */
  function open(name: Panel): void {
    if (panel.value !== name) toggle(name);
  }

  function show(name: Dialog): void {
    dialog.value = name;
  }

  function closeDialog(): void {
    dialog.value = null;
  }

  watch(
    () => lesson.phase,
    (phase) => {
      if (phase === 'joined') return;
      panel.value = null;
      if (dialog.value !== 'history') dialog.value = null;
    },
  );
  // However the panel closed, the chat knows whether it is read.
  watch(panel, (name) => chat.setOpen(name === 'chat'));

  return { panel, dialog, toggle, open, show, closeDialog };
}

export type RoomPanels = ReturnType<typeof useRoomPanels>;
