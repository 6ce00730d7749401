import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import type { LobbyEntry } from '@protocol';
import ControlBar from '@/components/ControlBar.vue';
import LobbyAlert from '@/components/LobbyAlert.vue';
import ParticipantsPanel from '@/components/ParticipantsPanel.vue';
import { useParticipantsStore } from '@/stores/participants';
import { usePreferencesStore } from '@/stores/preferences';
import { inLesson, mountIn, participant, roomWith } from '../support/classroomPage';

const oscillators: number[] = [];
class FakeAudioContext {
  currentTime = 0;
  destination = {};
  resume = async () => undefined;
  close = async () => undefined;
  createOscillator() {
    const node = {
      type: 'sine',
      frequency: { value: 0 },
      connect: (next: unknown) => next,
      start: () => oscillators.push(node.frequency.value),
      stop: () => undefined,
    };
    return node;
  }
  createGain() {
    const param = { setValueAtTime: () => undefined, exponentialRampToValueAtTime: () => undefined };
    return { gain: param, connect: (next: unknown) => next };
  }
}

beforeEach(() => {
  oscillators.length = 0;
  localStorage.clear();
  vi.stubGlobal('AudioContext', FakeAudioContext);
});

afterEach(() => {
  vi.unstubAllGlobals();
});

const teacher = participant('t', 'Frau Berg', { role: 'teacher' });
const ben = participant('ben', 'Ben Schulz');
const waiting = (id: string, displayName: string, position = 1): LobbyEntry => ({
  id,
  displayName,
  role: 'student',
  waitingSince: Date.now(),
  position,
});

function teacherPage() {
  return inLesson({ self: teacher, room: roomWith([teacher, ben]) });
}

describe('someone waits while teacher tools are closed', () => {
  it('shows who waits with Admit and Deny, badges the teacher tools, and chimes softly', async () => {
    const pinia = teacherPage();
    const alert = mountIn(pinia, LobbyAlert, { props: { panelOpen: false } });
    const bar = mountIn(pinia, ControlBar, {
      props: { screenSupported: false, chatOpen: false, participantsOpen: false, teacherOpen: false },
    });
    const participants = useParticipantsStore();
    const admit = vi.spyOn(participants, 'admit').mockResolvedValue(undefined);
    const deny = vi.spyOn(participants, 'deny').mockResolvedValue(undefined);
    expect(alert.find('[data-testid=lobby-alert]').exists()).toBe(false);

    participants.lobby = [waiting('w1', 'Clara Neu')];
    await nextTick();
    await nextTick();
    expect(alert.get('[data-testid=lobby-alert]').text()).toContain('Clara Neu wants to join');
    expect(bar.get('[data-testid=toggle-teacher] [data-testid=control-count]').text()).toContain('1');
    expect(oscillators.length).toBeGreaterThan(0);

    await alert.get('[data-testid=lobby-alert-admit]').trigger('click');
    expect(admit).toHaveBeenCalledWith('w1');
    await alert.get('[data-testid=lobby-alert-deny]').trigger('click');
    expect(deny).toHaveBeenCalledWith('w1');
    alert.unmount();
    bar.unmount();
  });

  it('stays silent when the sound is switched off, and the choice is kept', async () => {
    const pinia = teacherPage();
    const alert = mountIn(pinia, LobbyAlert, { props: { panelOpen: false } });
    usePreferencesStore().lobbySound = true;
    await alert.setProps({ panelOpen: false });
    await nextTick();
    const sound = () => alert.get('[data-testid=lobby-alert-sound]');
    useParticipantsStore().lobby = [waiting('w1', 'Clara Neu')];
    await nextTick();
    await nextTick();
    expect(sound().attributes('aria-pressed')).toBe('true');
    await sound().trigger('click');
    expect(sound().attributes('aria-pressed')).toBe('false');
    await nextTick();
    expect(localStorage.getItem('aula.lobbySound')).toBe('off');
    oscillators.length = 0;
    useParticipantsStore().lobby = [waiting('w1', 'Clara Neu'), waiting('w2', 'David Alt')];
    await nextTick();
    await nextTick();
    expect(oscillators).toEqual([]);
    expect(alert.text()).toContain('Clara Neu and 1 more want to join');
    alert.unmount();
  });

  it('is not shown while the teacher tools (with the waiting room) are open', async () => {
    const pinia = teacherPage();
    useParticipantsStore().lobby = [waiting('w1', 'Clara Neu')];
    const alert = mountIn(pinia, LobbyAlert, { props: { panelOpen: true } });
    await nextTick();
    expect(alert.find('[data-testid=lobby-alert]').exists()).toBe(false);
    alert.unmount();
  });
});

describe('removing a student', () => {
  it('asks for confirmation first, naming the student, and removes only when confirmed', async () => {
    const pinia = teacherPage();
    const panel = mountIn(pinia, ParticipantsPanel);
    const remove = vi.spyOn(useParticipantsStore(), 'remove').mockResolvedValue(undefined);

    await panel.get('[data-testid="remove-Ben Schulz"]').trigger('click');
    expect(remove).not.toHaveBeenCalled();
    expect(document.querySelector('[data-testid=confirm-text]')?.textContent).toContain('Ben Schulz');
    (document.querySelector('[data-testid=confirm-cancel]') as HTMLButtonElement).click();
    await nextTick();
    expect(remove).not.toHaveBeenCalled();
    expect(document.querySelector('[data-testid=confirm]')).toBeNull();

    await panel.get('[data-testid="remove-Ben Schulz"]').trigger('click');
    (document.querySelector('[data-testid=confirm]') as HTMLButtonElement).click();
    await nextTick();
    expect(remove).toHaveBeenCalledWith('ben');
    panel.unmount();
  });
});

describe('ending the lesson', () => {
  it('sits apart from the settings, beside Leave, and is not among the teacher tools', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('no network in this test');
    });
    const { default: TeacherPanel } = await import('@/components/TeacherPanel.vue');
    const pinia = teacherPage();
    const bar = mountIn(pinia, ControlBar, {
      props: { screenSupported: false, chatOpen: false, participantsOpen: false, teacherOpen: true },
    });
    const tools = mountIn(pinia, TeacherPanel);
    const end = bar.get('[data-testid=end-lesson]');
    expect(end.classes()).toContain('danger');
    expect(end.element.closest('.exit')?.querySelector('[data-testid=leave]')).not.toBeNull();
    expect(tools.find('[data-testid=end-lesson]').exists()).toBe(false);
    await end.trigger('click');
    expect(bar.emitted('end')).toHaveLength(1);
    bar.unmount();
    tools.unmount();
  });
});
