import { onScopeDispose, ref, watch, type Ref } from 'vue';
import type { Size } from '@/participants/tileLayout';

/**
 * An element's content size, followed with a ResizeObserver. Until the
 * element has been laid out (or where no layout exists), the window's size
 * stands in, so a layout computed from it is never empty.
 */
export function useElementSize(element: Ref<HTMLElement | null>): Ref<Size> {
  const size = ref<Size>({ width: window.innerWidth, height: window.innerHeight });
  let observer: ResizeObserver | undefined;

  const measure = (target: HTMLElement) => {
    const { width, height } = target.getBoundingClientRect();
    if (width > 0 && height > 0) size.value = { width, height };
  };

  watch(
    element,
    (target) => {
      observer?.disconnect();
      if (!target) return;
      measure(target);
      if (typeof ResizeObserver === 'undefined') return;
      observer = new ResizeObserver(() => measure(target));
      observer.observe(target);
    },
    { immediate: true },
  );
  onScopeDispose(() => observer?.disconnect());
  return size;
}
