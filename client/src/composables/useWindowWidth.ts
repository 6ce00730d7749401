import { onScopeDispose, readonly, ref } from 'vue';

/** The window's width, for choices a stylesheet cannot make (which controls move into "More"). */
export function useWindowWidth() {
  const width = ref(window.innerWidth);
  const update = () => (width.value = window.innerWidth);
  window.addEventListener('resize', update);
  onScopeDispose(() => window.removeEventListener('resize', update));
  return readonly(width);
}
