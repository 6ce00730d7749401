import type { ClassroomClient } from '../support/classroomClient.js';
import { joinedStudent, liveLesson } from '../support/classroomFixtures.js';
import { DocumentClient } from '../support/documentClient.js';
import type { TestAula } from '../support/testAula.js';

const NOTES = { kind: 'notes' as const, group: null };

/** A live lesson with a teacher and Anna, both with the class's notes open; their clients go to `clients`. */
export async function notesLesson(aula: TestAula, clients: ClassroomClient[]) {
  const lesson = await liveLesson(aula);
  clients.push(lesson.teacher);
  const anna = await joinedStudent(aula, lesson.classroom._id, {
    id: `anna-${lesson.classroom._id}`,
    name: 'Anna',
  });
  clients.push(anna.client);
  const { pages } = await lesson.teacher.request('notes:state');
  const teacherNotes = new DocumentClient(lesson.teacher, NOTES);
  const annaNotes = new DocumentClient(anna.client, NOTES);
  await teacherNotes.open();
  await annaNotes.open();
  return { ...lesson, anna, teacherNotes, annaNotes, pageId: pages[0]!.id };
}
