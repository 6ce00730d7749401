import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import { OPTIONAL_KINDS, type OptionalKind } from '@/announcer/announcements';
import { readStored, writeStored } from '@/storage/webStorage';

const LOBBY_SOUND_KEY = 'aula.lobbySound';
const SHORTCUTS_KEY = 'aula.shortcuts';
const ANNOUNCE_KEY = 'aula.announce';

/** Which optional announcements are on: all unless switched off here ("joined,hand" names those off). */
function storedAnnouncements(): Record<OptionalKind, boolean> {
  const off = new Set((readStored('local', ANNOUNCE_KEY) ?? '').split(',').filter(Boolean));
  return Object.fromEntries(OPTIONAL_KINDS.map((kind) => [kind, !off.has(kind)])) as Record<
    OptionalKind,
    boolean
  >;
}

/** What this browser's user set for themselves, beyond devices and language. */
export const usePreferencesStore = defineStore('preferences', () => {
  /** A soft chime when someone starts waiting in the lobby (teachers). */
  const lobbySound = ref(readStored('local', LOBBY_SOUND_KEY) !== 'off');
  watch(lobbySound, (on) => writeStored('local', LOBBY_SOUND_KEY, on ? 'on' : 'off'));
  /** Single-key shortcuts (M, V, H, …); off for speech input and for those who press keys by accident (WCAG 2.1.4). */
  const shortcuts = ref(readStored('local', SHORTCUTS_KEY) !== 'off');
  watch(shortcuts, (on) => writeStored('local', SHORTCUTS_KEY, on ? 'on' : 'off'));
  /** Which events the screen reader announcer says; the urgent ones are always said. */
  const announce = ref(storedAnnouncements());
  watch(
    announce,
    (choices) =>
      writeStored('local', ANNOUNCE_KEY, OPTIONAL_KINDS.filter((kind) => !choices[kind]).join(',')),
    { deep: true },
  );
  return { lobbySound, shortcuts, announce };
});
