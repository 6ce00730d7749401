import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../support/browser.js';
import { expectFailure } from '../support/classroomClient.js';
import { createClassroom, recordableLesson, tokenFor } from '../support/classroomFixtures.js';
import { ffprobe, mediaSeconds } from '../support/ffprobe.js';
import { MediaParticipant } from '../support/mediaHarness.js';
import { startTestAula, waitFor, type TestAula } from '../support/testAula.js';

// The operator's faults under a recording: no ffmpeg on the server, a storage
// directory that fills up. The teacher is told, the lesson goes on, what was
// recorded stays playable, and nothing reaches the error log.

const dirs: string[] = [];
const mounted: string[] = [];
let aula: TestAula | undefined;
let browser: TestBrowser | undefined;
const logs: string[] = [];
const isRoot = process.getuid?.() === 0;

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aula-recorder-'));
  dirs.push(dir);
  return dir;
}

/** Log lines at error level or above (pino: 50 error, 60 fatal). */
const errorLines = () => logs.filter((line) => (JSON.parse(line) as { level: number }).level >= 50);

afterEach(async () => {
  await browser?.close();
  browser = undefined;
  await aula?.stop();
  aula = undefined;
  logs.length = 0;
});

afterAll(() => {
  for (const dir of mounted) execFileSync('umount', [dir]);
  for (const dir of dirs) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe('recorder faults', { timeout: 120_000 }, () => {
  it('refuses to start a recording with RECORDER_UNAVAILABLE when the server has no ffmpeg, and the lesson goes on', async () => {
    aula = await startTestAula(
      { AULA_RECORDING: 'on', AULA_RECORDING_DIR: tempDir(), AULA_FFMPEG_PATH: '/nonexistent/bin/ffmpeg' },
      { logs },
    );
    const { classroom, teacher } = await recordableLesson(aula, 'ft');
    const refusal = await expectFailure(teacher.request('recording:start'));
    expect(refusal).toMatchObject({ status: 503, code: 'RECORDER_UNAVAILABLE' });
    // Nothing half-started: no recording kept, none running, and the lesson answers as before.
    expect(await aula.services.recordings.listForClassroom(classroom._id, false)).toEqual([]);
    await expectFailure(teacher.request('recording:stop')).then((error) =>
      expect(error.code).toBe('RECORDING_NOT_RUNNING'),
    );
    expect((await teacher.request('hand:raise')).queue).toHaveLength(1);
    expect(errorLines()).toEqual([]);
    expect(logs.some((line) => line.includes('checkRecorder() | ffmpeg cannot run'))).toBe(true);
    teacher.close();
  });

  it.runIf(isRoot)(
    'stops the recording on a full disk with a notice to the teacher; what was written plays and the lesson goes on',
    async () => {
      // A storage directory of its own (1 MiB), nearly filled once the recording wrote a little.
      const storage = tempDir();
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', storage]);
      mounted.push(storage);
      aula = await startTestAula({ AULA_RECORDING: 'on', AULA_RECORDING_DIR: storage }, { logs });
      browser = await launchBrowser();
      const classroom = await createClassroom(aula, { lobbyEnabled: false, recordingAllowed: true });
      const teacher = await MediaParticipant.open(browser, aula.url);
      expect(
        (await teacher.join(aula.url, await tokenFor(aula, classroom._id, { id: 'dt', role: 'teacher' })))
          .status,
      ).toBe('lobby');
      expect((await teacher.request('lesson:start')).ok).toBe(true);
      await waitFor(async () => (await teacher.events()).some((e) => e.name === 'lesson:started'), {
        what: 'the lesson to start',
      });
      await teacher.camera();
      await teacher.mic();
      expect((await teacher.request('recording:start')).ok).toBe(true);
      const recordingId = (await aula.services.recordings.listForClassroom(classroom._id, false))[0]!._id;
      const written = async () => {
        const segments = await aula!.services.recordings.segments(recordingId);
        const sizes = segments.map(
          (segment) =>
            fs.statSync(aula!.services.recordings.files.pathFor(recordingId, segment.file), {
              throwIfNoEntry: false,
            })?.size ?? 0,
        );
        return sizes.length === 2 && sizes.every((size) => size > 8_000);
      };
      await waitFor(written, { what: 'both tracks on disk', timeoutMs: 60_000 });
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const free = fs.statfsSync(storage);
      fs.writeFileSync(path.join(storage, 'filler'), Buffer.alloc(free.bavail * free.bsize - 24_000));

      const failed = await waitFor(
        async () => (await teacher.events()).find((e) => e.name === 'recording:failed'),
        { what: 'the teacher told the recording stopped', timeoutMs: 90_000 },
      );
      expect(failed.payload).toEqual({ reason: 'diskFull' });
      const recording = await aula.services.recordings.get(recordingId);
      expect(recording).toMatchObject({ endReason: 'diskFull' });
      expect(recording?.endedAt).toBeInstanceOf(Date);

      // Every segment is closed, and what reached the disk plays: ffprobe finds its codec and time.
      const segments = await aula.services.recordings.segments(recordingId);
      expect(segments.map((segment) => segment.kind).sort()).toEqual(['audio', 'video']);
      expect(segments.map((segment) => segment.outcome)).not.toContain(null);
      for (const segment of segments) {
        const file = aula.services.recordings.files.pathFor(recordingId, segment.file);
        const probed = await ffprobe(file);
        expect(probed.codecs).toEqual([segment.kind === 'video' ? 'vp8' : 'opus']);
        expect(await mediaSeconds(file)).toBeGreaterThan(1);
      }

      // The lesson goes on: still live, the teacher's camera still sent.
      expect(await aula.services.lessons.live(classroom._id)).toBeTruthy();
      const sent = async () =>
        (await teacher.outbound()).flatMap((s) => s.layers).reduce((sum, layer) => sum + layer.bytesSent, 0);
      const before = await sent();
      await waitFor(async () => (await sent()) > before + 10_000, { what: 'the camera still sending' });
      expect(errorLines()).toEqual([]);
      await teacher.close();
    },
  );
});
