import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import TileGrid from '@/components/TileGrid.vue';
import { useMediaStore } from '@/stores/media';
import { useParticipantsStore } from '@/stores/participants';
import { inLesson, mountIn, participant, roomWith } from '../support/classroomPage';

/** happy-dom's window can be resized; the tile grid falls back to the window's size. */
function resize(width: number, height: number) {
  const { happyDOM } = window as unknown as {
    happyDOM: { setInnerWidth(w: number): void; setInnerHeight(h: number): void };
  };
  happyDOM.setInnerWidth(width);
  happyDOM.setInnerHeight(height);
}

beforeEach(() => {
  vi.useFakeTimers();
  // A phone in portrait: few tiles per page.
  resize(390, 844);
});

afterEach(() => {
  vi.useRealTimers();
  resize(1024, 768);
});

const teacher = participant('teacher', 'Frau Berg', { role: 'teacher' });
const me = participant('me', 'Anna Weber');
const classmates = Array.from({ length: 30 }, (_, i) => participant(`s${i}`, `Student ${i}`));

function grid(activeSpeakerId: string | null = null) {
  const pinia = inLesson({
    self: me,
    room: roomWith([teacher, me, ...classmates], { activeSpeakerId }),
  });
  const media = useMediaStore();
  const showTiles = vi.spyOn(media, 'showTiles').mockImplementation(() => undefined);
  const wrapper = mountIn(pinia, TileGrid, { props: { localCamera: null } });
  return { wrapper, showTiles };
}

describe('the tile grid', () => {
  it('shows one page of tiles and tells the server only those (and the focus) are visible', async () => {
    const { wrapper, showTiles } = grid();
    await vi.advanceTimersByTimeAsync(200);
    const tiles = wrapper.findAll('[data-testid=tile]');
    // The teacher large, a page of small tiles, the rest on further pages.
    expect(tiles.length).toBeGreaterThan(2);
    expect(tiles.length).toBeLessThan(20);
    expect(wrapper.find('[data-testid=pager]').exists()).toBe(true);
    const [visible, focus] = showTiles.mock.calls.at(-1)!;
    expect(focus).toBe('teacher');
    expect(visible).toContain('teacher');
    expect(visible).not.toContain('me');
    expect(visible.length).toBe(tiles.length - 1);
    wrapper.unmount();
  });

  it('pages on and reports the new page', async () => {
    const { wrapper, showTiles } = grid();
    await vi.advanceTimersByTimeAsync(200);
    const firstPage = showTiles.mock.calls.at(-1)![0];
    await wrapper.find('[data-testid=page-next]').trigger('click');
    await vi.advanceTimersByTimeAsync(200);
    const secondPage = showTiles.mock.calls.at(-1)![0];
    expect(secondPage.filter((id) => id !== 'teacher' && firstPage.includes(id))).toEqual([]);
    wrapper.unmount();
  });

  it('brings the active speaker and raised hands onto the first page', async () => {
    const { wrapper, showTiles } = grid('s29');
    const participants = useParticipantsStore();
    const hand = participants.participants.find((p) => p.id === 's25')!;
    hand.handRaisedAt = 1;
    await nextTick();
    await vi.advanceTimersByTimeAsync(200);
    const visible = showTiles.mock.calls.at(-1)![0];
    expect(visible).toContain('s29');
    expect(visible).toContain('s25');
    const handTile = wrapper.find('[data-participant=s25] [data-testid=tile-hand]');
    expect(handTile.text()).toBe('1');
    wrapper.unmount();
  });

  it('shows the sharer a preview of what they share', async () => {
    const pinia = inLesson({ self: me, room: roomWith([teacher, me]) });
    const screen = { kind: 'video', id: 'screen-track' } as unknown as MediaStreamTrack;
    const wrapper = mountIn(pinia, TileGrid, { props: { localCamera: null, localScreen: screen } });
    await nextTick();
    const preview = wrapper.find('[data-testid=screen-preview] video');
    expect(preview.exists()).toBe(true);
    expect(
      (preview.element as HTMLVideoElement & { srcObject: MediaStream }).srcObject.getVideoTracks(),
    ).toEqual([screen]);
    wrapper.unmount();
  });
});
