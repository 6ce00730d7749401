import * as Y from 'yjs';

/** Changes that follow each other within this long go to the pages together. */
const WINDOW_MS = 25;

/**
 * A document's changes on their way to its pages. Sending each change to
 * each page costs a socket write per page, and with a class drawing at once
 * those writes are most of the server's work; so a change after a quiet
 * moment goes out at once, and changes that follow within `windowMs` go out
 * together, merged into one update, at the window's end. A page gets its own
 * change back only in a batch that others' changes share (Yjs skips what it
 * has).
 */
export class UpdateBatch {
  private pending: Uint8Array[] = [];
  private readonly origins = new Set<unknown>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    /** Sends one update to every page but `except`'s. */
    private readonly send: (update: Uint8Array, except: unknown) => void,
    private readonly windowMs = WINDOW_MS,
  ) {}

  add(update: Uint8Array, origin: unknown): void {
    if (this.timer === undefined) {
      this.send(update, origin);
      this.openWindow();
      return;
    }
    this.pending.push(update);
    this.origins.add(origin);
  }

  /** Drops what has not gone out (the document is going away; pages re-sync by state vector). */
  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = [];
    this.origins.clear();
  }

  private openWindow(): void {
    this.timer = setTimeout(() => this.flush(), this.windowMs);
    this.timer.unref?.();
  }

  private flush(): void {
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const update = this.pending.length === 1 ? this.pending[0]! : Y.mergeUpdates(this.pending);
    const except = this.origins.size === 1 ? [...this.origins][0] : undefined;
    this.pending = [];
    this.origins.clear();
    this.send(update, except);
    this.openWindow();
  }
}
