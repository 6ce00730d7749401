import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h, nextTick } from 'vue';
import { useClassroomShortcuts } from '@/composables/useClassroomShortcuts';
import { useRoomPanels } from '@/composables/useRoomPanels';
import { useLessonStore } from '@/stores/lesson';
import { useMediaStore } from '@/stores/media';
import { useParticipantsStore } from '@/stores/participants';
import { usePreferencesStore } from '@/stores/preferences';
import { studentPermissions, teacherPermissions } from './support/classroomPage';

function room(role: 'student' | 'teacher') {
  setActivePinia(createPinia());
  const lesson = useLessonStore();
  lesson.phase = 'joined';
  lesson.session = { token: 't', expiresAt: Date.now() / 1000 + 3600, classroomId: 'c1', role, name: 'X' };
  lesson.permissions = role === 'teacher' ? teacherPermissions : studentPermissions;
  const switches = {
    toggleMic: vi.fn(async () => undefined),
    toggleCamera: vi.fn(async () => undefined),
    toggleScreen: vi.fn(async () => undefined),
  };
  const toggleHand = vi.spyOn(useParticipantsStore(), 'toggleHand').mockResolvedValue(undefined);
  let panels!: ReturnType<typeof useRoomPanels>;
  let shortcuts!: ReturnType<typeof useClassroomShortcuts>;
  const wrapper = mount(
    defineComponent({
      setup() {
        panels = useRoomPanels();
        shortcuts = useClassroomShortcuts(panels, switches);
        return () => h('div');
      },
    }),
    { attachTo: document.body },
  );
  return { lesson, switches, toggleHand, panels, shortcuts, unmount: () => wrapper.unmount() };
}

const press = (key: string) => window.dispatchEvent(new KeyboardEvent('keydown', { key }));

let current: ReturnType<typeof room> | undefined;
beforeEach(() => (current = undefined));
afterEach(() => current?.unmount());

describe('the classroom shortcuts', () => {
  it('do nothing once the person switched single-key shortcuts off (WCAG 2.1.4), and keep that choice', async () => {
    current = room('student');
    usePreferencesStore().shortcuts = false;
    await nextTick();
    for (const key of ['m', 'v', 'h', 'c']) press(key);
    expect(current.switches.toggleMic).not.toHaveBeenCalled();
    expect(current.switches.toggleCamera).not.toHaveBeenCalled();
    expect(current.toggleHand).not.toHaveBeenCalled();
    expect(current.panels.panel.value).toBeNull();
    expect(localStorage.getItem('aula.shortcuts')).toBe('off');
    usePreferencesStore().shortcuts = true;
    await nextTick();
    press('m');
    expect(current.switches.toggleMic).toHaveBeenCalledOnce();
  });

  it('Escape closes the open panel and gives the focus back to what opened it', async () => {
    current = room('student');
    const opener = document.createElement('button');
    const side = document.createElement('aside');
    side.setAttribute('data-side-panel', '');
    side.tabIndex = -1;
    document.body.append(opener, side);
    opener.focus();
    current.panels.toggle('chat');
    await nextTick();
    expect(document.activeElement).toBe(side);
    press('Escape');
    expect(current.panels.panel.value).toBeNull();
    await nextTick();
    expect(document.activeElement).toBe(opener);
    opener.remove();
    side.remove();
  });

  it('switch the microphone and camera, raise the hand and open the chat and participants', () => {
    current = room('student');
    for (const key of ['m', 'v', 'h', 'c']) press(key);
    expect(current.switches.toggleMic).toHaveBeenCalledOnce();
    expect(current.switches.toggleCamera).toHaveBeenCalledOnce();
    expect(current.toggleHand).toHaveBeenCalledOnce();
    expect(current.panels.panel.value).toBe('chat');
    press('p');
    expect(current.panels.panel.value).toBe('participants');
  });

  it('share the screen only with the permission, or to stop a share', () => {
    current = room('student');
    press('s');
    expect(current.switches.toggleScreen).not.toHaveBeenCalled();
    useMediaStore().local.screen = true;
    press('s');
    expect(current.switches.toggleScreen).toHaveBeenCalledOnce();
  });

  it('give a teacher the teacher tools instead of a hand', () => {
    current = room('teacher');
    press('h');
    expect(current.toggleHand).not.toHaveBeenCalled();
    press('t');
    expect(current.panels.panel.value).toBe('teacher');
    press('s');
    expect(current.switches.toggleScreen).toHaveBeenCalledOnce();
  });

  it('open the help, and rest while a dialog is open or the page is not in the room', async () => {
    current = room('student');
    press('?');
    expect(current.panels.dialog.value).toBe('help');
    press('m');
    expect(current.switches.toggleMic).not.toHaveBeenCalled();
    current.panels.closeDialog();
    current.lesson.phase = 'lobby';
    await nextTick();
    press('m');
    expect(current.switches.toggleMic).not.toHaveBeenCalled();
  });

  it('answer every shortcut, in the order the help dialog lists them', () => {
    current = room('student');
    expect(current.shortcuts.value.map((shortcut) => shortcut.key)).toEqual([
      'm',
      'v',
      's',
      'h',
      'c',
      'p',
      't',
      'f',
      '?',
    ]);
  });
});
