import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import ControlBar from '@/components/ControlBar.vue';
import { inLesson, mountIn, participant, roomWith } from './support/classroomPage';

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return files(full);
    return /\.(vue|ts|json|css)$/.test(entry.name) ? [full] : [];
  });
}

// Pictographs that depend on an emoji font: without one they are empty boxes.
const PICTOGRAPH =
  /[\u{1F000}-\u{1FAFF}\u{2300}-\u{23FF}\u{2600}-\u{27BF}\u{2B00}-\u{2BFF}\u{25CF}]|\u{FE0F}/u;

describe('icons', () => {
  it('no emoji or symbol-font glyph is used anywhere in the client', () => {
    const found = files(path.resolve('client/src')).flatMap((file) =>
      fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, index) =>
          PICTOGRAPH.test(line) ? [`${path.relative('client/src', file)}:${index + 1}: ${line.trim()}`] : [],
        ),
    );
    expect(found).toEqual([]);
  });

  it('every control of the lesson bar shows an SVG icon and keeps a text label', () => {
    const teacher = participant('p-t', 'Frau Berg', { role: 'teacher' });
    const pinia = inLesson({ self: teacher, room: roomWith([teacher]) });
    const bar = mountIn(pinia, ControlBar, {
      props: { screenSupported: true, chatOpen: false, participantsOpen: false, teacherOpen: false },
    });
    const buttons = bar.findAll('button.control');
    expect(buttons.length).toBeGreaterThanOrEqual(8);
    for (const button of buttons) {
      expect(button.find('svg').exists()).toBe(true);
      expect(button.text().trim()).not.toBe('');
    }
    bar.unmount();
  });
});
