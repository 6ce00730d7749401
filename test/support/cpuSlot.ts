import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';

// npm test runs two test files at a time. Files whose browsers encode and
// decode video on both cores take this slot, so that two of them never
// share the machine: the other file beside one of them is a test that
// mostly waits (a network cut, a restart, the database away) or a short one.

/** One slot per test run: vitest's workers are children of the run's main process. */
const SLOT = path.join(os.tmpdir(), `aula-cpu-slot-${process.ppid}`);

async function take(): Promise<void> {
  for (;;) {
    try {
      fs.mkdirSync(SLOT);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** Holds the run's one slot for video-heavy browser tests from this file's first hook to its last. */
export function useCpuSlot(): void {
  beforeAll(take, 600_000);
  afterAll(() => fs.rmSync(SLOT, { recursive: true, force: true }));
}
