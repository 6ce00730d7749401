import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ClassroomPageInfo } from '@protocol';
import { useLessonStore } from '@/stores/lesson';
import { server } from '../support/fakeServer';

vi.mock('socket.io-client', async () => (await import('../support/fakeServer')).socketModule);

function pageInfo(removed: boolean): ClassroomPageInfo {
  return {
    classroom: { id: 'c1', title: 'Biology 9b', contextTitle: 'Year 9', endToEndEncryption: false },
    me: { role: 'student', name: 'Ben Schulz', removed },
    lesson: { id: 'l1', startedAt: new Date().toISOString(), locked: false, teachers: ['Frau Berg'] },
  };
}

async function connectWith(info: ClassroomPageInfo) {
  vi.stubGlobal('fetch', async () => new Response(JSON.stringify(info), { status: 200 }));
  const lesson = useLessonStore();
  const connecting = lesson.connect({
    token: 'token',
    expiresAt: Date.now() / 1000 + 3600,
    classroomId: 'c1',
    role: 'student',
    name: 'Ben Schulz',
  });
  server.emit('connect');
  await connecting;
  return lesson;
}

beforeEach(() => {
  server.reset();
  setActivePinia(createPinia());
});

afterEach(() => {
  useLessonStore().leave();
  vi.unstubAllGlobals();
});

describe('before joining', () => {
  it('tells a student removed from the running lesson at once, without a device check', async () => {
    const lesson = await connectWith(pageInfo(true));
    expect(lesson.phase).toBe('removed');
  });

  it('shows everyone else the pre-join check with the class title, teacher and lesson', async () => {
    const lesson = await connectWith(pageInfo(false));
    expect(lesson.phase).toBe('prejoin');
    expect(lesson.classroomTitle).toBe('Biology 9b');
    expect(lesson.pageInfo?.lesson?.teachers).toEqual(['Frau Berg']);
  });
});
