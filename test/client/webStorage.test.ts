import { afterEach, describe, expect, it } from 'vitest';
import { forgetSession, storeSession, storedSession } from '@/storage/joinSession';
import { readStored, writeStored } from '@/storage/webStorage';

const session = {
  token: 'join-token',
  expiresAt: Math.floor(Date.now() / 1000) + 600,
  classroomId: 'c1',
  role: 'student' as const,
  name: 'Ada',
};

describe('web storage', () => {
  const restore: Array<() => void> = [];
  afterEach(() => {
    for (const undo of restore.splice(0)) undo();
    sessionStorage.clear();
    localStorage.clear();
  });

  it('keeps a join session per tab until it expires or is forgotten', () => {
    storeSession(session);
    expect(storedSession('c1')).toEqual(session);
    expect(localStorage.length).toBe(0);
    forgetSession('c1');
    expect(storedSession('c1')).toBeUndefined();
    storeSession({ ...session, expiresAt: Math.floor(Date.now() / 1000) - 1 });
    expect(storedSession('c1')).toBeUndefined();
  });

  it('carries on for this visit when the browser blocks storage, as in a third-party iframe', () => {
    const blocked = () => {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    };
    // Blocked site data makes the storage properties themselves throw.
    for (const area of ['localStorage', 'sessionStorage']) {
      const original = Object.getOwnPropertyDescriptor(globalThis, area)!;
      Object.defineProperty(globalThis, area, { configurable: true, get: blocked });
      restore.push(() => Object.defineProperty(globalThis, area, original));
    }
    expect(() => writeStored('local', 'aula.locale', 'de')).not.toThrow();
    expect(readStored('local', 'aula.locale')).toBeUndefined();
    expect(() => storeSession(session)).not.toThrow();
    expect(storedSession('c1')).toBeUndefined();
    expect(() => forgetSession('c1')).not.toThrow();
  });

  it('ignores a stored session that is not JSON', () => {
    sessionStorage.setItem('aula.session.c1', '{not json');
    expect(storedSession('c1')).toBeUndefined();
  });
});
