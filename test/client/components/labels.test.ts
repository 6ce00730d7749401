import { describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import ControlBar from '@/components/ControlBar.vue';
import PreJoin from '@/components/PreJoin.vue';
import type { Locale } from '@/locales/i18n';
import { useMediaStore } from '@/stores/media';
import { inLesson, mountIn, participant, roomWith } from '../support/classroomPage';
import { fakeDevices } from '../support/fakeDevices';

/** The accessible name of a button: its text, hidden labels included, without the tooltip beside it. */
const nameOf = (button: Element) => button.textContent!.replace(/\s+/g, ' ').trim();
/** The tooltip that describes the button (aria-describedby), shown on hover and keyboard focus. */
const tooltipOf = (button: Element) => {
  const tip = button.nextElementSibling;
  if (tip?.getAttribute('role') !== 'tooltip' || button.getAttribute('aria-describedby') !== tip.id)
    return undefined;
  return tip.textContent?.trim();
};

async function labelsIn(locale: Locale) {
  const me = participant('me', 'Anna Weber');
  const pinia = inLesson({ self: me, room: roomWith([me]), locale });
  const bar = mountIn(pinia, ControlBar, {
    props: { screenSupported: false, chatOpen: false, participantsOpen: false, teacherOpen: false },
  });
  const prejoin = mountIn(pinia, PreJoin, {
    props: { devices: fakeDevices(), info: null, name: 'Anna', busy: false },
  });
  const read = () => ({
    bar: {
      mic: nameOf(bar.get('[data-testid=toggle-mic]').element),
      pressed: bar.get('[data-testid=toggle-mic]').attributes('aria-pressed'),
      tip: tooltipOf(bar.get('[data-testid=toggle-mic]').element),
    },
    prejoin: {
      mic: nameOf(prejoin.get('[data-testid=prejoin-mic]').element),
      pressed: prejoin.get('[data-testid=prejoin-mic]').attributes('aria-pressed'),
      tip: tooltipOf(prejoin.get('[data-testid=prejoin-mic]').element),
    },
  });
  const off = read();
  useMediaStore().local.mic = true;
  await prejoin.get('[data-testid=prejoin-mic]').trigger('click');
  await nextTick();
  await nextTick();
  const on = read();
  bar.unmount();
  prejoin.unmount();
  return { off, on };
}

describe('one label convention', () => {
  it.each(['en', 'de'] as const)(
    'in %s: the microphone is named the same on and off, in pre-join and lesson; state by aria-pressed, action in the tooltip',
    async (locale) => {
      const { off, on } = await labelsIn(locale);
      const name = locale === 'de' ? 'Mikrofon' : 'Microphone';
      for (const state of [off, on]) {
        expect(state.bar.mic).toBe(name);
        expect(state.prejoin.mic).toBe(name);
      }
      expect([off.bar.pressed, off.prejoin.pressed]).toEqual(['false', 'false']);
      expect([on.bar.pressed, on.prejoin.pressed]).toEqual(['true', 'true']);
      const unmute = locale === 'de' ? 'Stummschaltung aufheben' : 'Unmute';
      const mute = locale === 'de' ? 'Stummschalten' : 'Mute';
      expect(off.bar.tip).toBe(`${unmute} (M)`);
      expect(off.prejoin.tip).toBe(unmute);
      expect(on.bar.tip).toBe(`${mute} (M)`);
      expect(on.prejoin.tip).toBe(mute);
    },
  );
});
