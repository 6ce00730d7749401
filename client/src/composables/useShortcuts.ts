import { onBeforeUnmount, onMounted } from 'vue';

export interface Shortcut {
  key: string;
  /** i18n key of what it does, for the help overlay. */
  label: string;
  run: () => void;
  enabled?: () => boolean;
}

function typing(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  if (!element) return false;
  return element.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(element.tagName);
}

/** Single-key shortcuts, ignored while the user types or holds a modifier (browser shortcuts stay intact). */
export function useShortcuts(shortcuts: () => Shortcut[]): void {
  const onKey = (event: KeyboardEvent) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || typing(event.target))
      return;
    const shortcut = shortcuts().find((s) => s.key === event.key.toLowerCase() && (s.enabled?.() ?? true));
    if (!shortcut) return;
    event.preventDefault();
    shortcut.run();
  };
  onMounted(() => window.addEventListener('keydown', onKey));
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey));
}
