import type { Classroom } from '../../src/classroom/ClassroomService.js';
import { guestUserKey, lmsUserKey } from '../../src/classroom/userKeys.js';
import type { ClassroomSettingsUpdate } from '../../src/classroom/classroomSchemas.js';
import type { AulaInstance } from '../../src/server.js';
import { ClassroomClient } from './classroomClient.js';

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
