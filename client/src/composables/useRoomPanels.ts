import { nextTick, onScopeDispose, ref, watch } from 'vue';
import { useChatStore } from '@/stores/chat';
import { useLessonStore } from '@/stores/lesson';

/** The side panels of the room; one is open at a time. */
export type Panel = 'chat' | 'participants' | 'teacher' | 'poll' | 'breakouts' | 'captions';
/** The dialogs over the page; the lesson history may also open outside the room. */
export type Dialog = 'help' | 'settings' | 'end' | 'history';

/** The open panel is marked with this attribute (LessonRoom.vue); inside it, `data-panel-focus` takes focus first. */
const PANEL_SELECTOR = '[data-side-panel]';

/**
 * Which panel and which dialog the classroom page shows. A room's panels
 * and dialogs do not outlive it (the lesson history may stay open), and the
 * chat counts unread messages while its panel is not shown. For the
 * keyboard: an opened panel takes the focus, Escape closes it, and the focus
 * returns to what opened it (or to the panel's button in the control bar).
 */
export function useRoomPanels() {
  const lesson = useLessonStore();
  const chat = useChatStore();
  const panel = ref<Panel | null>(null);
  const dialog = ref<Dialog | null>(null);
  /** What had the focus when the panel opened: it gets it back when the panel closes. */
  let opener: HTMLElement | null = null;

  function toggle(name: Panel): void {
    const was = panel.value;
    panel.value = panel.value === name ? null : name;
    if (panel.value) focusPanel();
    else if (was) returnFocus(was);
    // Opening the chat is the moment to ask whether messages may notify while the tab is hidden.
    if (
      panel.value === 'chat' &&
      typeof Notification !== 'undefined' &&
      Notification.permission === 'default'
    ) {
      void Notification.requestPermission().catch(() => undefined);
    }
  }

  function focusPanel(): void {
    const active = document.activeElement;
    if (active instanceof HTMLElement && !active.closest(PANEL_SELECTOR)) opener = active;
    void nextTick(() => {
      const element = document.querySelector<HTMLElement>(PANEL_SELECTOR);
      (element?.querySelector<HTMLElement>('[data-panel-focus]:not(:disabled)') ?? element)?.focus();
    });
  }

  function returnFocus(closed: Panel): void {
    const back = opener?.isConnected
      ? opener
      : document.querySelector<HTMLElement>(`[data-testid=toggle-${closed}], [data-testid=more]`);
    opener = null;
    void nextTick(() => back?.focus());
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

  /** Escape closes the open panel, unless a dialog (which closes itself) or a field's own popup takes it. */
  const onKey = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || event.defaultPrevented || !panel.value) return;
    if (dialog.value || document.querySelector('dialog[open]')) return;
    event.preventDefault();
    toggle(panel.value);
  };
  window.addEventListener('keydown', onKey);
  onScopeDispose(() => window.removeEventListener('keydown', onKey));

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
