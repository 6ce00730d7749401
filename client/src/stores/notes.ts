import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import {
  GROUP_NOTES_PAGE,
  notesFragment,
  type DocumentAccess,
  type DrawingMode,
  type GroupNotesView,
  type NotesSnapshotView,
  type NotesState,
} from '@protocol';
import { CollabProvider } from '@/collab/CollabProvider';
import { keepDocument, type KeptDocument } from '@/collab/keptDocument';
import type { SignalingClient } from '@/signaling/SignalingClient';
import { useNoticesStore } from './notices';
import { useSignalingRequests } from './signalingRequests';

/** Refusals of our changes that the notes explain in their own words. */
const NOTES_REFUSALS: Record<string, string> = {
  DOCUMENT_FULL: 'notes.full',
  PERMISSION_DENIED: 'notes.readOnly',
  PAYLOAD_TOO_LARGE: 'notes.pasteTooLarge',
};

/**
 * The shared notes as this page takes part in them: the class's pages and
 * who may write (told by the server as they change), the document open in
 * the panel (the class's notes, our breakout group's, or a group's the
 * teacher looks at), and the teacher's history and groups.
 */
export const useNotesStore = defineStore('notes', () => {
  const notices = useNoticesStore();
  const { attach, request, act } = useSignalingRequests();
  const state = ref<NotesState | null>(null);
  /** The notes open in the panel; a fresh copy after the server refused a change for good. */
  const kept = shallowRef<KeptDocument<CollabProvider> | null>(null);
  const provider = computed(() => kept.value?.current.value ?? null);
  const access = computed<DocumentAccess>(() => kept.value?.access.value ?? 'none');
  /** The page of the class's notes shown; null shows the newest. */
  const chosenPage = ref<string | null>(null);
  const snapshots = ref<NotesSnapshotView[]>([]);
  const groups = ref<GroupNotesView[]>([]);
  let client: SignalingClient | undefined;

  const pages = computed(() => state.value?.pages ?? []);
  const group = computed(() => provider.value?.docId.group ?? null);
  const pageId = computed(() => {
    if (group.value !== null) return GROUP_NOTES_PAGE;
    const chosen = pages.value.find((page) => page.id === chosenPage.value);
    return (chosen ?? pages.value.at(-1))?.id ?? null;
  });
  const field = computed(() => (pageId.value ? notesFragment(pageId.value) : null));
  const mayWrite = computed(() => access.value === 'write');

  function listen(connection: SignalingClient): () => void {
    client = connection;
    const listening = [attach(connection), connection.on('notes:state', (next) => (state.value = next))];
    return () => {
      listening.forEach((off) => off());
      close();
      client = undefined;
      state.value = null;
    };
  }

  /** Opens the notes of a room (the class's, or a breakout group's), or opens them again after a reconnection. */
  async function enter(room: string | null): Promise<void> {
    if (!client) return;
    const next = await request('notes:state').catch(() => null);
    if (next) state.value = next;
    if (!provider.value || provider.value.docId.group !== room) {
      close();
      const channel = client;
      kept.value = keepDocument({
        create: () => new CollabProvider(channel, { kind: 'notes', group: room }),
        provider: (copy) => copy,
        refused: (code) => notices.notify({ kind: 'warning', key: NOTES_REFUSALS[code] ?? `errors.${code}` }),
        failed: (error) =>
          notices.notify({ kind: 'warning', key: `errors.${(error as { code?: string }).code ?? 'ERROR'}` }),
      });
    }
    await kept.value!.open();
  }

  function close(): void {
    kept.value?.close();
    kept.value = null;
  }

  async function addPage(title: string): Promise<void> {
    const page = await act('notes:addPage', { title });
    if (page) chosenPage.value = page.id;
  }

  async function loadHistory(): Promise<void> {
    snapshots.value = (await act('notes:snapshots'))?.snapshots ?? [];
  }

  async function takeSnapshot(name: string): Promise<void> {
    if (await act('notes:snapshot', { name })) await loadHistory();
  }

  async function restore(snapshotId: string): Promise<void> {
    if (await act('notes:restore', { snapshotId })) await loadHistory();
  }

  async function loadGroups(): Promise<void> {
    groups.value = (await act('notes:groups'))?.groups ?? [];
  }

  async function merge(groupId: string, heading: string): Promise<void> {
    if (!pageId.value || group.value !== null) return;
    if (await act('notes:merge', { group: groupId, pageId: pageId.value, heading })) await loadGroups();
  }

  return {
    state,
    provider,
    access,
    pages,
    pageId,
    field,
    group,
    chosenPage,
    mayWrite,
    snapshots,
    groups,
    listen,
    enter,
    close,
    addPage,
    loadHistory,
    takeSnapshot,
    restore,
    loadGroups,
    merge,
    setWriters: (mode: DrawingMode) => act('notes:writers', { mode }),
    setMayWrite: (participantId: string, allowed: boolean) =>
      act('notes:mayWrite', { participantId, allowed }),
  };
});
