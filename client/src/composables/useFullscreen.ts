import { onScopeDispose, ref } from 'vue';

/**
 * The page in fullscreen: inside the LMS's frame too, where the frame allows
 * it (Moodle's has `allowfullscreen`). Follows the browser's own way out (Esc).
 */
export function useFullscreen() {
  const supported = document.fullscreenEnabled === true;
  const active = ref(document.fullscreenElement !== null);
  const follow = () => {
    active.value = document.fullscreenElement !== null;
  };
  document.addEventListener('fullscreenchange', follow);
  onScopeDispose(() => document.removeEventListener('fullscreenchange', follow));

  async function toggle(): Promise<void> {
    if (!supported) return;
    try {
      if (document.fullscreenElement) await document.exitFullscreen();
      else await document.documentElement.requestFullscreen();
    } catch {
      // Refused (no click, or the frame withdrew it): the button keeps showing the state as it is.
    }
    follow();
  }

  return { supported, active, toggle };
}
