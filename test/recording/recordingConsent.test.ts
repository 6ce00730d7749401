import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JoinResult, RecordingView } from '../../src/protocol/index.js';
import { CONSENT_TEXT_VERSION } from '../../src/protocol/index.js';
import { execFileSync } from 'node:child_process';
import { eventually, launchBrowser, type TestBrowser } from '../support/browser.js';
import { launchFirefox } from '../support/firefox.js';
import { createClassroom, tokenFor } from '../support/classroomFixtures.js';
import { ffprobe } from '../support/ffprobe.js';
import { MediaParticipant } from '../support/mediaHarness.js';
import { startTestAula, type TestAula } from '../support/testAula.js';

// A teacher records a lesson with two students in real Chromium: only what
// each person agreed to reaches ffmpeg's files, and only until they withdraw.

let aula: TestAula;
let browser: TestBrowser;
const recordingDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aula-recordings-'));

beforeAll(async () => {
  aula = await startTestAula({ AULA_RECORDING: 'on', AULA_RECORDING_DIR: recordingDir });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await aula?.stop();
  fs.rmSync(recordingDir, { recursive: true, force: true });
});

type Who = { id: string; role: 'teacher' | 'student'; name: string };

async function enter(classroomId: string, who: Who) {
  const page = await MediaParticipant.open(browser, aula.url);
  const token = await tokenFor(aula, classroomId, who);
  const result: JoinResult = await page.join(aula.url, token);
  if (result.status === 'lobby') {
    expect((await page.request('lesson:start')).ok).toBe(true);
    await eventually(
      async () => ((await page.events()).some((e) => e.name === 'lesson:started') ? true : undefined),
      'the lesson to start',
    );
  }
  await page.camera();
  await page.mic();
  return { page, self: result.self.id, token };
}

const consent = (choice: string, extra: object = {}) => ({
  choice,
  textVersion: CONSENT_TEXT_VERSION,
  ...extra,
});

async function segmentsOf(recordingId: string) {
  return aula.services.recordings.segments(recordingId);
}

/** In the page: a recorded picture and voice play (time advances; the picture has a size). */
async function playsBoth([videoUrl, audioUrl]: string[]): Promise<{ video: boolean; audio: boolean }> {
  const plays = (element: HTMLMediaElement) =>
    new Promise<boolean>((resolve) => {
      element.muted = true;
      element.src = element instanceof HTMLVideoElement ? videoUrl! : audioUrl!;
      const timer = setTimeout(() => resolve(false), 15_000);
      element.addEventListener('timeupdate', () => {
        const sized = !(element instanceof HTMLVideoElement) || element.videoWidth > 0;
        if (element.currentTime > 0.5 && sized) {
          clearTimeout(timer);
          resolve(true);
        }
      });
      element.addEventListener('error', () => resolve(false));
      void element.play().catch(() => resolve(false));
    });
  const [video, audio] = await Promise.all([
    plays(document.createElement('video')),
    plays(document.createElement('audio')),
  ]);
  return { video, audio };
}

describe('recording with consent', { timeout: 180_000 }, () => {
  it('records the teacher and the consenting student, nothing of the one who declined, and stops at a withdrawal', async () => {
    const classroom = await createClassroom(aula, { lobbyEnabled: false, recordingAllowed: true });
    const teacher = await enter(classroom._id, { id: 'rt', role: 'teacher', name: 'Teacher' });
    const anna = await enter(classroom._id, { id: 'ra', role: 'student', name: 'Anna' });
    const ben = await enter(classroom._id, { id: 'rb', role: 'student', name: 'Ben' });

    expect(await ben.page.request('recording:start')).toMatchObject({ ok: false, code: 'PERMISSION_DENIED' });
    const started = await teacher.page.request('recording:start');
    expect(started.ok).toBe(true);
    const recordingId = (await aula.services.recordings.listForClassroom(classroom._id, false))[0]!._id;

    expect(
      await ben.page.request('recording:consent', consent('cameraAndMic', { participantId: anna.self })),
    ).toMatchObject({ ok: false, code: 'CONSENT_FOR_OTHERS' });
    expect((await anna.page.request('recording:consent', consent('cameraAndMic'))).ok).toBe(true);
    expect((await ben.page.request('recording:consent', consent('none'))).ok).toBe(true);

    // Both of the teacher's tracks and both of Anna's record, each with media on disk.
    const recordedOwners = () =>
      segmentsOf(recordingId).then((segments) =>
        segments.map((segment) => `${segment.participantId}:${segment.kind}`).sort(),
      );
    await eventually(
      async () => ((await recordedOwners()).length === 4 ? true : undefined),
      'four recorded tracks',
    );
    const sizes = async () =>
      Promise.all(
        (await segmentsOf(recordingId)).map((segment) =>
          fs.promises.stat(aula.services.recordings.files.pathFor(recordingId, segment.file)).then(
            (stat) => stat.size,
            () => 0,
          ),
        ),
      );
    await eventually(
      async () => ((await sizes()).every((size) => size > 2_000) ? true : undefined),
      'media on disk',
      60_000,
    );

    // ffmpeg of the teacher's microphone crashes: it is restarted, and the manifest notes the gap.
    const teacherMic = (await segmentsOf(recordingId)).find(
      (s) => s.participantId === teacher.self && s.kind === 'audio',
    )!;
    const micFile = aula.services.recordings.files.pathFor(recordingId, teacherMic.file);
    const pid = Number(execFileSync('pgrep', ['-f', micFile]).toString().trim().split('\n')[0]);
    process.kill(pid, 'SIGKILL');
    await eventually(
      async () =>
        (await segmentsOf(recordingId)).filter((s) => s.participantId === teacher.self && s.kind === 'audio')
          .length === 2
          ? true
          : undefined,
      'a new segment for the restarted recorder',
    );
    const gaps = (await aula.services.recordings.events(recordingId)).filter((event) => event.type === 'gap');
    expect(gaps).toHaveLength(1);
    expect(gaps[0]!.data).toMatchObject({ participantId: teacher.self, source: 'mic' });

    // Anna withdraws: her tracks stop from that moment; the teacher's go on.
    const withdrawnAt = Date.now();
    const withdrawn = await anna.page.request('recording:consent', consent('none'));
    expect((withdrawn.data as RecordingView).mine).toBe('none');
    const annaSegments = (await segmentsOf(recordingId)).filter((s) => s.participantId === anna.self);
    expect(annaSegments.every((segment) => segment.endedAt && segment.endedAt.getTime() >= withdrawnAt)).toBe(
      true,
    );
    await new Promise((resolve) => setTimeout(resolve, 2_000));

    expect(await ben.page.request('recording:stop')).toMatchObject({ ok: false, code: 'PERMISSION_DENIED' });
    expect((await teacher.page.request('recording:stop')).ok).toBe(true);

    const segments = await segmentsOf(recordingId);
    expect(segments.some((segment) => segment.participantId === ben.self)).toBe(false);
    const probed = new Map<string, string[]>();
    for (const segment of segments) {
      const file = aula.services.recordings.files.pathFor(recordingId, segment.file);
      const codecs = (await ffprobe(file)).codecs;
      probed.set(segment.participantId, [...(probed.get(segment.participantId) ?? []), ...codecs].sort());
    }
    expect(probed.get(teacher.self)).toEqual(['opus', 'opus', 'vp8']);
    expect(probed.get(anna.self)).toEqual(['opus', 'vp8']);
    expect(probed.has(ben.self)).toBe(false);
    // Anna's segments ended when she withdrew, well before the teacher's.
    const annaEnd = Math.max(
      ...segments.filter((s) => s.participantId === anna.self).map((s) => s.endedAt!.getTime()),
    );
    const teacherEnd = Math.max(
      ...segments.filter((s) => s.participantId === teacher.self).map((s) => s.endedAt!.getTime()),
    );
    expect(teacherEnd - annaEnd).toBeGreaterThan(1_500);

    // Each answer is kept with the version of the text shown.
    const answers = await aula.services.recordings.consents(recordingId);
    expect(answers.filter((a) => a.displayName === 'Anna').map((a) => [a.choice, a.textVersion])).toEqual([
      ['cameraAndMic', CONSENT_TEXT_VERSION],
      ['none', CONSENT_TEXT_VERSION],
    ]);

    // A student neither lists it (unpublished), nor reads its manifest, nor downloads it.
    const asStudent = { authorization: `Bearer ${ben.token}` };
    const list = await fetch(`${aula.url}/api/classrooms/${classroom._id}/recordings`, {
      headers: asStudent,
    });
    expect(await list.json()).toEqual({ recordings: [] });
    const manifest = await fetch(`${aula.url}/api/classrooms/${classroom._id}/recordings/${recordingId}`, {
      headers: asStudent,
    });
    expect(manifest.status).toBe(404);
    expect(((await manifest.json()) as { error: { code: string } }).error.code).toBe('UNKNOWN_RECORDING');

    // The teacher's manifest links play; the same link under another classroom is refused.
    const asTeacher = { authorization: `Bearer ${teacher.token}` };
    const teacherManifest = (await (
      await fetch(`${aula.url}/api/classrooms/${classroom._id}/recordings/${recordingId}`, {
        headers: asTeacher,
      })
    ).json()) as { segments: Array<{ url: string }> };
    expect(teacherManifest.segments.length).toBe(5);
    const played = await fetch(`${aula.url}${teacherManifest.segments[0]!.url}`);
    expect(played.status).toBe(200);
    expect(played.headers.get('content-type')).toBe('video/webm');
    const other = await createClassroom(aula, {});
    const forged = await fetch(
      `${aula.url}${teacherManifest.segments[0]!.url.replace(classroom._id, other._id)}`,
    );
    expect(forged.status).toBe(403);

    // The teacher's camera and microphone play in Chromium and in Firefox.
    const cameraUrl = (await segmentsOf(recordingId)).find(
      (s) => s.participantId === teacher.self && s.kind === 'video',
    )!;
    const urls = (teacherManifest as unknown as { segments: Array<{ id: string; url: string }> }).segments;
    const videoUrl = `${aula.url}${urls.find((segment) => segment.id === cameraUrl._id)!.url}`;
    const audioUrl = `${aula.url}${urls.find((segment) => segment.id === teacherMic._id)!.url}`;
    const chromiumPage = await browser.newPage();
    await chromiumPage.goto(`${aula.url}/`);
    expect(await chromiumPage.evaluate(playsBoth, [videoUrl, audioUrl])).toMatchObject({
      video: true,
      audio: true,
    });
    await chromiumPage.close();
    const firefox = await launchFirefox({ preferences: { 'media.autoplay.default': 0 } });
    try {
      const firefoxPage = await (await firefox.browser.createBrowserContext()).newPage();
      await firefoxPage.goto(`${aula.url}/`);
      expect(await firefoxPage.evaluate(playsBoth, [videoUrl, audioUrl])).toMatchObject({
        video: true,
        audio: true,
      });
    } finally {
      await firefox.close();
    }

    for (const who of [teacher, anna, ben]) await who.page.close();
  });
});
