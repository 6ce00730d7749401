import { computed, ref, watch } from 'vue';
import type { ClassroomPageInfo } from '@/api/classroomApi';
import { frameCipherSupport } from '@/e2ee/FrameCipher';

/**
 * An end-to-end encrypted lesson as the pre-join page sees it: whether the
 * classroom is one (the teacher's switch on this page may change it), and
 * whether this browser can take part: one that cannot encrypt frames is told
 * before it joins, and cannot.
 */
export function usePreJoinEncryption(info: () => ClassroomPageInfo | null | undefined) {
  const encrypted = ref(false);
  watch(
    () => info()?.classroom.endToEndEncryption,
    (value) => (encrypted.value = Boolean(value)),
    { immediate: true },
  );
  const cannotEncrypt = computed(() => encrypted.value && frameCipherSupport() === null);
  return { encrypted, cannotEncrypt };
}
