import { defineStore } from 'pinia';
import { ref } from 'vue';
import { announcementText, isAssertive, isOptional, type Announcement } from '@/announcer/announcements';
import { i18n } from '@/locales/i18n';
import { usePreferencesStore } from './preferences';

/** How long polite announcements gather before they are said together: a class joining is one sentence. */
export const BATCH_MS = 1_200;
/** A live region announces a change of its text; emptied first, the same words are said again. */
const REFILL_MS = 60;

/**
 * The page's one announcer for screen readers: a polite region, fed in
 * batches, and an assertive one for what needs action now. Every store and
 * component says things through `announce`; LiveAnnouncer.vue renders the
 * two regions once for the whole page.
 */
export const useAnnouncerStore = defineStore('announcer', () => {
  const preferences = usePreferencesStore();
  const polite = ref('');
  const assertive = ref('');
  let pending: Announcement[] = [];
  let batchTimer: ReturnType<typeof setTimeout> | undefined;

  const translate = (key: string, params?: Record<string, string | number>) =>
    i18n.global.t(key, params ?? {});

  function say(region: typeof polite, text: string): void {
    if (!text) return;
    region.value = '';
    setTimeout(() => (region.value = text), REFILL_MS);
  }

  function flush(): void {
    batchTimer = undefined;
    const batch = pending;
    pending = [];
    say(polite, announcementText(batch, translate));
  }

  /** Says an event: urgent ones at once, the others with whatever else comes within BATCH_MS. */
  function announce(announcement: Announcement): void {
    if (isOptional(announcement.kind) && !preferences.announce[announcement.kind]) return;
    if (isAssertive(announcement)) {
      say(assertive, announcementText([announcement], translate));
      return;
    }
    pending.push(announcement);
    batchTimer ??= setTimeout(flush, BATCH_MS);
  }

  /** Nothing left to say (the page leaves the lesson). */
  function clear(): void {
    clearTimeout(batchTimer);
    batchTimer = undefined;
    pending = [];
    polite.value = '';
    assertive.value = '';
  }

  return { polite, assertive, announce, clear };
});

/** The announcer, for stores and components: `useAnnouncer().announce({ kind: 'joined', name })`. */
export const useAnnouncer = useAnnouncerStore;
