import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { Classroom } from '../../../../src/classroom/live/Classroom.js';
import { CLASS_NOTES } from '../../../../src/classroom/live/notes/Notes.js';
import { fakeClassroom, fakeServices } from '../../../support/fakeClassroom.js';
import { MemoryDocumentStore } from '../../../support/memoryDocumentStore.js';
import { MemoryNotebooks, MemorySnapshots } from '../../../support/memoryNotesStores.js';
import { appendParagraph, pageParagraphs } from '../../../support/notesText.js';

const notesRules = (classroom: Classroom) => classroom.collab['options'].kinds.notes;

describe('shared notes (rules)', () => {
  it('opens the notes read-only to students waiting for the start, and to nobody waiting to be let in', async () => {
    const fake = await fakeClassroom({ lobbyEnabled: true });
    const { classroom } = fake;
    const early = fake.open('early');
    const teacher = fake.open('Frau Berg', 'teacher');
    await classroom.join(early.participant);
    await classroom.join(teacher.participant);
    const rules = notesRules(classroom);
    expect(early.participant.lobbyReason).toBe('not-started');
    expect(rules.access(early.participant, null)).toBe('read');
    expect(rules.access(teacher.participant, null)).toBe('write');
    expect(rules.access(early.participant, 'some-group')).toBe('none');

    await classroom.startLesson(teacher.participant);
    const late = fake.open('late');
    await classroom.join(late.participant);
    expect(late.participant.state).toBe('lobby');
    expect(late.participant.lobbyReason).toBe('waiting-room');
    expect(rules.access(late.participant, null)).toBe('none');
  });

  it('asks who may write again as the teacher changes it, and keeps the choice for the next lesson', async () => {
    const notebooks = new MemoryNotebooks();
    const fake = await fakeClassroom({ lobbyEnabled: false, notebooks });
    const { classroom } = fake;
    const teacher = fake.open('Frau Berg', 'teacher');
    const anna = fake.open('anna', 'student', 'lms:anna');
    await classroom.join(teacher.participant);
    await classroom.startLesson(teacher.participant);
    await classroom.join(anna.participant);
    const rules = notesRules(classroom);
    expect(rules.access(anna.participant, null)).toBe('read');
    classroom.notes.setWriters('chosen');
    classroom.notes.mayWrite(anna.participant.id, true);
    expect(rules.access(anna.participant, null)).toBe('write');
    expect(anna.channel.last('notes:state')).toMatchObject({
      writers: { mode: 'chosen', chosen: [anna.participant.id] },
    });
    expect([...notebooks.records.values()][0]).toMatchObject({ writers: 'chosen', chosen: ['lms:anna'] });
  });

  it('keeps pages and text when the classroom starts again on another node', async () => {
    const documents = new MemoryDocumentStore();
    const notebooks = new MemoryNotebooks();
    const snapshots = new MemorySnapshots();
    const fake = await fakeClassroom({ lobbyEnabled: false, documents, notebooks, snapshots });
    const teacher = fake.open('Frau Berg', 'teacher');
    await fake.classroom.join(teacher.participant);
    await fake.classroom.startLesson(teacher.participant);
    const [page] = fake.classroom.notes.state().pages;
    const second = fake.classroom.notes.addPage('Woche 2');
    await fake.classroom.collab.change(CLASS_NOTES, teacher.participant.userKey, 100, (doc) =>
      appendParagraph(doc, second.id, 'Hausaufgabe: S. 12'),
    );
    await fake.classroom.collab.flush(1_000);
    await fake.classroom.endLesson('teacher');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(snapshots.records.map((snapshot) => snapshot.reason)).toEqual(['lesson-end']);
    fake.classroom.close();

    const { services } = fakeServices(fake.record, { documents, notebooks, snapshots });
    const again = await Classroom.create(fake.record._id, services);
    expect(again.notes.state().pages.map((p) => [p.id, p.title])).toEqual([
      [page!.id, ''],
      [second.id, 'Woche 2'],
    ]);
    const doc: Y.Doc = await again.collab.read(CLASS_NOTES);
    expect(pageParagraphs(doc, second.id)).toEqual(['Hausaufgabe: S. 12']);
    again.close();
  });
});
