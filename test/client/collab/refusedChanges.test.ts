import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as Y from 'yjs';
import { appendParagraph, pageParagraphs } from '../../support/notesText.js';
import { CollabServer, HubPage } from '../support/collabHub';
import { server as socketServer } from '../support/fakeServer';
import { CollabProvider } from '@/collab/CollabProvider';
import { SignalingClient } from '@/signaling/SignalingClient';
import { useBoardStore } from '@/stores/board';
import { useNoticesStore } from '@/stores/notices';
import { useNotesStore } from '@/stores/notes';

vi.mock('socket.io-client', async () => (await import('../support/fakeServer')).socketModule);

// A change the server refuses for good (the document past its cap, the pen
// taken back) must not hold up what the writer does next: the page's stores
// against the server's own document hub, a second page reading along.

const NOTES = { kind: 'notes' as const, group: null };
const BOARD = { kind: 'board' as const, group: null };
/** Small enough that one long paragraph or stroke does not fit, large enough for a short one. */
const MAX_BYTES = 3_000;

const wait = async (check: () => boolean, what: string) => {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(check(), what).toBe(true);
};
const settle = () => new Promise((resolve) => setTimeout(resolve, 200));

let server: CollabServer;

beforeEach(() => {
  socketServer.reset();
  server = new CollabServer(undefined, { maxBytes: MAX_BYTES });
});
afterEach(() => {
  useNotesStore().close();
  useBoardStore().reset();
});

/** The writer's page: its stores on a signalling client whose collab traffic reaches the hub. */
function writerPage(access: 'write' | 'read' = 'write') {
  setActivePinia(createPinia());
  const peer = new HubPage('t', access, server, (event, payload) => socketServer.emit(event, payload));
  socketServer.relay(peer);
  const client = new SignalingClient('http://aula.test', 'token');
  socketServer.emit('connect');
  const notify = vi.spyOn(useNoticesStore(), 'notify');
  const refusals = () => notify.mock.calls.map(([notice]) => notice.key);
  return { peer, client, refusals };
}

async function reader(docId: typeof NOTES | typeof BOARD): Promise<CollabProvider> {
  const provider = new CollabProvider(new HubPage('a', 'read', server).channel, docId);
  await provider.open();
  return provider;
}

describe('a change the server refuses for good', () => {
  it('leaves the notes writable: the refused text goes, what the writer types next reaches the class', async () => {
    const { client, refusals } = writerPage();
    const notes = useNotesStore();
    notes.listen(client);
    await notes.enter(null);
    const anna = await reader(NOTES);

    notes.provider!.doc.transact(() => appendParagraph(notes.provider!.doc, 'p1', 'x'.repeat(MAX_BYTES)));
    await wait(() => refusals().length > 0, 'a notice of the refusal');
    await settle();
    appendParagraph(notes.provider!.doc, 'p1', 'Protokoll vom Montag');
    await wait(() => pageParagraphs(anna.doc, 'p1').length > 0, 'the next paragraph at the reader');

    expect(pageParagraphs(anna.doc, 'p1')).toEqual(['Protokoll vom Montag']);
    expect(pageParagraphs(notes.provider!.doc, 'p1')).toEqual(['Protokoll vom Montag']);
    await settle();
    expect(refusals()).toEqual(['notes.full']);
    anna.destroy();
  });

  it('leaves the board drawable: the refused stroke goes, the next stroke reaches the class', async () => {
    const { client, refusals } = writerPage();
    const board = useBoardStore();
    board.listen(client);
    await board.enter();
    const anna = await reader(BOARD);
    const stroke = (points: number) => ({
      t: 'pen' as const,
      c: '#1f6feb',
      w: 4,
      pts: Array.from({ length: points * 3 }, (_, i) => i),
    });

    board.session!.add('b:1', stroke(1_000));
    board.session!.endStroke();
    await wait(() => refusals().length > 0, 'a notice of the refusal');
    await settle();
    board.session!.add('b:1', stroke(2));
    await wait(() => anna.doc.getArray('page/b:1').length > 0, 'the next stroke at the reader');

    const shapes = (doc: Y.Doc) => doc.getArray<Y.Map<unknown>>('page/b:1').toArray();
    expect(shapes(anna.doc).map((shape) => (shape.get('pts') as Y.Array<number>).length)).toEqual([6]);
    expect(board.session!.shapes('b:1')).toHaveLength(1);
    await settle();
    expect(refusals()).toEqual(['board.full']);
    anna.destroy();
  });
});
