import { onScopeDispose, shallowRef, watch, type Ref } from 'vue';
import type { Shape } from '@protocol';
import type { BoardSession } from './BoardSession';

/** The shapes of one page, kept current as anyone draws (read at most once a frame). */
export function useBoardPage(session: Ref<BoardSession | null>, pageKey: Ref<string>) {
  const shapes = shallowRef<Shape[]>([]);
  let frame = 0;
  let stop: (() => void) | undefined;

  const read = () => {
    frame = 0;
    shapes.value = session.value ? session.value.shapes(pageKey.value) : [];
  };
  const schedule = () => {
    if (!frame) frame = requestAnimationFrame(read);
  };

  watch(
    [session, pageKey],
    ([board, key]) => {
      stop?.();
      stop = undefined;
      if (!board) {
        shapes.value = [];
        return;
      }
      const page = board.page(key);
      page.observeDeep(schedule);
      // Another page's strokes arrive over a sync that replaces nothing here: read after each sync too.
      const off = board.provider.on('synced', schedule);
      stop = () => {
        page.unobserveDeep(schedule);
        off();
      };
      read();
    },
    { immediate: true },
  );

  onScopeDispose(() => {
    stop?.();
    if (frame) cancelAnimationFrame(frame);
  });
  return shapes;
}
