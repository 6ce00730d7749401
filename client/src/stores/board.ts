import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { DocumentAccess, DrawingMode, DrawingView, RequestPayload, StageView } from '@protocol';
import { BoardSession } from '@/board/BoardSession';
import { keepDocument, type KeptDocument } from '@/collab/keptDocument';
import type { SignalingClient } from '@/signaling/SignalingClient';
import { useBreakoutsStore } from './breakouts';
import { useNoticesStore } from './notices';
import { useSignalingRequests } from './signalingRequests';

/** Refusals of our changes that the board explains in its own words. */
const BOARD_REFUSALS: Record<string, string> = { DOCUMENT_FULL: 'board.full' };

/**
 * The whiteboard and slides as this page takes part in them: what the
 * teacher shows the class (the stage), who may draw, and the board we work
 * on (the class's, or our breakout group's). A student may look at another
 * page than the teacher's and come back to it; the teacher changes what
 * everyone sees.
 */
export const useBoardStore = defineStore('board', () => {
  const notices = useNoticesStore();
  const breakouts = useBreakoutsStore();
  const { attach, request, act } = useSignalingRequests();
  const stage = ref<StageView | null>(null);
  const drawing = ref<DrawingView>({ mode: 'teachers', chosen: [] });
  /** The board we are on: the class's, or our group's; a fresh copy after the server refused a change for good. */
  const kept = shallowRef<KeptDocument<BoardSession> | null>(null);
  const session = computed(() => kept.value?.current.value ?? null);
  const access = computed<DocumentAccess>(() => kept.value?.access.value ?? 'none');
  /** A page of our own choosing (looking back); null follows the teacher. */
  const ownSlidePage = ref<number | null>(null);
  const ownBoardPage = ref<string | null>(null);
  /** In a breakout group the page chooses between cameras and the group's board itself. */
  const groupShowsBoard = ref(true);
  let client: SignalingClient | undefined;

  const inGroup = computed(() => breakouts.group !== null);
  const mode = computed(() => {
    if (inGroup.value) return groupShowsBoard.value ? 'board' : 'cameras';
    return stage.value?.mode ?? 'cameras';
  });
  const slidePage = computed(() => ownSlidePage.value ?? stage.value?.page ?? 1);
  const boardPage = computed(() =>
    inGroup.value ? (ownBoardPage.value ?? 'b:1') : (ownBoardPage.value ?? stage.value?.boardPage ?? 'b:1'),
  );
  const followsTeacher = computed(() => ownSlidePage.value === null && ownBoardPage.value === null);
  const mayDraw = computed(() => access.value === 'write');

  function listen(connection: SignalingClient): () => void {
    client = connection;
    const offs = [
      attach(connection),
      connection.on('board:stage', (view) => {
        // The teacher moved on: a student looking back stays where they are.
        stage.value = view;
      }),
      connection.on('board:drawing', (view) => (drawing.value = view)),
    ];
    return () => {
      offs.forEach((off) => off());
      client = undefined;
    };
  }

  /** A room entered (a join, a reconnection, a move between groups): the board of that room, in step. */
  async function enter(): Promise<void> {
    if (!client) return;
    const state = await request('board:state').catch(() => null);
    if (state) {
      stage.value = state.stage;
      drawing.value = state.drawing;
    }
    const group = breakouts.group?.id ?? null;
    if (!session.value || session.value.provider.docId.group !== group) {
      close();
      kept.value = keptBoard(client, group, (error) =>
        notices.notify({ kind: 'warning', key: `errors.${(error as { code?: string }).code ?? 'ERROR'}` }),
      );
      ownBoardPage.value = null;
    }
    await kept.value!.open();
  }

  /**
   * A board this page keeps open. A change the server did not take is gone
   * here too (the board opens afresh from the server's state), and the page
   * says why; undo starts over with the fresh board.
   */
  function keptBoard(
    channel: SignalingClient,
    group: string | null,
    failed: (error: unknown) => void,
  ): KeptDocument<BoardSession> {
    return keepDocument({
      create: () => new BoardSession(channel, { kind: 'board', group }),
      provider: (board) => board.provider,
      refused: (code) => notices.notify({ kind: 'warning', key: BOARD_REFUSALS[code] ?? `errors.${code}` }),
      failed,
    });
  }

  /** A board opened for a while (the teacher looking at a breakout group's); `close()` lets go of it. */
  function openBoard(group: string): KeptDocument<BoardSession> | null {
    if (!client) return null;
    const board = keptBoard(client, group, () => undefined);
    void board.open();
    return board;
  }

  function close(): void {
    kept.value?.close();
    kept.value = null;
  }

  function reset(): void {
    close();
    stage.value = null;
    ownSlidePage.value = null;
    ownBoardPage.value = null;
  }

  /** The teacher's page turns are everyone's; a student's are their own until they return. */
  function showSlide(page: number, asTeacher: boolean): void {
    if (asTeacher && !inGroup.value) {
      ownSlidePage.value = null;
      void act('board:stage', { page });
    } else ownSlidePage.value = page === stage.value?.page ? null : page;
  }

  function showBoardPage(page: string, asTeacher: boolean): void {
    if (asTeacher && !inGroup.value) {
      ownBoardPage.value = null;
      void act('board:stage', { boardPage: page });
    } else ownBoardPage.value = page;
  }

  function returnToTeacher(): void {
    ownSlidePage.value = null;
    ownBoardPage.value = null;
  }

  return {
    stage,
    drawing,
    session,
    access,
    mode,
    inGroup,
    groupShowsBoard,
    slidePage,
    boardPage,
    followsTeacher,
    mayDraw,
    listen,
    enter,
    reset,
    openBoard,
    showSlide,
    showBoardPage,
    returnToTeacher,
    setStage: (change: RequestPayload<'board:stage'>) => act('board:stage', change),
    setDrawing: (value: DrawingMode) => act('board:drawing', { mode: value }),
    mayDrawFor: (participantId: string, allowed: boolean) => act('board:mayDraw', { participantId, allowed }),
  };
});
