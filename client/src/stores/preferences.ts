import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import { readStored, writeStored } from '@/storage/webStorage';

const LOBBY_SOUND_KEY = 'aula.lobbySound';

/** What this browser's user set for themselves, beyond devices and language. */
export const usePreferencesStore = defineStore('preferences', () => {
  /** A soft chime when someone starts waiting in the lobby (teachers). */
  const lobbySound = ref(readStored('local', LOBBY_SOUND_KEY) !== 'off');
  watch(lobbySound, (on) => writeStored('local', LOBBY_SOUND_KEY, on ? 'on' : 'off'));
  return { lobbySound };
});
