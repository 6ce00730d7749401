import type { Classroom } from '../../src/classroom/ClassroomService.js';
import { guestUserKey, lmsUserKey } from '../../src/classroom/userKeys.js';
import type { ClassroomSettingsUpdate } from '../../src/protocol/index.js';
import type { AulaInstance } from '../../src/server.js';
import type { BrowserContext } from 'playwright-core';
import { ClassroomClient } from './classroomClient.js';
import { ClassroomPage } from './classroomPage.js';

let counter = 0;

/** A classroom created directly in the domain, as deep linking would. */
export async function createClassroom(
  aula: AulaInstance,
  settings: { seatCap?: number; title?: string } & ClassroomSettingsUpdate = {},
): Promise<Classroom> {
  counter += 1;
  const classroom = await aula.services.classrooms.create(
    { platformId: 'test-platform', deploymentId: 'd1', contextId: `course-${counter}` },
    { title: settings.title ?? `Classroom ${counter}`, seatCap: settings.seatCap ?? 25 },
    lmsUserKey('test-platform', 'creator'),
  );
  const { title: _title, seatCap: _seatCap, ...rest } = settings;
  return Object.keys(rest).length ? aula.services.classrooms.update(classroom._id, rest) : classroom;
}

export async function tokenFor(
  aula: AulaInstance,
  classroomId: string,
  who: { id: string; role: 'teacher' | 'student' | 'guest'; name?: string; restricted?: boolean },
): Promise<string> {
  const { token } = await aula.services.tokens.mint({
    sub: who.role === 'guest' ? guestUserKey(who.id) : lmsUserKey('test-platform', who.id),
    cid: classroomId,
    role: who.role,
    name: who.name ?? who.id,
    ...(who.role === 'guest' ? {} : { lms: who.id }),
    ...(who.restricted ? { rst: true } : {}),
  });
  return token;
}

export async function connectAs(
  aula: AulaInstance,
  classroomId: string,
  who: { id: string; role: 'teacher' | 'student' | 'guest'; name?: string; restricted?: boolean },
): Promise<ClassroomClient> {
  return ClassroomClient.connect(aula.url, await tokenFor(aula, classroomId, who));
}

/** A classroom with a running lesson and its teacher joined (the waiting room off unless asked). */
export async function liveLesson(
  aula: AulaInstance,
  settings: Parameters<typeof createClassroom>[1] = { lobbyEnabled: false },
): Promise<{ classroom: Classroom; teacher: ClassroomClient; teacherId: string; lessonId: string }> {
  const classroom = await createClassroom(aula, settings);
  const teacher = await connectAs(aula, classroom._id, { id: `teacher-${classroom._id}`, role: 'teacher' });
  const waiting = await teacher.request('join');
  const { lessonId } = await teacher.request('lesson:start');
  await teacher.next('lesson:started');
  return { classroom, teacher, teacherId: waiting.self.id, lessonId };
}

/** A student who joined the lesson straight away (the classroom's waiting room is off). */
export async function joinedStudent(
  aula: AulaInstance,
  classroomId: string,
  who: { id: string; name?: string },
): Promise<{ client: ClassroomClient; id: string }> {
  const client = await connectAs(aula, classroomId, { ...who, role: 'student' });
  const result = await client.request('join');
  if (result.status !== 'joined') throw new Error(`${who.id} did not join: ${result.status}`);
  return { client, id: result.self.id };
}

/** A running lesson with students (named by their ids) joined; every client goes into `clients` for cleanup. */
export async function lessonWithStudents(aula: AulaInstance, names: string[], clients: ClassroomClient[]) {
  const lesson = await liveLesson(aula);
  clients.push(lesson.teacher);
  const students: Array<{ name: string; client: ClassroomClient; id: string }> = [];
  for (const name of names) {
    const student = await joinedStudent(aula, lesson.classroom._id, { id: name, name });
    clients.push(student.client);
    students.push({ name, ...student });
  }
  return { ...lesson, students };
}

/** The real classroom page in a browser context, as a launch would leave it for this person. */
export async function classroomPageAs(
  context: BrowserContext,
  aula: AulaInstance,
  classroomId: string,
  who: { id: string; role: 'teacher' | 'student' },
): Promise<ClassroomPage> {
  return ClassroomPage.open(context, aula.url, {
    token: await tokenFor(aula, classroomId, who),
    expiresAt: Math.floor(Date.now() / 1000) + 600,
    classroomId,
    role: who.role,
    name: who.id,
  });
}

/** A recordable classroom (no waiting room) whose teacher, on a socket of their own, started the lesson. */
export async function recordableLesson(aula: AulaInstance, teacherId: string) {
  const classroom = await createClassroom(aula, { lobbyEnabled: false, recordingAllowed: true });
  const teacher = await ClassroomClient.connect(
    aula.url,
    await tokenFor(aula, classroom._id, { id: teacherId, role: 'teacher', name: 'Teacher' }),
  );
  await teacher.request('join');
  await teacher.request('lesson:start');
  await teacher.next('lesson:started');
  return { classroom, teacher };
}
