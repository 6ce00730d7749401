import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { launchUsers } from '../../test/support/browser.js';
import { createClassroom } from '../../test/support/classroomFixtures.js';
import { openClassroomAs } from '../../test/support/classroomPage.js';
import { SPOKEN_SENTENCE, speakToWav } from '../../test/support/speech.js';
import { startTestAula, waitFor } from '../../test/support/testAula.js';
import { benchDatabase, parentsOfAll, percentile, processCpuMs, round } from '../environment.js';
import type { Benchmark } from '../run.js';

/** Utterances measured (the fake microphone repeats the sentence every few seconds). */
const UTTERANCES = 12;
/** How often the listening page reads the received audio level. */
const LEVEL_POLL_MS = 20;
/** Received audio level (0..1) above which the speaker is speaking. */
const SPEAKING_LEVEL = 0.02;

/**
 * In the listening page: the received audio level from its peer connections' statistics every
 * LEVEL_POLL_MS, and when each caption line appeared in the captions overlay (Date.now()).
 */
const RECORD = `(() => {
  const record = { levels: [], captions: [] };
  window.__captionsBench = record;
  setInterval(async () => {
    let level = 0;
    for (const connection of window.__peerConnections ?? []) {
      if (connection.connectionState === 'closed') continue;
      const report = await connection.getStats();
      report.forEach((stat) => {
        if (stat.type === 'inbound-rtp' && stat.kind === 'audio') level = Math.max(level, stat.audioLevel ?? 0);
      });
    }
    record.levels.push([Date.now(), level]);
  }, ${LEVEL_POLL_MS});
  const seen = new Set();
  new MutationObserver(() => {
    for (const line of document.querySelectorAll('[data-testid=caption-line]:not(.partial)')) {
      if (seen.has(line)) continue;
      seen.add(line);
      record.captions.push([Date.now(), line.textContent]);
    }
  }).observe(document.body, { subtree: true, childList: true, characterData: true });
})()`;

interface Recorded {
  levels: Array<[number, number]>;
  captions: Array<[number, string]>;
}

/** Where speech starts and ends in the received audio: [start, end] per utterance. */
function utterances(levels: Recorded['levels']): Array<[number, number]> {
  const found: Array<[number, number]> = [];
  let start: number | undefined;
  let lastLoud = 0;
  for (const [at, level] of levels) {
    if (level >= SPEAKING_LEVEL) {
      start ??= at;
      lastLoud = at;
    } else if (start !== undefined && at - lastLoud > 400) {
      found.push([start, lastLoud]);
      start = undefined;
    }
  }
  return found;
}

/** CPU of every process below this one (ffmpeg, the recogniser and its pipe): by pid. */
function descendantsCpu(root = process.pid): Map<number, number> {
  const parents = parentsOfAll();
  const below = (pid: number): boolean => {
    for (let parent = parents.get(pid); parent; parent = parents.get(parent))
      if (parent === root) return true;
    return false;
  };
  const cpu = new Map<number, number>();
  for (const pid of parents.keys()) {
    if (!below(pid)) continue;
    const command = fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    // The browsers are the load, not the server.
    if (/chrom|headless/i.test(command)) continue;
    cpu.set(pid, processCpuMs(pid) ?? 0);
  }
  return cpu;
}

/**
 * Automatic captions end to end: a teacher page speaks a known sentence
 * (espeak-ng, Chromium's fake microphone, repeated), Aula takes the active
 * speaker's audio out of the SFU into ffmpeg and PocketSphinx, and a student
 * page with captions on shows the line. Latency is measured in the student's
 * page from the moment it hears the utterance start (received audio level)
 * and end, to the caption line appearing; CPU is the captioning processes'
 * (ffmpeg, the recogniser) and Aula's own process over the same time.
 */
export const captions: Benchmark = {
  name: 'captions',
  description:
    'spoken word to caption on another page (automatic, PocketSphinx); server CPU per captioned speaker',
  async run() {
    const db = await benchDatabase();
    const aula = await startTestAula({
      MONGODB_URI: db.uri(`aula_bench_captions_${Date.now()}`),
      AULA_CAPTIONS_ENGINE: 'pocketsphinx',
    });
    const wav = await speakToWav(SPOKEN_SENTENCE);
    const users = await launchUsers({ args: [`--use-file-for-fake-audio-capture=${wav}`] });
    try {
      const classroomId = (await createClassroom(aula, { lobbyEnabled: false }))._id;
      const open = (id: string, role: 'teacher' | 'student') =>
        openClassroomAs(users, aula, classroomId, { id, name: id, role });
      const teacher = await open('speaker', 'teacher');
      await teacher.join({ mic: true });
      await teacher.page.getByTestId('start-lesson').click();
      await teacher.page.getByTestId('control-bar').waitFor();
      const student = await open('listener', 'student');
      await student.join();
      const page: Page = student.page;
      await page.getByTestId('control-bar').waitFor();
      await page.evaluate(RECORD);
      await page.getByTestId('toggle-captions').click();
      // The first caption: the speech pipeline is running; measure from here on.
      await waitFor(() => page.evaluate('window.__captionsBench.captions.length > 0'), {
        timeoutMs: 60_000,
        what: 'a first caption',
      });
      const cpuBefore = descendantsCpu();
      const aulaBefore = process.cpuUsage();
      const startedAt = Date.now();
      await waitFor(
        async () => ((await page.evaluate('window.__captionsBench.captions.length')) as number) > UTTERANCES,
        { timeoutMs: UTTERANCES * 15_000, intervalMs: 500, what: `${UTTERANCES} captions` },
      );
      const seconds = (Date.now() - startedAt) / 1000;
      const cpuAfter = descendantsCpu();
      const aulaUsage = process.cpuUsage(aulaBefore);
      const recorded = (await page.evaluate('window.__captionsBench')) as Recorded;

      const spoken = utterances(recorded.levels);
      const fromStart: number[] = [];
      const fromEnd: number[] = [];
      const texts: string[] = [];
      for (const [at, text] of recorded.captions.slice(1)) {
        // The utterance this line is about: the last one that ended before it appeared.
        const heard = spoken.filter(([, end]) => end <= at).at(-1);
        if (!heard) continue;
        fromStart.push(at - heard[0]);
        fromEnd.push(at - heard[1]);
        texts.push(text);
      }
      let engineCpuMs = 0;
      for (const [pid, after] of cpuAfter) engineCpuMs += after - (cpuBefore.get(pid) ?? 0);
      const words = SPOKEN_SENTENCE.split(' ');
      const recognised = texts.filter((text) => words.every((word) => text.toLowerCase().includes(word)));
      const results = {
        samples: fromStart.length,
        firstWordToCaptionP50Ms: percentile(fromStart, 50),
        firstWordToCaptionP95Ms: percentile(fromStart, 95),
        utteranceEndToCaptionP50Ms: percentile(fromEnd, 50),
        utteranceEndToCaptionP95Ms: percentile(fromEnd, 95),
        sentenceRecognisedShare: round(recognised.length / Math.max(1, texts.length), 2),
        captioningProcessesCpuPercent: round((engineCpuMs / (seconds * 1000)) * 100),
        aulaProcessCpuPercent: round(((aulaUsage.user + aulaUsage.system) / 1000 / (seconds * 1000)) * 100),
        measuredSeconds: round(seconds),
        captions: texts,
      };
      return {
        settings: { engine: 'pocketsphinx', sentence: SPOKEN_SENTENCE, utterances: UTTERANCES, speakers: 1 },
        results,
        summary:
          `first word → caption p50 ${results.firstWordToCaptionP50Ms} ms, end of utterance → caption p50 ` +
          `${results.utteranceEndToCaptionP50Ms} ms, ${results.captioningProcessesCpuPercent} % of a core for ` +
          `ffmpeg and PocketSphinx per captioned speaker (+ Aula ${results.aulaProcessCpuPercent} %)`,
      };
    } finally {
      await users.close();
      await aula.stop();
      await db.stop();
    }
  },
};
