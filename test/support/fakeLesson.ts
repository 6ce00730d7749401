import { expect } from 'vitest';
import { fakeClassroom, type FakeClassroomOptions, type Tab } from './fakeClassroom.js';

/** A running lesson over fake services with its teacher in, and students who joined (named by their names). */
export async function fakeLesson(students: string[] = [], options: FakeClassroomOptions = {}) {
  const fake = await fakeClassroom(options);
  const { classroom } = fake;
  const teacher = fake.open('Frau Berg', 'teacher');
  await classroom.join(teacher.participant);
  await classroom.startLesson(teacher.participant);
  const tabs: Record<string, Tab> = {};
  for (const name of students) {
    tabs[name] = fake.open(name);
    const { result } = await classroom.join(tabs[name].participant);
    if (result.status === 'lobby') await classroom.membership.lobby.admit(tabs[name].participant.id);
    expect(tabs[name].participant.state).toBe('joined');
  }
  /** Another tab that joins now; answers it with its join's result. */
  const joins = async (name: string, role: 'student' | 'guest' | 'teacher' = 'student', userKey?: string) => {
    const tab = fake.open(name, role, userKey);
    const { result } = await classroom.join(tab.participant);
    return { ...tab, result };
  };
  return { ...fake, teacher, tabs, joins };
}
