import { describe, expect, it } from 'vitest';
import type { Classroom } from '../../../../src/classroom/ClassroomService.js';
import { captionsAvailable } from '../../../../src/classroom/live/captions/captionsAvailability.js';

describe('captions availability', () => {
  const classroom = { _id: 'c1', title: 'Physik' } as Classroom;

  it('offers captions in an ordinary lesson', () => {
    expect(captionsAvailable(classroom)).toBe(true);
  });

  it('offers none in an end-to-end encrypted lesson, where the server cannot hear the media', () => {
    const encrypted = Object.assign({}, classroom, { endToEndEncryption: true });
    expect(captionsAvailable(encrypted)).toBe(false);
  });
});
