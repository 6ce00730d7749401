import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { CollabPeer, DocumentRules } from '../../../src/collab/CollabDocument.js';
import { DocumentHub } from '../../../src/collab/DocumentHub.js';
import type { DocumentAccess, ServerEvents } from '../../../src/protocol/index.js';
import { AppError } from '../../../src/shared/errors.js';
import { createLogger } from '../../../src/shared/logger.js';
import { MemoryDocumentStore } from '../../support/memoryDocumentStore.js';
import { CollabProvider, type CollabChannel } from '@/collab/CollabProvider';
import { RequestError } from '@/signaling/SignalingClient';

// The page's provider against the server's own hub, joined by a channel that
// does what the socket does: requests with typed refusals, events to the page.

const logger = createLogger({ level: 'silent' });
const doc = { kind: 'board' as const, group: null };

class Page implements CollabPeer {
  private readonly listeners = new Map<string, Set<(payload: never) => void>>();
  constructor(
    readonly id: string,
    public access: DocumentAccess,
    private readonly hub: () => DocumentHub<Page>,
    readonly userKey = `user:${id}`,
  ) {}

  emit<E extends 'collab:sync' | 'collab:awareness' | 'collab:access'>(event: E, payload: ServerEvents[E]) {
    // As over the wire: binary arrives in a copy, a moment later.
    const copy = structuredClone(payload);
    setTimeout(() => this.listeners.get(event)?.forEach((listener) => listener(copy as never)), 0);
  }

  readonly channel: CollabChannel = {
    on: ((event: string, listener: (payload: never) => void) => {
      if (!this.listeners.has(event)) this.listeners.set(event, new Set());
      this.listeners.get(event)!.add(listener);
      return () => this.listeners.get(event)!.delete(listener);
    }) as CollabChannel['on'],
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- one fake for four payload shapes
    request: (async (name: string, payload: Record<string, any>) => {
      const hub = this.hub();
      try {
        if (name === 'collab:open')
          return await hub.open(this, payload.doc, payload.clientId, payload.message);
        if (name === 'collab:sync') await hub.sync(this, payload.doc, payload.message);
        if (name === 'collab:awareness') await hub.awareness(this, payload.doc, payload.update);
        if (name === 'collab:close') await hub.close(this, payload.doc);
        return { ok: true };
      } catch (error) {
        if (error instanceof AppError) {
          throw new RequestError({ status: error.status, code: error.code, message: error.message });
        }
        throw error;
      }
    }) as CollabChannel['request'],
  };
}

function setup(store = new MemoryDocumentStore()) {
  const rules: DocumentRules<Page> = {
    root: (name) => name.startsWith('page/'),
    maxBytes: 100_000,
    access: (page) => page.access,
  };
  let hub = new DocumentHub<Page>({
    classroomId: 'c',
    kinds: { board: rules, notes: rules },
    store,
    logger: logger,
    writes: { enqueue: (_l, write) => void write() },
  });
  return {
    store,
    current: () => hub,
    restart() {
      hub.dispose();
      hub = new DocumentHub<Page>({
        classroomId: 'c',
        kinds: { board: rules, notes: rules },
        store,
        logger,
        writes: { enqueue: (_l, write) => void write() },
      });
    },
  };
}

const wait = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(check()).toBe(true);
};

const strokes = (provider: CollabProvider) => provider.doc.getArray<string>('page/b:1').toArray();

describe('CollabProvider', () => {
  it("sends a page's changes together and applies everyone else's", async () => {
    const server = setup();
    const teacher = new CollabProvider(new Page('t', 'write', server.current).channel, doc);
    const anna = new CollabProvider(new Page('a', 'read', server.current).channel, doc);
    await teacher.open();
    await anna.open();
    expect([teacher.access, anna.access]).toEqual(['write', 'read']);
    for (let i = 0; i < 5; i++) teacher.doc.getArray<string>('page/b:1').push([`stroke ${i}`]);
    await wait(() => strokes(anna).length === 5);
  });

  it('loses no stroke when the server restarts before writing: both sides send what the other lacks', async () => {
    const server = setup();
    const teacher = new CollabProvider(new Page('t', 'write', server.current).channel, doc);
    const anna = new CollabProvider(new Page('a', 'read', server.current).channel, doc);
    await teacher.open();
    await anna.open();
    teacher.doc.getArray<string>('page/b:1').push(['before']);
    await wait(() => strokes(anna).length === 1);
    // The server goes before writing anything; the teacher draws while it is away.
    server.store.records.clear();
    server.restart();
    teacher.doc.getArray<string>('page/b:1').push(['while away']);
    await teacher.open();
    await anna.open();
    await wait(() => strokes(anna).length === 2);
    expect(strokes(anna)).toEqual(['before', 'while away']);
  });

  it('tells the page when the server refuses a change, and when its access changes', async () => {
    const server = setup();
    const page = new Page('a', 'write', server.current);
    const anna = new CollabProvider(page.channel, doc);
    const refused: string[] = [];
    const access: string[] = [];
    anna.on('refused', (code) => refused.push(code));
    anna.on('access', (value) => access.push(value));
    await anna.open();
    page.access = 'read';
    server.current().refreshAccess();
    await wait(() => access.at(-1) === 'read');
    anna.doc.getArray<string>('page/b:1').push(['not allowed']);
    await wait(() => refused.length === 1);
    expect(refused).toEqual(['PERMISSION_DENIED']);
    void Y;
  });
});
