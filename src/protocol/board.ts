// The whiteboard and the slides: who may draw, what the class sees.
import { z } from 'zod';

/** Who may draw on the class's board besides teachers: nobody, everyone, or chosen students. */
export const drawingMode = z.enum(['teachers', 'everyone', 'chosen']);
export type DrawingMode = z.infer<typeof drawingMode>;

/** What the main room's stage shows: cameras, the whiteboard or the slides. */
export const stageMode = z.enum(['cameras', 'board', 'slides']);
export type StageMode = z.infer<typeof stageMode>;

/** A blank board page's id (`b:…`). */
export const boardPageId = z.string().regex(/^b:[A-Za-z0-9_-]{1,40}$/);

/** An uploaded PDF as pages see it; `url` is signed and short-lived. */
export interface DeckView {
  id: string;
  name: string;
  pages: number;
  /** Each page's [width, height] in PDF points. */
  sizes: Array<[number, number]>;
  bytes: number;
  uploadedAt: string;
  url: string;
}

/** What the class sees: the teacher's choice of stage, slide page and board page. */
export interface StageView {
  mode: StageMode;
  deck: DeckView | null;
  /** The teacher's slide page, from 1. */
  page: number;
  /** The teacher's blank board page. */
  boardPage: string;
}

export interface DrawingView {
  mode: DrawingMode;
  /** The participants (ids) who may draw now, besides teachers. */
  chosen: string[];
}

export interface BoardState {
  stage: StageView;
  drawing: DrawingView;
}

export const boardRequestSchemas = {
  'board:state': z.object({}).strict(),
  /** The teacher changes what the class sees: stage mode, deck, slide page, board page. */
  'board:stage': z
    .object({
      mode: stageMode.optional(),
      deckId: z.string().min(1).max(64).nullable().optional(),
      page: z.number().int().min(1).max(300).optional(),
      boardPage: boardPageId.optional(),
    })
    .strict(),
  'board:drawing': z.object({ mode: drawingMode }).strict(),
  /** "May draw" for one participant (from the participant list). */
  'board:mayDraw': z.object({ participantId: z.string().min(1).max(128), allowed: z.boolean() }).strict(),
} as const;

export interface BoardResults {
  'board:state': BoardState;
  'board:stage': { ok: true };
  'board:drawing': { ok: true };
  'board:mayDraw': { ok: true };
}

export interface BoardEvents {
  'board:stage': StageView;
  'board:drawing': DrawingView;
}

/** What the slide upload answers and the teacher's list shows. */
export interface DeckList {
  decks: DeckView[];
}
