import crypto from 'node:crypto';
import type { DeckView } from '../../protocol/index.js';
import { AppError, NotFoundError } from '../../shared/errors.js';
import { randomId } from '../../shared/ids.js';
import type { Logger } from '../../shared/logger.js';
import type { Models } from '../../store/models/index.js';
import { checkPdf, type PageSize } from './pdfCheck.js';
import type { SlideFiles } from './slideFiles.js';

/** How long a link to a PDF works: pages load it at once, and get a new link with every view. */
const LINK_TTL_SECONDS = 10 * 60;

/** A deck's record as read (lean). */
export interface SlideDeck {
  _id: string;
  classroomId: string;
  name: string;
  pages: number;
  sizes: Array<{ w: number; h: number }>;
  bytes: number;
  store: string;
  chunks: number;
  uploadedBy?: string | null;
  uploadedAt: Date;
  expiresAt: Date;
}

/**
 * A classroom's slides (the one owner of `slideDecks` and `slideChunks`):
 * checked on upload (pdfCheck), kept in a slide store until the teacher
 * deletes them or they go unused past the retention period, and handed to
 * the classroom's pages by short-lived signed links.
 */
export class SlideDecks {
  private readonly linkKey: Buffer;

  constructor(
    private readonly models: Models,
    private readonly stores: { current: SlideFiles; all: Record<SlideFiles['kind'], SlideFiles | undefined> },
    secret: Uint8Array,
    private readonly retentionMs: number,
    private readonly logger: Logger,
  ) {
    this.linkKey = crypto.createHmac('sha256', secret).update('slide-links').digest();
  }

  /** Checks and keeps a teacher's PDF; the refusal, if any, names what is wrong with it. */
  async upload(classroomId: string, name: string, bytes: Uint8Array, uploadedBy: string): Promise<SlideDeck> {
    const checked = await checkPdf(bytes);
    const id = randomId(12);
    const files = this.stores.current;
    const chunks = await files.put(id, bytes);
    const now = new Date();
    const record = await this.models.slideDecks.create({
      _id: id,
      classroomId,
      name: name.slice(0, 200) || 'slides.pdf',
      pages: checked.pages,
      sizes: checked.sizes.map(([w, h]) => ({ w, h })),
      bytes: bytes.byteLength,
      store: files.kind,
      chunks,
      uploadedBy,
      uploadedAt: now,
      expiresAt: new Date(now.getTime() + this.retentionMs),
    });
    this.logger.info({ classroomId, deckId: id, pages: checked.pages }, 'upload() | slides kept');
    return record.toObject() as unknown as SlideDeck;
  }

  async list(classroomId: string): Promise<SlideDeck[]> {
    return (await this.models.slideDecks
      .find({ classroomId })
      .sort({ uploadedAt: -1 })
      .lean()) as unknown as SlideDeck[];
  }

  async get(classroomId: string, deckId: string): Promise<SlideDeck> {
    const deck = (await this.models.slideDecks.findById(deckId).lean()) as unknown as SlideDeck | null;
    if (!deck || deck.classroomId !== classroomId)
      throw new NotFoundError('No such slides here', 'UNKNOWN_DECK');
    return deck;
  }

  /** The deck as a page sees it, with a link that works for the next ten minutes. */
  view(deck: SlideDeck): DeckView {
    const expires = Math.floor(Date.now() / 1000) + LINK_TTL_SECONDS;
    return {
      id: deck._id,
      name: deck.name,
      pages: deck.pages,
      sizes: deck.sizes.map((size): PageSize => [size.w, size.h]),
      bytes: deck.bytes,
      uploadedAt: deck.uploadedAt.toISOString(),
      url: `/api/slides/${deck._id}.pdf?e=${expires}&s=${this.sign(deck._id, expires)}`,
    };
  }

  /** The PDF behind a signed link; refused once the link expired or when it was not ours. */
  async open(
    deckId: string,
    expires: unknown,
    signature: unknown,
  ): Promise<{ deck: SlideDeck; bytes: Buffer }> {
    const at = Number(expires);
    const expected = Number.isInteger(at) ? this.sign(deckId, at) : '';
    const given = typeof signature === 'string' ? signature : '';
    const valid =
      given.length === expected.length && crypto.timingSafeEqual(Buffer.from(given), Buffer.from(expected));
    if (!valid) throw new AppError(403, 'FORBIDDEN', 'This link is not valid');
    if (at < Date.now() / 1000) throw new AppError(410, 'LINK_EXPIRED', 'This link has expired');
    const deck = (await this.models.slideDecks.findById(deckId).lean()) as unknown as SlideDeck | null;
    if (!deck) throw new NotFoundError('These slides no longer exist', 'UNKNOWN_DECK');
    return { deck, bytes: await this.bytes(deck) };
  }

  async bytes(deck: SlideDeck): Promise<Buffer> {
    const files = this.stores.all[deck.store as SlideFiles['kind']];
    if (!files) throw new AppError(503, 'UNAVAILABLE', 'These slides are kept on another node');
    return files.get(deck._id, deck.chunks);
  }

  /** The class looked at them: kept for another retention period. */
  async used(deckId: string): Promise<void> {
    await this.models.slideDecks.updateOne(
      { _id: deckId },
      { $set: { expiresAt: new Date(Date.now() + this.retentionMs) } },
    );
  }

  async delete(classroomId: string, deckId: string): Promise<void> {
    const deck = await this.get(classroomId, deckId);
    await this.models.slideDecks.deleteOne({ _id: deckId });
    await this.stores.all[deck.store as SlideFiles['kind']]?.delete(deckId, deck.chunks);
  }

  async deleteExpired(now: Date): Promise<number> {
    const expired = (await this.models.slideDecks
      .find({ expiresAt: { $lt: now } })
      .lean()) as unknown as SlideDeck[];
    for (const deck of expired) await this.delete(deck.classroomId, deck._id);
    return expired.length;
  }

  /** A user's data erased: their slides stay with the class, without their name on them. */
  async eraseUser(userKey: string): Promise<number> {
    return (await this.models.slideDecks.updateMany({ uploadedBy: userKey }, { $unset: { uploadedBy: 1 } }))
      .modifiedCount;
  }

  private sign(deckId: string, expires: number): string {
    return crypto.createHmac('sha256', this.linkKey).update(`${deckId}|${expires}`).digest('base64url');
  }
}
