import { defineStore } from 'pinia';
import { ref } from 'vue';
import { errorText, failureOf, type Failure } from '@/locales/errorText';
import { i18n } from '@/locales/i18n';
import { useAnnouncerStore } from './announcer';

export interface Notice {
  kind: 'info' | 'warning' | 'error';
  /** The message key; for a failure `errors.<code>`, which also makes notices of one kind replace each other. */
  key: string;
  params?: Record<string, string | number>;
  /** A refusal: shown as its code's translation, with its details as parameters. */
  failure?: Failure;
  /** Changes what the person can do (muted by the teacher): announced assertively, not in the batch. */
  urgent?: boolean;
}

/** A notice's words: every notice is a message key; a server error without its own message gets the general one. */
export function noticeText(notice: Notice): string {
  const { t, te } = i18n.global;
  if (notice.failure) return errorText(notice.failure);
  if (te(notice.key)) return t(notice.key, notice.params ?? {});
  return notice.key.startsWith('errors.') ? t('errors.unknown') : notice.key;
}

const SHOWN_AT_ONCE = 4;
const SHOWN_FOR_MS = 8_000;

/** What the classroom page tells its user in passing: a few short notices, each gone after a while. */
export const useNoticesStore = defineStore('notices', () => {
  const announcer = useAnnouncerStore();
  const notices = ref<Notice[]>([]);
  /** Refusals that change the whole page (Aula switched off) are taken by their owner, not shown here. */
  const takers = new Set<(failure: Failure) => boolean>();

  /** A notice with the same key replaces the earlier one instead of repeating it; screen readers hear it. */
  function notify(notice: Notice): void {
    announcer.announce({ kind: 'notice', text: noticeText(notice), urgent: notice.urgent });
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
      const failure = failureOf(error);
      if ([...takers].some((take) => take(failure))) return undefined;
      notify({ kind: 'error', key: `errors.${failure.code}`, failure });
      return undefined;
    }
  }

  /** A refusal the page handles as a whole: the taker answers true when it took it. */
  function takeRefusals(taker: (failure: Failure) => boolean): () => void {
    takers.add(taker);
    return () => takers.delete(taker);
  }

  return { notices, notify, dismiss, attempt, takeRefusals };
});
