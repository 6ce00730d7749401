import { computed } from 'vue';
import { useFullscreen } from '@/composables/useFullscreen';
import type { RoomPanels } from '@/composables/useRoomPanels';
import { useShortcuts, type Shortcut } from '@/composables/useShortcuts';
import { useLessonStore } from '@/stores/lesson';
import { useMediaStore } from '@/stores/media';
import { useParticipantsStore } from '@/stores/participants';
import { usePreferencesStore } from '@/stores/preferences';

/** The room's own switches the keys reach; the rest are panels and the stores'. */
export interface RoomSwitches {
  toggleMic: () => Promise<void>;
  toggleCamera: () => Promise<void>;
  toggleScreen: () => Promise<void>;
}

/**
 * The classroom's single-key shortcuts: active only in the room and while
 * no dialog is open, each only where its control is (screen sharing with the
 * permission or while sharing, the hand for students, the teacher tools for
 * teachers), and only while the person has not switched them off (WCAG
 * 2.1.4). Answers the list the help dialog shows.
 */
export function useClassroomShortcuts(panels: RoomPanels, switches: RoomSwitches) {
  const lesson = useLessonStore();
  const media = useMediaStore();
  const participants = useParticipantsStore();
  const fullscreen = useFullscreen();
  const preferences = usePreferencesStore();

  const shortcuts = computed<Shortcut[]>(() => [
    { key: 'm', label: 'shortcuts.mic', run: () => void switches.toggleMic() },
    { key: 'v', label: 'shortcuts.camera', run: () => void switches.toggleCamera() },
    {
      key: 's',
      label: 'shortcuts.screen',
      run: () => void switches.toggleScreen(),
      enabled: () => Boolean(lesson.permissions?.screenShare) || media.local.screen,
    },
    {
      key: 'h',
      label: 'shortcuts.hand',
      run: () => void participants.toggleHand(),
      enabled: () => !lesson.isTeacher,
    },
    { key: 'c', label: 'shortcuts.chat', run: () => panels.toggle('chat') },
    { key: 'p', label: 'shortcuts.participants', run: () => panels.toggle('participants') },
    {
      key: 't',
      label: 'shortcuts.teacher',
      run: () => panels.toggle('teacher'),
      enabled: () => lesson.isTeacher,
    },
    {
      key: 'f',
      label: 'shortcuts.fullscreen',
      run: () => void fullscreen.toggle(),
      enabled: () => fullscreen.supported,
    },
    { key: '?', label: 'shortcuts.help', run: () => panels.show('help') },
  ]);
  useShortcuts(() =>
    preferences.shortcuts && lesson.phase === 'joined' && !panels.dialog.value ? shortcuts.value : [],
  );

  return shortcuts;
}
