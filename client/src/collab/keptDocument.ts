import { ref, shallowRef, type Ref, type ShallowRef } from 'vue';
import type { DocumentAccess } from '@protocol';
import type { CollabProvider } from './CollabProvider';

/** A shared document a page keeps open, as the components see it. */
export interface KeptDocument<T> {
  /** The page's copy; a fresh one (new Y.Doc, new client id) after a final refusal. */
  readonly current: ShallowRef<T>;
  /** What this page may do with it, across fresh copies. */
  readonly access: Ref<DocumentAccess>;
  /** Opens the document (again, after a reconnection). */
  open(): Promise<void>;
  close(): void;
}

export interface KeptDocumentOptions<T extends { destroy(): void }> {
  /** A new copy of the document with its own provider, not yet open. */
  create(): T;
  provider(copy: T): CollabProvider;
  /** The server refused a change of ours: the page says why. */
  refused(code: string): void;
  /** Opening failed (a lost connection, no access). */
  failed(error: unknown): void;
}

/**
 * Keeps a page's copy of a shared document usable. When the server refuses
 * a change of ours for good (a full document, the pen taken back), that
 * change stays in our Y.Doc and every later one depends on it, so the copy
 * is let go and the document opened afresh from the server's state: the
 * refused change disappears here and what the person does next reaches
 * everyone. A fresh copy is replaced only after its own change was refused
 * (a copy never changed ignores final refusals), so this cannot loop.
 */
export function keepDocument<T extends { destroy(): void }>(
  options: KeptDocumentOptions<T>,
): KeptDocument<T> {
  const access = ref<DocumentAccess>('none');
  let offs: Array<() => void> = [];
  let closed = false;

  function start(): T {
    const copy = options.create();
    const provider = options.provider(copy);
    offs = [
      provider.on('access', (value) => (access.value = value)),
      provider.on('refused', (code) => options.refused(code)),
      provider.on('diverged', () => queueMicrotask(renew)),
    ];
    return copy;
  }

  function stop(copy: T): void {
    offs.forEach((off) => off());
    offs = [];
    copy.destroy();
  }

  const current: ShallowRef<T> = shallowRef(start()) as ShallowRef<T>;

  function open(): Promise<void> {
    return options.provider(current.value).open().catch(options.failed);
  }

  function renew(): void {
    if (closed) return;
    stop(current.value);
    access.value = 'none';
    current.value = start();
    void open();
  }

  return {
    current,
    access,
    open,
    close() {
      if (closed) return;
      closed = true;
      stop(current.value);
      access.value = 'none';
    },
  };
}
