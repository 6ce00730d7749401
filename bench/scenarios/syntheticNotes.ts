import * as Y from 'yjs';
import type { ClassroomClient } from '../../test/support/classroomClient.js';
import { connectAs } from '../../test/support/classroomFixtures.js';
import { waitFor, type TestAula } from '../../test/support/testAula.js';
import { DocumentClient } from '../../test/support/documentClient.js';
import { notesFragment } from '../../src/protocol/index.js';

/** One lesson's page of notes: what a class writes in 45 minutes. */
export const SYNTHETIC_LESSON = {
  writers: 3,
  paragraphs: 20,
  charsPerParagraph: 160,
  bullets: 5,
  checklistItems: 4,
  table: '3x3',
  typoEveryChars: 37,
};

const WORDS = (
  'die Klasse liest heute das Gedicht und schreibt auf was ihr auffällt Reim Strophe Bild Vers Metapher ' +
  'Hausaufgabe bis Montag Seite vierzig Aufgabe drei Gruppe Ergebnis Frage Antwort Beispiel Begriff'
).split(' ');

function sentence(seed: number, chars: number): string {
  const words: string[] = [];
  for (let i = 0; words.join(' ').length < chars; i += 1)
    words.push(WORDS[(seed * 7 + i * 13) % WORDS.length]!);
  return `${words.join(' ').slice(0, chars - 1)}.`;
}

function element(
  name: string,
  attributes: Record<string, unknown>,
  children: Array<Y.XmlElement | Y.XmlText>,
) {
  const node = new Y.XmlElement(name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value as string);
  node.insert(0, children);
  return node;
}

/** Types text into a run one keystroke (one transaction) at a time, a typo deleted again now and then. */
function typeInto(doc: Y.Doc, run: Y.XmlText, text: string): void {
  for (let i = 0; i < text.length; i += 1) {
    if (i > 0 && i % SYNTHETIC_LESSON.typoEveryChars === 0) {
      doc.transact(() => run.insert(run.length, 'x'));
      doc.transact(() => run.delete(run.length - 1, 1));
    }
    doc.transact(() => run.insert(run.length, text[i]!));
  }
}

/** A block added by one writer, then typed into run by run. */
function writeBlock(doc: Y.Doc, pageId: string, block: Y.XmlElement, runs: Array<[Y.XmlText, string]>): void {
  const fragment = doc.getXmlFragment(notesFragment(pageId));
  doc.transact(() => fragment.insert(fragment.length, [block]));
  for (const [run, text] of runs) typeInto(doc, run, text);
}

/**
 * One lesson's page written by the writers in turn, block by block, each on
 * its own connection: a block typed key by key, sent as one update, and the
 * next writer goes on once it has it.
 */
async function writeLesson(writers: DocumentClient[], pageId: string, lesson: number): Promise<string> {
  const blocks: Array<(doc: Y.Doc) => void> = [];
  let last = '';
  const text = (seed: number, chars = SYNTHETIC_LESSON.charsPerParagraph) =>
    sentence(lesson * 100 + seed, chars);
  blocks.push((doc) => {
    const run = new Y.XmlText();
    writeBlock(doc, pageId, element('heading', { level: 2 }, [run]), [
      [run, `Stunde ${lesson + 1}: Gedichte`],
    ]);
  });
  for (let p = 0; p < SYNTHETIC_LESSON.paragraphs; p += 1) {
    blocks.push((doc) => {
      const run = new Y.XmlText();
      last = `${text(p)} (${lesson + 1}.${p + 1})`;
      writeBlock(doc, pageId, element('paragraph', {}, [run]), [[run, last]]);
    });
  }
  blocks.push((doc) => {
    const runs = Array.from({ length: SYNTHETIC_LESSON.bullets }, () => new Y.XmlText());
    const items = runs.map((run) => element('listItem', {}, [element('paragraph', {}, [run])]));
    writeBlock(
      doc,
      pageId,
      element('bulletList', {}, items),
      runs.map((run, i) => [run, text(50 + i, 40)]),
    );
  });
  blocks.push((doc) => {
    const runs = Array.from({ length: SYNTHETIC_LESSON.checklistItems }, () => new Y.XmlText());
    const items = runs.map((run, i) =>
      element('taskItem', { checked: i % 2 === 0 }, [element('paragraph', {}, [run])]),
    );
    writeBlock(
      doc,
      pageId,
      element('taskList', {}, items),
      runs.map((run, i) => [run, text(60 + i, 30)]),
    );
  });
  blocks.push((doc) => {
    const runs: Array<[Y.XmlText, string]> = [];
    const rows = [0, 1, 2].map((row) =>
      element(
        'tableRow',
        {},
        [0, 1, 2].map((column) => {
          const run = new Y.XmlText();
          runs.push([run, text(70 + row * 3 + column, 12)]);
          return element(row === 0 ? 'tableHeader' : 'tableCell', {}, [element('paragraph', {}, [run])]);
        }),
      ),
    );
    writeBlock(doc, pageId, element('table', {}, rows), runs);
  });
  for (const [i, write] of blocks.entries()) {
    const writer = writers[i % writers.length]!;
    const before = Y.encodeStateVector(writer.doc);
    write(writer.doc);
    await writer.sendUpdate(Y.encodeStateAsUpdate(writer.doc, before));
    const state = Y.encodeStateVector(writer.doc);
    await waitFor(() => writers.every((other) => equal(Y.encodeStateVector(other.doc), state)), {
      what: 'the block at every writer',
      intervalMs: 2,
    });
    // Each writer sends well under the twenty changes a second a page may send.
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return last;
}

const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((byte, i) => byte === b[i]);

/**
 * Fills a classroom's notes with one page per lesson, as classes write them
 * (see SYNTHETIC_LESSON): the teacher adds the pages, the teacher and two
 * more teachers write them, each on a connection of their own.
 */
export async function syntheticLessonNotes(
  aula: TestAula,
  classroomId: string,
  teacher: ClassroomClient,
  lessons: number,
) {
  const connections = [teacher];
  for (let i = 1; i < SYNTHETIC_LESSON.writers; i += 1) {
    const writer = await connectAs(aula, classroomId, { id: `writer${i}`, role: 'teacher' });
    await writer.request('join');
    connections.push(writer);
  }
  const writers = connections.map(
    (connection) => new DocumentClient(connection, { kind: 'notes', group: null }),
  );
  for (const writer of writers) await writer.open();
  const pageIds = [(await teacher.request('notes:state')).pages[0]!.id];
  for (let i = 1; i < lessons; i += 1)
    pageIds.push((await teacher.request('notes:addPage', { title: `Stunde ${i + 1}` })).id);
  const lastParagraphs: string[] = [];
  for (const [lesson, pageId] of pageIds.entries())
    lastParagraphs.push(await writeLesson(writers, pageId, lesson));
  const doc = writers[0]!.doc;
  const characters = pageIds.reduce(
    (sum, pageId) =>
      sum +
      doc
        .getXmlFragment(notesFragment(pageId))
        .toString()
        .replace(/<[^>]+>/g, '').length,
    0,
  );
  return {
    /** The writers' connections besides the teacher's, for the caller to close. */
    connections: connections.slice(1),
    pageIds,
    oldestPageId: pageIds[0]!,
    oldestText: lastParagraphs[0]!,
    newestText: lastParagraphs.at(-1)!,
    documentBytes: Y.encodeStateAsUpdate(doc).byteLength,
    characters,
  };
}
