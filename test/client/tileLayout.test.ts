import { describe, expect, it } from 'vitest';
import { MAX_PER_PAGE, MIN_TILE, gridCapacity, stageLayout, type Size } from '@/participants/tileLayout';
import { orderTiles, pageOf } from '@/participants/tileOrder';
import { participant } from './support/classroomPage';

// Stage sizes of the viewports the product is checked at (window minus top bar and control bar).
const STAGES: Record<string, Size> = {
  '1280x800': { width: 1264, height: 680 },
  '1366x768': { width: 1350, height: 648 },
  '1920x1080': { width: 1904, height: 960 },
  '768x1024': { width: 752, height: 900 },
  '1024x768': { width: 1008, height: 650 },
  '390x844': { width: 374, height: 730 },
  '844x390': { width: 828, height: 270 },
};

const atLeastMin = (tile: Size) => tile.width >= MIN_TILE.width && tile.height >= MIN_TILE.height;

describe('stage layout', () => {
  it('never makes a tile smaller than 160x90, with or without a focus, for 1 to 50 people', () => {
    for (const [name, stage] of Object.entries(STAGES)) {
      for (let tiles = 1; tiles <= 50; tiles++) {
        for (const focus of [false, true]) {
          const layout = stageLayout(stage, { focus, tiles });
          expect(atLeastMin(layout.grid.tile), `${name}, ${tiles} tiles, focus ${focus}`).toBe(true);
          if (layout.mode === 'focus') expect(atLeastMin(layout.focus), `${name} focus`).toBe(true);
          expect(layout.perPage).toBeGreaterThanOrEqual(1);
          expect(layout.perPage).toBeLessThanOrEqual(MAX_PER_PAGE);
        }
      }
    }
  });

  it('gives a spotlighted person without camera most of the stage, not a small tile', () => {
    // A student alone with the teacher at 1280x800: the teacher large, the student's own tile beside.
    const layout = stageLayout(STAGES['1280x800']!, { focus: true, tiles: 1 });
    expect(layout.mode).toBe('focus');
    if (layout.mode !== 'focus') return;
    expect(layout.focus.width).toBeGreaterThan(900);
    expect(layout.focus.height).toBeGreaterThan(500);
  });

  it('pages the grid by viewport: more tiles on a large screen than on a phone', () => {
    const phone = gridCapacity(STAGES['390x844']!);
    const laptop = gridCapacity(STAGES['1280x800']!);
    expect(phone).toBeGreaterThanOrEqual(4);
    expect(phone).toBeLessThan(laptop);
    expect(gridCapacity(STAGES['1920x1080']!)).toBe(MAX_PER_PAGE);
    const fifty = stageLayout(STAGES['390x844']!, { focus: false, tiles: 50 });
    expect(fifty.pager).toBe(true);
  });

  it('keeps a shared screen on the stage even where no strip fits beside it', () => {
    const layout = stageLayout({ width: 300, height: 200 }, { focus: true, tiles: 12, keepFocus: true });
    expect(layout.mode).toBe('focus');
    expect(layout.perPage).toBe(0);
  });
});

describe('tile order and pages', () => {
  const people = Array.from({ length: 30 }, (_, i) => participant(`p${i}`, `Student ${i}`));

  it('puts yourself first, then raised hands in their order, then teachers', () => {
    const list = [
      ...people.slice(0, 5),
      participant('late-hand', 'Late', { handRaisedAt: 200 }),
      participant('teacher', 'Teacher', { role: 'teacher' }),
      participant('early-hand', 'Early', { handRaisedAt: 100 }),
      participant('me', 'Me'),
    ];
    const ordered = orderTiles(list, { selfId: 'me', activeSpeakerId: null, perPage: 4 });
    expect(ordered.slice(0, 4).map((p) => p.id)).toEqual(['me', 'early-hand', 'late-hand', 'teacher']);
  });

  it('brings the active speaker from a later page onto the first one', () => {
    const ordered = orderTiles(people, { selfId: 'p0', activeSpeakerId: 'p27', perPage: 6 });
    const first = pageOf(ordered, 6, 0);
    expect(first.shown.map((p) => p.id)).toContain('p27');
    expect(first.shown).toHaveLength(6);
    expect(first.pages).toBe(5);
    // Already on the first page: nothing moves.
    expect(orderTiles(people, { selfId: 'p0', activeSpeakerId: 'p2', perPage: 6 }).map((p) => p.id)).toEqual(
      people.map((p) => p.id),
    );
  });
});
