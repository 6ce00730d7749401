import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestAula, type TestAula } from '../support/testAula.js';

// Recordings are kept for AULA_RECORDING_RETENTION_DAYS, then deleted with
// their files; a user's erasure removes that person's segments and answers.

describe('recording retention and erasure', () => {
  let aula: TestAula;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aula-recordings-'));
  beforeAll(async () => {
    aula = await startTestAula({ AULA_RECORDING: 'on', AULA_RECORDING_DIR: dir });
  });
  afterAll(async () => {
    await aula?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A recording with one segment (and its file) of each given user, and each one's answer. */
  async function recorded(users: string[]) {
    const { recordings } = aula.services;
    const recording = await recordings.create({ classroomId: 'c1', lessonId: 'l1', startedBy: users[0]! });
    const files: Record<string, string> = {};
    for (const userKey of users) {
      const segment = await recordings.addSegment({
        recordingId: recording._id,
        userKey,
        participantId: `p-${userKey}`,
        role: 'student',
        source: 'mic',
        kind: 'audio',
      });
      files[userKey] = recordings.files.pathFor(recording._id, segment.file);
      fs.mkdirSync(path.dirname(files[userKey]), { recursive: true });
      fs.writeFileSync(files[userKey], 'webm bytes');
      await recordings.addConsent({
        recordingId: recording._id,
        classroomId: 'c1',
        userKey,
        displayName: userKey,
        role: 'student',
        choice: 'micOnly',
        textVersion: 'v',
      });
    }
    return { recording, files };
  }

  it('deletes a recording past its retention with its files, and keeps one that is not', async () => {
    const expired = await recorded(['teacher-a']);
    const kept = await recorded(['teacher-b']);
    await aula.database.models.recordings.updateOne(
      { _id: expired.recording._id },
      { $set: { expiresAt: new Date(Date.now() - 1000) } },
    );
    const { deleted } = await aula.retention.sweep();
    expect(deleted.recordings).toBe(1);
    expect(fs.existsSync(expired.files['teacher-a']!)).toBe(false);
    expect(await aula.services.recordings.get(expired.recording._id)).toBeUndefined();
    expect(await aula.services.recordings.segments(expired.recording._id)).toEqual([]);
    expect(await aula.services.recordings.consents(expired.recording._id)).toEqual([]);
    expect(fs.existsSync(kept.files['teacher-b']!)).toBe(true);
    expect(await aula.services.recordings.get(kept.recording._id)).toBeDefined();
  });

  it('keeps a recording for the configured number of days', async () => {
    const { recording } = await recorded(['teacher-c']);
    const days = (recording.expiresAt.getTime() - recording.startedAt.getTime()) / 86_400_000;
    expect(days).toBe(aula.config.AULA_RECORDING_RETENTION_DAYS);
    expect(aula.config.AULA_RECORDING_RETENTION_DAYS).toBe(30);
  });

  it("erases one person's segments, files and answers, and leaves the others'", async () => {
    const { recording, files } = await recorded(['erased-anna', 'kept-ben']);
    expect(await aula.services.recordings.eraseUser('erased-anna')).toBe(2);
    expect(fs.existsSync(files['erased-anna']!)).toBe(false);
    expect(fs.existsSync(files['kept-ben']!)).toBe(true);
    const segments = await aula.services.recordings.segments(recording._id);
    expect(segments.map((segment) => segment.userKey)).toEqual(['kept-ben']);
    const answers = await aula.services.recordings.consents(recording._id);
    expect(answers.map((answer) => answer.userKey)).toEqual(['kept-ben']);
  });
});
