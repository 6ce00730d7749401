import { defineStore } from 'pinia';
import { ref } from 'vue';
import { requestWindowTicket } from '@/api/launchApi';
import { failureOf } from '@/locales/errorText';
import { i18n } from '@/locales/i18n';
import { useLessonStore } from './lesson';
import { useNoticesStore } from './notices';

/**
 * "Open in a new window" from inside the LMS's frame, for what the frame
 * does not allow (camera and microphone on some course pages, screen sharing
 * on Moodle's). The new window gets a ticket of its own, for this classroom
 * and this person; once it has it, this page steps back so the person is not
 * in the lesson twice.
 */
export const useWindowHandoverStore = defineStore('windowHandover', () => {
  const lesson = useLessonStore();
  const notices = useNoticesStore();
  /** The classroom went on in its own window. */
  const handedOver = ref(false);
  const opening = ref(false);

  async function openWindow(): Promise<void> {
    const session = lesson.session;
    if (!session || opening.value) return;
    // Opened within the click: a window opened after the request would be an unasked pop-up.
    const opened = window.open('', '_blank');
    if (!opened) {
      notices.notify({ kind: 'warning', key: 'handover.popupBlocked' });
      return;
    }
    opened.opener = null;
    opening.value = true;
    try {
      const { ticket } = await requestWindowTicket(session);
      const url = new URL(`/classroom/${encodeURIComponent(session.classroomId)}`, window.location.origin);
      url.hash = `ticket=${encodeURIComponent(ticket)}&lang=${i18n.global.locale.value}`;
      opened.location.replace(url.toString());
      handedOver.value = true;
    } catch (error) {
      opened.close();
      const failure = failureOf(error);
      notices.notify({ kind: 'error', key: `errors.${failure.code}`, failure });
    } finally {
      opening.value = false;
    }
  }

  return { handedOver, opening, openWindow };
});
