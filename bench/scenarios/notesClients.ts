// The notes benchmark's clients in a process of their own, so the server's
// process runs only Aula: one writer (a teacher, who starts the lesson) types into the class's notes key by key
// (with its caret, as the page sends it), the readers receive; this process
// times each keystroke from sending it to the moment the last reader has it.
import * as Y from 'yjs';
import { ClassroomClient } from '../../test/support/classroomClient.js';
import { DocumentClient } from '../../test/support/documentClient.js';
import { waitFor } from '../../test/support/testAula.js';
import { encodeAwareness } from '../../src/collab/awarenessRelay.js';
import { notesFragment } from '../../src/protocol/index.js';
import { serveParent } from '../BenchChild.js';

export type NotesClientsCommand =
  | { type: 'connect'; url: string; writer: string; readers: string[] }
  | { type: 'type'; pageId: string; keystrokes: number; everyMs: number }
  | { type: 'stop' };

export type NotesClientsReply =
  | { type: 'ready' }
  | { type: 'connected'; readers: number; pageId: string }
  | { type: 'typed'; latenciesMs: number[]; text: string }
  | { type: 'error'; message: string };

const NOTES = { kind: 'notes' as const, group: null };
const PHRASE = 'Die Klasse schreibt das Protokoll der Stunde. ';
const clients: ClassroomClient[] = [];
let writer: DocumentClient | undefined;
let readers: DocumentClient[] = [];

async function connect(url: string, token: string, startsLesson = false): Promise<DocumentClient> {
  const client = await ClassroomClient.connect(url, token);
  clients.push(client);
  const joined = await client.request('join');
  if (startsLesson) {
    const started = client.next('lesson:started');
    await client.request('lesson:start');
    await started;
  } else if (joined.status !== 'joined') throw new Error(`a notes client did not join: ${joined.status}`);
  const notes = new DocumentClient(client, NOTES);
  await notes.open();
  return notes;
}

/** Types one character after another at the end of a paragraph of its own, the caret following. */
async function type(pageId: string, keystrokes: number, everyMs: number): Promise<NotesClientsReply> {
  const page = writer!;
  const fragment = page.doc.getXmlFragment(notesFragment(pageId));
  const run = new Y.XmlText();
  await page.change(() => {
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [run]);
    fragment.insert(fragment.length, [paragraph]);
  });
  await waitFor(() => readers.every((reader) => reader.arrivals.length > 0), { what: 'the new paragraph' });
  const latencies: number[] = [];
  const arrived = () => Math.min(...readers.map((reader) => reader.arrivals.length));
  for (let i = 0; i < keystrokes; i += 1) {
    const before = arrived();
    const sentAt = performance.now();
    await page.change(() => run.insert(run.length, PHRASE[i % PHRASE.length]!));
    // The page sends its caret at most every 110 ms: with every other keystroke here.
    if (i % 2 === 1) {
      const state = JSON.stringify({ user: { name: 'x', color: '#1971c2' }, cursor: { at: run.length } });
      await page.client.request('collab:awareness', {
        doc: NOTES,
        update: encodeAwareness([{ client: page.doc.clientID, clock: i, state }]),
      });
    }
    await waitFor(() => arrived() > before, { what: 'the keystroke at every reader', intervalMs: 1 });
    latencies.push(Math.max(...readers.map((reader) => reader.arrivals.at(-1)!)) - sentAt);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, sentAt + everyMs - performance.now())));
  }
  // What the readers received is what the server holds: a fresh copy from it has the text.
  const check = new DocumentClient(readers[0]!.client, NOTES);
  await check.open();
  const typed = run.toString();
  if (!check.doc.getXmlFragment(notesFragment(pageId)).toString().includes(typed))
    throw new Error('the typed text is not in the notes on the server');
  return { type: 'typed', latenciesMs: latencies, text: typed };
}

async function handle(command: NotesClientsCommand): Promise<void> {
  if (command.type === 'connect') {
    writer = await connect(command.url, command.writer, true);
    const { pages } = await writer.client.request('notes:state');
    readers = [];
    for (const token of command.readers) readers.push(await connect(command.url, token));
    reply({ type: 'connected', readers: readers.length, pageId: pages[0]!.id });
  } else if (command.type === 'type') {
    reply(await type(command.pageId, command.keystrokes, command.everyMs));
  } else {
    for (const client of clients) client.close();
    process.exit(0);
  }
}

const reply = serveParent<NotesClientsCommand, NotesClientsReply>(handle, { type: 'ready' });
