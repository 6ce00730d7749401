import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestAula, type TestAula } from '../support/testAula.js';

// A node killed mid-recording (kill -9, a lost machine) leaves its segments
// open; the node that takes the lesson over closes them where their files
// end, and the manifest notes the gap.

describe('segments a dead node left open', () => {
  let aula: TestAula;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aula-recordings-'));
  beforeAll(async () => {
    aula = await startTestAula({ AULA_RECORDING: 'on', AULA_RECORDING_DIR: dir });
  });
  afterAll(async () => {
    await aula?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('closes them as lost at their file’s last write with its size, notes a gap, and leaves closed ones alone', async () => {
    const { recordings } = aula.services;
    const recording = await recordings.create({ classroomId: 'c1', lessonId: 'l1', startedBy: 'teacher' });
    const segment = (participantId: string) =>
      recordings.addSegment({
        recordingId: recording._id,
        userKey: `u-${participantId}`,
        participantId,
        role: 'teacher',
        source: 'camera',
        kind: 'video',
      });
    const closed = await segment('p-closed');
    await recordings.closeSegment(closed._id, {
      startedAt: Date.now() - 5_000,
      endedAt: Date.now() - 1_000,
      bytes: 4_321,
      outcome: 'closed',
    });
    const open = await segment('p-open');
    const file = recordings.files.pathFor(recording._id, open.file);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, Buffer.alloc(12_345));
    const lastWrite = new Date(Date.now() - 3_000);
    fs.utimesSync(file, lastWrite, lastWrite);

    expect(await recordings.closeOrphanedSegments(recording._id)).toBe(1);

    const after = await aula.database.models.recordingSegments.findById(open._id).lean();
    expect(after).toMatchObject({ outcome: 'lost', bytes: 12_345 });
    expect(after!.endedAt!.getTime()).toBe(lastWrite.getTime());
    if (after!.startedAt) expect(after!.startedAt.getTime()).toBeLessThanOrEqual(lastWrite.getTime());
    expect(await aula.database.models.recordingSegments.findById(closed._id).lean()).toMatchObject({
      outcome: 'closed',
      bytes: 4_321,
    });
    const gaps = await aula.database.models.recordingEvents
      .find({ recordingId: recording._id, type: 'gap' })
      .lean();
    expect(gaps.map((gap) => gap.data)).toEqual([
      { participantId: 'p-open', source: 'camera', from: lastWrite.getTime() },
    ]);
    // Once closed, nothing is left to close.
    expect(await recordings.closeOrphanedSegments(recording._id)).toBe(0);
  });
});
