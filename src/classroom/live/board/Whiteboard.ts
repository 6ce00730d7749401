import type {
  BoardState,
  DrawingMode,
  DrawingView,
  RequestPayload,
  StageView,
} from '../../../protocol/index.js';
import { DEFAULT_BOARD_SETUP, type BoardSetup } from '../../board/BoardSettings.js';
import type { SlideDeck } from '../../slides/SlideDecks.js';
import type { ClassroomContext } from '../ClassroomContext.js';
import type { DrawingRights } from './DrawingRights.js';

/**
 * What the class's main room shows (cameras, the whiteboard or slides, with
 * the teacher's slide and board page) and who may draw: the teacher decides,
 * everyone in the lesson follows. Kept for the classroom (BoardSettings), so
 * a restart or a move to another node keeps both.
 */
export class Whiteboard {
  private setup: BoardSetup = { ...DEFAULT_BOARD_SETUP };
  private readonly stageObservers = new Set<(view: StageView) => void>();
  private deck: SlideDeck | undefined;

  constructor(
    private readonly ctx: ClassroomContext,
    private readonly drawing: DrawingRights,
    /** Who may write to which document changed: the documents ask their rules again. */
    private readonly accessChanged: () => void,
  ) {}

  async restore(): Promise<void> {
    this.setup = await this.ctx.services.boardSettings.load(this.ctx.classroomId);
    this.drawing.restore(this.setup.drawing, this.setup.chosen);
    if (this.setup.deckId) {
      this.deck = await this.ctx.services.slides
        .get(this.ctx.classroomId, this.setup.deckId)
        .catch(() => undefined);
      if (!this.deck)
        this.setup = {
          ...this.setup,
          deckId: null,
          mode: this.setup.mode === 'slides' ? 'board' : this.setup.mode,
        };
    }
  }

  state(): BoardState {
    return { stage: this.stageView(), drawing: this.drawingView() };
  }

  /** The teacher changes what the class sees; a deck is checked to be this classroom's. */
  async setStage(change: RequestPayload<'board:stage'>): Promise<void> {
    const next = { ...this.setup };
    if (change.deckId !== undefined && change.deckId !== this.setup.deckId) {
      this.deck = change.deckId
        ? await this.ctx.services.slides.get(this.ctx.classroomId, change.deckId)
        : undefined;
      next.deckId = change.deckId;
      next.page = 1;
      if (this.deck) void this.ctx.services.slides.used(this.deck._id).catch(() => undefined);
    }
    if (change.page !== undefined) next.page = Math.min(change.page, this.deck?.pages ?? 1);
    if (change.boardPage !== undefined) next.boardPage = change.boardPage;
    if (change.mode !== undefined)
      next.mode = change.mode === 'slides' && !next.deckId ? 'board' : change.mode;
    this.setup = next;
    this.save();
    const view = this.stageView();
    for (const participant of this.ctx.roster.joined()) participant.emit('board:stage', view);
    for (const observer of this.stageObservers) observer(view);
  }

  /** The recorder notes what the class sees (slides and board pages) as events. */
  observeStage(observer: (view: StageView) => void): void {
    this.stageObservers.add(observer);
  }

  /** A deck was deleted: if the class was looking at it, the class sees the board instead. */
  async deckDeleted(deckId: string): Promise<void> {
    if (this.setup.deckId !== deckId) return;
    this.deck = undefined;
    await this.setStage({
      deckId: null,
      ...(this.setup.mode === 'slides' ? { mode: 'board' as const } : {}),
    });
  }

  setDrawing(mode: DrawingMode): void {
    this.drawing.setMode(mode);
    this.drawingChanged();
  }

  mayDraw(participantId: string, allowed: boolean): void {
    this.drawing.choose(this.ctx.roster.target(participantId), allowed);
    this.drawingChanged();
  }

  private drawingChanged(): void {
    const { mode, chosen } = this.drawing.current;
    this.setup = { ...this.setup, drawing: mode, chosen };
    this.save();
    this.accessChanged();
    const view = this.drawingView();
    for (const participant of this.ctx.roster.joined()) participant.emit('board:drawing', view);
  }

  private stageView(): StageView {
    const { mode, page, boardPage } = this.setup;
    return { mode, page, boardPage, deck: this.deck ? this.ctx.services.slides.view(this.deck) : null };
  }

  private drawingView(): DrawingView {
    const { mode, chosen } = this.drawing.current;
    const keys = new Set(chosen);
    return {
      mode,
      chosen: this.ctx.roster
        .joined()
        .filter((participant) => keys.has(participant.userKey))
        .map((participant) => participant.id),
    };
  }

  private save(): void {
    this.ctx.services.boardSettings.save(this.ctx.classroomId, this.setup);
  }
}
