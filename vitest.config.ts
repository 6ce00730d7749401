import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';
import { TwoLaneSequencer } from './test/support/sequencer.js';

const here = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

export default defineConfig({
  test: {
    // Two files at a time on two cores; video-heavy browser files never together (test/support/cpuSlot.ts),
    // each followed by files that mostly wait or are short (TwoLaneSequencer).
    maxWorkers: 2,
    sequence: { sequencer: TwoLaneSequencer },
    projects: [
      {
        test: {
          name: 'server',
          include: ['test/**/*.test.ts'],
          exclude: ['test/client/**'],
          environment: 'node',
          globalSetup: ['test/support/globalSetup.ts'],
          // Each file gets its own process: ltijs and mediasoup keep module-level state.
          pool: 'forks',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Browser pages on two shared cores: a click can take seconds to show, not vitest's default 1 s.
          expect: { poll: { timeout: 15_000, interval: 100 } },
        },
      },
      {
        plugins: [vue()],
        resolve: {
          alias: { '@': here('client/src'), '@protocol': here('src/protocol/index.ts') },
        },
        test: {
          name: 'client',
          include: ['test/client/**/*.test.ts'],
          environment: 'happy-dom',
        },
      },
    ],
  },
});
