import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSENT_TEXT_VERSION, type JoinResult, type ParticipantInfo } from '../../src/protocol/index.js';
import { launchUsers, type ContextBrowser } from '../support/browser.js';
import { recordableLesson, tokenFor } from '../support/classroomFixtures.js';
import { ClassroomPage } from '../support/classroomPage.js';
import { MediaParticipant } from '../support/mediaHarness.js';
import { startTestAula, waitFor, type TestAula } from '../support/testAula.js';

// Someone who joins while a recording runs is asked first: until they answer,
// nothing of theirs is sent (the server refuses it) and nothing is recorded.

let aula: TestAula;
let users: ContextBrowser;
const recordingDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aula-recordings-'));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  aula = await startTestAula({ AULA_RECORDING: 'on', AULA_RECORDING_DIR: recordingDir });
  users = await launchUsers();
});

afterAll(async () => {
  await users?.close();
  await aula?.stop();
  fs.rmSync(recordingDir, { recursive: true, force: true });
});

describe('joining a recorded lesson', { timeout: 150_000 }, () => {
  it('asks before the joiner sends anything, records nothing unanswered, and starts their media on the answer', async () => {
    const { classroom, teacher } = await recordableLesson(aula, 'jt');
    await teacher.request('recording:start');
    const recordingId = (await aula.services.recordings.listForClassroom(classroom._id, false))[0]!._id;

    // Anna joins with camera and microphone switched on in the pre-join check.
    const anna = await ClassroomPage.openAs(await users.newUser(), aula, classroom._id, {
      id: 'ja',
      role: 'student',
      name: 'Anna',
    });
    await anna.join({ camera: true, mic: true });
    await anna.page.getByTestId('recording-consent').waitFor({ timeout: 30_000 });
    const annaId = (await teacher.next('participantJoined', (p) => p.displayName === 'Anna')).id;
    // What the server says Anna sends, as everyone's participant list learns it.
    const annaSends = () => {
      const updates = teacher.events.filter(
        (e) => e.name === 'participantUpdated' && (e.payload as ParticipantInfo).id === annaId,
      );
      const last = updates.at(-1)?.payload as ParticipantInfo | undefined;
      return Object.keys(last?.sources ?? {}).sort();
    };
    const annaSegments = async () =>
      (await aula.services.recordings.segments(recordingId)).filter((s) => s.participantId === annaId);
    // She is in the lesson and unanswered: nothing of hers reaches anyone, nor the recorder.
    expect(await anna.isInLesson()).toBe(true);
    await sleep(3_000);
    expect(annaSends()).toEqual([]);
    expect(await annaSegments()).toEqual([]);

    // Ben, answering nothing, cannot send either: the server refuses with a typed error.
    const ben = await MediaParticipant.open(await users.newUser(), aula.url);
    const benJoin: JoinResult = await ben.join(
      aula.url,
      await tokenFor(aula, classroom._id, { id: 'jb', role: 'student', name: 'Ben' }),
    );
    expect(benJoin.status).toBe('joined');
    expect(await ben.publishCanvas('camera')).toEqual({ ok: false, code: 'CONSENT_PENDING' });
    // Declining costs nothing: Ben sends once he answered, and is not recorded.
    expect(
      (await ben.request('recording:consent', { choice: 'none', textVersion: CONSENT_TEXT_VERSION })).ok,
    ).toBe(true);
    expect((await ben.publishCanvas('camera')).ok).toBe(true);

    // Anna agrees: what she chose before joining starts now, and is recorded.
    await anna.page.getByTestId('consent-cameraAndMic').click();
    await waitFor(() => annaSends().length === 2, { what: "Anna's camera and microphone" });
    expect(annaSends()).toEqual(['camera', 'mic']);
    await waitFor(async () => (await annaSegments()).length === 2, { what: "Anna's recorded tracks" });
    expect((await annaSegments()).map((s) => s.kind).sort()).toEqual(['audio', 'video']);

    await teacher.request('recording:stop');
    const benId = benJoin.status === 'joined' ? benJoin.self.id : '';
    const segments = await aula.services.recordings.segments(recordingId);
    expect(segments.some((s) => s.participantId === benId)).toBe(false);
    await ben.close();
    teacher.close();
    await anna.page.context().close();
  });
});
