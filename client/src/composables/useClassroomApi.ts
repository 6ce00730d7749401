import { ref } from 'vue';
import { saveFile, type ApiFile } from '@/api/http';
import { useLessonStore } from '@/stores/lesson';

type Call<T> = (classroomId: string, token: string) => Promise<T>;

/**
 * The teacher's calls to the classroom API from a panel: with this page's
 * classroom and token, the last refusal kept for the panel to show (unless
 * it changed the whole page, as Aula switched off does), and downloads.
 */
export function useClassroomApi() {
  const lesson = useLessonStore();
  const error = ref<unknown>(null);

  async function run<T>(call: Call<T>): Promise<T | undefined> {
    const session = lesson.session;
    if (!session) return undefined;
    error.value = null;
    try {
      return await call(session.classroomId, session.token);
    } catch (caught) {
      if (!lesson.takeRefusal(caught)) error.value = caught;
      return undefined;
    }
  }

  /** Fetches a file (a CSV export) and hands it to the browser as a download. */
  async function download(call: Call<ApiFile>, fallbackName: string): Promise<void> {
    const file = await run(call);
    if (file) saveFile(file, fallbackName);
  }

  return { error, run, download };
}
