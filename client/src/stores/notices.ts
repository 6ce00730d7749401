import { defineStore } from 'pinia';
import { ref } from 'vue';
import { RequestError } from '@/signaling/SignalingClient';

export interface Notice {
  kind: 'info' | 'warning' | 'error';
  key: string;
  params?: Record<string, string | number>;
}

const SHOWN_AT_ONCE = 4;
const SHOWN_FOR_MS = 8_000;

/** What the classroom page tells its user in passing: a few short notices, each gone after a while. */
export const useNoticesStore = defineStore('notices', () => {
  const notices = ref<Notice[]>([]);

  /** A notice with the same key replaces the earlier one instead of repeating it. */
  function notify(notice: Notice): void {
    notices.value = [...notices.value.filter((n) => n.key !== notice.key), notice].slice(-SHOWN_AT_ONCE);
    setTimeout(() => dismiss(notice.key), SHOWN_FOR_MS);
  }

  function dismiss(key: string): void {
    notices.value = notices.value.filter((n) => n.key !== key);
  }

  /** Runs a user action; a refusal becomes a visible notice instead of an unhandled error. */
  async function attempt<T>(action: () => Promise<T>): Promise<T | undefined> {
    try {
      return await action();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const code = error instanceof RequestError ? error.code : 'ERROR';
      notify({ kind: 'error', key: `error.${code}`, params: { message } });
      return undefined;
    }
  }

  return { notices, notify, dismiss, attempt };
});
