import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

const here = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

/**
 * `npm test` runs three lanes side by side, each one file after another
 * (scripts/aula.mjs): the browser lane (several pages with video keep both
 * cores busy, so two of these never share the machine), the resilience lane
 * (whole Aula processes, networks cut, the database stopped: mostly
 * waiting, so the browser pages without remote video run there too), and the
 * server and client tests, which are many and short.
 */
/**
 * Tests that assert a time the product promises (the layer drop on a limited
 * line; a lesson back on the other node within 15 s of a kill -9) run alone
 * after the lanes: beside CPU-bound lanes they measured the machine instead.
 */
const ALONE = [
  'test/slowLine/**/*.test.ts',
  'test/resilience/cluster.test.ts',
  // Two nodes behind HAProxy with a recording moving between them, like the cluster test.
  'test/resilience/recordingFailover.test.ts',
  // Speech played in real time to a recogniser: beside the lanes it once fell behind by minutes.
  'test/captions/voskModel.test.ts',
];
// Browser pages with no remote video, in the resilience lane to even out the lanes' lengths (the
// admin, entry and shared-notes pages stay in the browser lane: about 500 s each in CI).
const PAGES_WITHOUT_VIDEO = [
  'test/browser/keyboardAndAnnouncer.test.ts',
  'test/browser/panelsAndReflow.test.ts',
  'test/browser/panelOverlaps.test.ts',
  'test/browser/recordingNotesEncryptionReflow.test.ts',
  'test/browser/boardReflow.test.ts',
  'test/browsers/moodleFrameChromium.test.ts',
  'test/browsers/moodleFrameFirefox.test.ts',
];
const BROWSER_LANE = [
  'test/browser/**/*.test.ts',
  'test/browsers/**/*.test.ts',
  'test/media/browserMedia.test.ts',
  'test/media/dynacast.test.ts',
];
const RESILIENCE_LANE = [
  'test/resilience/**/*.test.ts',
  'test/classroom/turnCredentials.test.ts',
  'test/signaling/protocol.test.ts',
  ...PAGES_WITHOUT_VIDEO,
];

/** What every project running Aula in-process needs. */
const serverTest: TestProjectInlineConfiguration['test'] = {
  environment: 'node',
  globalSetup: ['test/support/globalSetup.ts'],
  // Files run in a child process (mediasoup's worker and ltijs want a process of their own, not a
  // thread), one after another.
  pool: 'forks',
  testTimeout: 60_000,
  hookTimeout: 120_000,
  // Browser pages on two shared cores: a click can take seconds to show, not vitest's default 1 s.
  expect: { poll: { timeout: 15_000, interval: 100 } },
};

export default defineConfig({
  test: {
    // One file at a time in each run, on any machine: the lanes are what runs side by side.
    maxWorkers: 1,
    projects: [
      {
        test: {
          ...serverTest,
          name: 'server',
          // One process for the whole lane: each file used to load express, ltijs, mongoose and
          // mediasoup again (196 s of a 560 s lane). Every file starts and stops its own Aula, so
          // nothing of one file outlives it.
          isolate: false,
          include: ['test/**/*.test.ts'],
          exclude: ['test/client/**', ...BROWSER_LANE, ...RESILIENCE_LANE, ...ALONE],
        },
      },
      { test: { ...serverTest, name: 'browser', include: BROWSER_LANE, exclude: PAGES_WITHOUT_VIDEO } },
      { test: { ...serverTest, name: 'resilience', include: RESILIENCE_LANE, exclude: ALONE } },
      { test: { ...serverTest, name: 'alone', include: ALONE } },
      {
        plugins: [vue()],
        resolve: {
          alias: { '@': here('client/src'), '@protocol': here('src/protocol/index.ts') },
        },
        test: {
          name: 'client',
          include: ['test/client/**/*.test.ts'],
          environment: 'happy-dom',
          // Mounting a class of 32 tiles in happy-dom beside the other lanes can take seconds.
          testTimeout: 30_000,
        },
      },
    ],
  },
});
