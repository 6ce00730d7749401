import { describe, expect, it } from 'vitest';
import { focusOf, spotlightOf, visibleTo } from '../../../src/classroom/live/media/viewPolicy.js';
import { spatialLayersOf } from '../../../src/media/layerPolicy.js';

const teacher = { id: 't', isTeacher: true };
const anna = { id: 'a', isTeacher: false };
const ben = { id: 'b', isTeacher: false };
const joined = [anna, teacher, ben];

describe('view policy', () => {
  it('puts the pinned participant in the spotlight, else the speaker, else the teacher', () => {
    expect(spotlightOf({ pinnedId: 'b', activeSpeakerId: 'a', joined })).toBe('b');
    expect(spotlightOf({ pinnedId: null, activeSpeakerId: 'a', joined })).toBe('a');
    expect(spotlightOf({ pinnedId: null, activeSpeakerId: null, joined })).toBe('t');
    // Someone who left is in nobody's spotlight.
    expect(spotlightOf({ pinnedId: 'gone', activeSpeakerId: 'gone', joined })).toBe('t');
    expect(spotlightOf({ pinnedId: null, activeSpeakerId: null, joined: [anna] })).toBeNull();
  });

  it('shows a speaker the teacher instead of themselves, and respects a page’s own choice', () => {
    expect(focusOf({ id: 'a', focus: null }, 'a', joined)).toBe('t');
    expect(focusOf({ id: 'b', focus: null }, 'a', joined)).toBe('a');
    expect(focusOf({ id: 'b', focus: 'a' }, 't', joined)).toBe('a');
  });

  it('sends video of the reported tiles plus the focus, or of the first few before any report', () => {
    expect([...visibleTo({ id: 'a', visible: new Set(['b']) }, 't', joined)].sort()).toEqual(['b', 't']);
    const many = Array.from({ length: 20 }, (_, i) => ({ id: `p${i}`, isTeacher: false }));
    expect(visibleTo({ id: 'p0', visible: undefined }, null, many).size).toBe(8);
    expect(visibleTo({ id: 'p0', visible: undefined }, null, many).has('p0')).toBe(false);
  });

  it('reads a consumer’s spatial layers from its own RTP parameters, without looking up producers', () => {
    expect(spatialLayersOf({ encodings: [{ scalabilityMode: 'L3T3' }] })).toBe(3);
    expect(spatialLayersOf({ encodings: [{ scalabilityMode: 'L1T3' }] })).toBe(1);
    expect(spatialLayersOf({ encodings: [{}] })).toBe(1);
    expect(spatialLayersOf({})).toBe(1);
  });
});
