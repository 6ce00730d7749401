/**
 * A read whose answer reflects everything committed before the caller asked,
 * shared between callers: one that arrives while a read is in flight waits for
 * the next read, which everyone who arrived meanwhile shares. A burst of N
 * callers costs at most two reads instead of N, and nobody gets an answer
 * older than their own request.
 */
export class CoalescedRead<T> {
  private current: Promise<T> | undefined;
  private next: Promise<T> | undefined;

  constructor(private readonly read: () => Promise<T>) {}

  get(): Promise<T> {
    if (!this.current) return this.start();
    // The read in flight may have been sent before this caller arrived: wait for the next one.
    this.next ??= this.current
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => {
        this.next = undefined;
        return this.current ?? this.start();
      });
    return this.next;
  }

  private start(): Promise<T> {
    const started: Promise<T> = this.read().finally(() => {
      if (this.current === started) this.current = undefined;
    });
    this.current = started;
    return started;
  }
}
