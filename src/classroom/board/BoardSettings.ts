import type { DrawingMode, StageMode } from '../../protocol/index.js';
import type { Models } from '../../store/models/index.js';
import type { WriteBehind } from '../../store/WriteBehind.js';

/** What a classroom's board shows and who may draw, kept across lessons, restarts and moves. */
export interface BoardSetup {
  mode: StageMode;
  deckId: string | null;
  page: number;
  boardPage: string;
  drawing: DrawingMode;
  chosen: string[];
}

export const DEFAULT_BOARD_SETUP: BoardSetup = {
  mode: 'cameras',
  deckId: null,
  page: 1,
  boardPage: 'b:1',
  drawing: 'teachers',
  chosen: [],
};

/** The one owner of `boardSettings`: read by `_id` when a classroom opens, written behind. */
export class BoardSettings {
  constructor(
    private readonly models: Models,
    private readonly writes: Pick<WriteBehind, 'enqueue'>,
  ) {}

  async load(classroomId: string): Promise<BoardSetup> {
    const record = await this.models.boardSettings.findById(classroomId).lean();
    if (!record) return { ...DEFAULT_BOARD_SETUP };
    return {
      mode: record.mode as StageMode,
      deckId: record.deckId ?? null,
      page: record.page,
      boardPage: record.boardPage,
      drawing: record.drawing as DrawingMode,
      chosen: record.chosen,
    };
  }

  save(classroomId: string, setup: BoardSetup): void {
    const snapshot = { ...setup, chosen: [...setup.chosen], updatedAt: new Date() };
    this.writes.enqueue('board.settings', () =>
      this.models.boardSettings.updateOne({ _id: classroomId }, { $set: snapshot }, { upsert: true }),
    );
  }

  /** A user's data erased: they no longer hold the pen anywhere. */
  async eraseUser(userKey: string): Promise<number> {
    return (await this.models.boardSettings.updateMany({ chosen: userKey }, { $pull: { chosen: userKey } }))
      .modifiedCount;
  }
}
