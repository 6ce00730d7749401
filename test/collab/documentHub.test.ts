import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import type { CollabPeer, DocumentRules } from '../../src/collab/CollabDocument.js';
import { DocumentHub } from '../../src/collab/DocumentHub.js';
import type { DocumentAccess, DocumentId, ServerEvents } from '../../src/protocol/index.js';
import { createLogger } from '../../src/shared/logger.js';
import type { DatabaseHealth } from '../../src/store/DatabaseHealth.js';
import { WriteBehind } from '../../src/store/WriteBehind.js';
import { MemoryDocumentStore } from '../support/memoryDocumentStore.js';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as sync from 'y-protocols/sync';

// The hub over an in-memory store: debounced writes through the write-behind
// queue, two nodes' writes merged, a database pause waited out, and strokes
// the server lost brought back by the pages that hold them.

const logger = createLogger({ level: 'silent' });
const BOARD: DocumentId = { kind: 'board', group: null };

class Peer implements CollabPeer {
  readonly received: Array<{ event: string; payload: unknown }> = [];
  constructor(
    readonly id: string,
    readonly userKey = `user:${id}`,
    public access: DocumentAccess = 'write',
  ) {}
  emit<E extends 'collab:sync' | 'collab:awareness' | 'collab:access'>(event: E, payload: ServerEvents[E]) {
    this.received.push({ event, payload });
  }
}

const rules: DocumentRules<Peer> = {
  root: (name) => name === 'order' || name.startsWith('page/'),
  maxBytes: 5_000_000,
  access: (peer) => peer.access,
};

function healthyDatabase(): DatabaseHealth {
  return { whenAvailable: async () => undefined } as unknown as DatabaseHealth;
}

function hub(store: MemoryDocumentStore, writes = new WriteBehind(healthyDatabase(), logger)) {
  return new DocumentHub<Peer>({
    classroomId: 'c1',
    kinds: { board: rules, notes: rules },
    store,
    writes,
    logger,
    saveDelayMs: 10,
    saveMaxDelayMs: 50,
  });
}

/** A page's document: opened on a hub, its changes sent as the page sends them. */
async function page(h: DocumentHub<Peer>, peer: Peer, doc = new Y.Doc()) {
  const step1 = encoding.createEncoder();
  sync.writeSyncStep1(step1, doc);
  const opened = await h.open(peer, BOARD, doc.clientID, encoding.toUint8Array(step1));
  for (const message of opened.messages) {
    const reply = encoding.createEncoder();
    if (sync.readSyncMessage(decoding.createDecoder(message), reply, doc, 'server') === 0) {
      await h.sync(peer, BOARD, encoding.toUint8Array(reply));
    }
  }
  return {
    doc,
    async draw(label: string) {
      let update: Uint8Array | undefined;
      doc.once('update', (u: Uint8Array) => (update = u));
      doc.getArray<string>('page/b:1').push([label]);
      await send(update!);
    },
  };
  async function send(update: Uint8Array) {
    const encoder = encoding.createEncoder();
    sync.writeUpdate(encoder, update);
    await h.sync(peer, BOARD, encoding.toUint8Array(encoder));
  }
}

function storedLabels(store: MemoryDocumentStore): string[] {
  const record = store.records.get('c1/board/class');
  if (!record) return [];
  const doc = new Y.Doc();
  Y.applyUpdate(doc, record.state);
  return doc.getArray<string>('page/b:1').toArray().sort();
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 800 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(check()).toBe(true);
};

describe('DocumentHub', () => {
  it('writes a changed document once changes pause, with who wrote with which client', async () => {
    const store = new MemoryDocumentStore();
    const h = hub(store);
    const anna = new Peer('anna');
    const board = await page(h, anna);
    await board.draw('one');
    await board.draw('two');
    await until(() => storedLabels(store).length === 2);
    expect(store.records.get('c1/board/class')!.authors.get(board.doc.clientID)).toBe('user:anna');
  });

  it("merges two nodes' writes instead of overwriting either", async () => {
    const store = new MemoryDocumentStore();
    const first = hub(store);
    const second = hub(store);
    await (await page(first, new Peer('anna'))).draw('from node one');
    await (await page(second, new Peer('ben'))).draw('from node two');
    await first.flush(1000);
    await second.flush(1000);
    expect(storedLabels(store)).toEqual(['from node one', 'from node two']);
  });

  it('waits out a database pause and loses nothing', async () => {
    const store = new MemoryDocumentStore();
    let failures = 3;
    const flaky = Object.assign(Object.create(store) as MemoryDocumentStore, {
      put: async (...args: Parameters<MemoryDocumentStore['put']>) => {
        if (failures-- > 0)
          throw Object.assign(new Error('connection closed'), { name: 'MongoNetworkError' });
        return store.put(...args);
      },
    });
    const h = hub(flaky);
    const board = await page(h, new Peer('anna'));
    for (const label of ['a', 'b', 'c']) await board.draw(label);
    await until(() => storedLabels(store).length === 3);
    expect(failures).toBeLessThan(0);
  }, 20_000);

  it('gets strokes the server lost back from the page that holds them, by state vector', async () => {
    const store = new MemoryDocumentStore();
    const crashed = hub(store);
    const anna = new Peer('anna');
    const board = await page(crashed, anna);
    await board.draw('kept');
    await crashed.flush(1000);
    // Drawn, and gone with the node before its write.
    crashed.dispose();
    const lost = new Y.Doc();
    Y.applyUpdate(lost, Y.encodeStateAsUpdate(board.doc));
    const next = hub(store);
    const ben = await page(next, new Peer('ben'));
    expect(ben.doc.getArray<string>('page/b:1').toArray()).toEqual(['kept']);
    const annaAgain = await page(next, new Peer('anna'), board.doc);
    await annaAgain.draw('drawn just before the crash');
    await next.flush(1000);
    expect(storedLabels(store)).toEqual(['drawn just before the crash', 'kept']);
    void lost;
  });

  it('tells a page whose access changed, and lets go of one that may no longer read', async () => {
    const store = new MemoryDocumentStore();
    const h = hub(store);
    const anna = new Peer('anna', 'user:anna', 'read');
    await page(h, anna);
    anna.access = 'write';
    h.refreshAccess();
    await until(() => anna.received.some((r) => r.event === 'collab:access'));
    expect(anna.received.at(-1)).toMatchObject({ event: 'collab:access', payload: { access: 'write' } });
    anna.access = 'none';
    h.refreshAccess();
    await until(() => anna.received.filter((r) => r.event === 'collab:access').length === 2);
    await expect(h.sync(anna, BOARD, new Uint8Array([2, 2, 0, 0]))).rejects.toMatchObject({
      code: 'DOCUMENT_NOT_OPEN',
    });
  });

  it('sends a change after a quiet moment at once, and a class drawing at once merged: every stroke everywhere, fewer messages', async () => {
    const h = hub(new MemoryDocumentStore());
    const reader = new Peer('reader', 'user:reader', 'read');
    const readerDoc = new Y.Doc();
    await page(h, reader, readerDoc);
    let messages = 0;
    /** The reader applies what reached it so far, as a page does. */
    const apply = () => {
      for (const { event, payload } of reader.received.splice(0)) {
        if (event !== 'collab:sync') continue;
        messages += 1;
        const message = new Uint8Array((payload as ServerEvents['collab:sync']).message);
        sync.readSyncMessage(decoding.createDecoder(message), encoding.createEncoder(), readerDoc, 'server');
      }
      return readerDoc.getArray<string>('page/b:1').length;
    };
    const anna = new Peer('anna');
    const annaBoard = await page(h, anna);
    await new Promise((resolve) => setTimeout(resolve, 60));
    anna.received.length = 0;
    // One stroke after a quiet moment: at the reader straight away, not back at its sender.
    await annaBoard.draw('first');
    expect(apply()).toBe(1);
    expect(messages).toBe(1);
    expect(anna.received.filter((r) => r.event === 'collab:sync')).toHaveLength(0);

    // Ten pages drawing ten strokes each, all at once.
    const pages = await Promise.all(Array.from({ length: 10 }, (_, i) => page(h, new Peer(`p${i}`))));
    await Promise.all(
      pages.map(async (board, i) => {
        for (let n = 0; n < 10; n++) await board.draw(`${i}-${n}`);
      }),
    );
    await until(() => apply() === 101);
    expect(messages).toBeLessThan(20);
  });
  it("sends a page's change on as it came, and the server's own changes and another node's writes as Yjs encodes them", async () => {
    const store = new MemoryDocumentStore();
    const h = hub(store);
    const reader = new Peer('reader', 'user:reader', 'read');
    const readerBoard = await page(h, reader);
    const anna = await page(h, new Peer('anna'));
    const received = () =>
      reader.received
        .splice(0)
        .filter((r) => r.event === 'collab:sync')
        .map((r) => new Uint8Array((r.payload as ServerEvents['collab:sync']).message));
    const apply = (messages: Uint8Array[]) => {
      for (const message of messages)
        sync.readSyncMessage(
          decoding.createDecoder(message),
          encoding.createEncoder(),
          readerBoard.doc,
          'server',
        );
      return readerBoard.doc.getArray<string>('page/b:1').toArray().sort();
    };
    await new Promise((resolve) => setTimeout(resolve, 60));
    received();
    // A page's update: the very bytes it sent, checked, reach the others.
    let sent: Uint8Array | undefined;
    anna.doc.once('update', (update: Uint8Array) => (sent = update));
    await anna.draw('by anna');
    const [message] = received();
    const expected = encoding.createEncoder();
    sync.writeUpdate(expected, sent!);
    expect(message).toEqual(encoding.toUint8Array(expected));
    expect(apply([message!])).toEqual(['by anna']);

    // The server's own change (a merge, a restore) reaches every page.
    await h.change(BOARD, 'user:teacher', 100, (doc) =>
      doc.getArray<string>('page/b:1').push(['by the server']),
    );
    await until(() => apply(received()).length === 2);

    // What another node stored meanwhile reaches the pages when this one merges it before writing.
    const other = hub(store);
    await (await page(other, new Peer('ben'))).draw('on the other node');
    await other.flush(1000);
    await anna.draw('after');
    await h.flush(1000);
    await until(() => apply(received()).length === 4);
    expect(readerBoard.doc.getArray<string>('page/b:1').toArray().sort()).toEqual(
      ['after', 'by anna', 'by the server', 'on the other node'].sort(),
    );
  });
});
