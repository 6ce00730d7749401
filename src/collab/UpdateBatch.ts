/** Changes that follow each other within this long go to the pages together. */
const WINDOW_MS = 25;

/**
 * A document's changes on their way to its pages, as y-protocols sync
 * messages. Sending each change to each page costs a socket write per page,
 * and with a class drawing at once those writes are most of the server's
 * work; so a change after a quiet moment goes out at once, and changes that
 * follow within `windowMs` go out together at the window's end: their
 * messages one after the other in one payload (the page reads them in
 * turn), so the server neither merges nor encodes them again. A page gets
 * its own change back only in a batch that others' changes share (Yjs skips
 * what it has).
 */
export class UpdateBatch {
  private pending: Uint8Array[] = [];
  private bytes = 0;
  private readonly origins = new Set<unknown>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    /** Sends one payload of sync messages to every page but `except`'s. */
    private readonly send: (messages: Uint8Array, except: unknown) => void,
    private readonly windowMs = WINDOW_MS,
  ) {}

  add(message: Uint8Array, origin: unknown): void {
    if (this.timer === undefined) {
      this.send(message, origin);
      this.openWindow();
      return;
    }
    this.pending.push(message);
    this.bytes += message.byteLength;
    this.origins.add(origin);
  }

  /** Drops what has not gone out (the document is going away; pages re-sync by state vector). */
  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = [];
    this.bytes = 0;
    this.origins.clear();
  }

  private openWindow(): void {
    this.timer = setTimeout(() => this.flush(), this.windowMs);
    this.timer.unref?.();
  }

  private flush(): void {
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const messages = this.pending.length === 1 ? this.pending[0]! : concat(this.pending, this.bytes);
    const except = this.origins.size === 1 ? [...this.origins][0] : undefined;
    this.pending = [];
    this.bytes = 0;
    this.origins.clear();
    this.send(messages, except);
    this.openWindow();
  }
}

function concat(parts: Uint8Array[], bytes: number): Uint8Array {
  const joined = new Uint8Array(bytes);
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.byteLength;
  }
  return joined;
}
