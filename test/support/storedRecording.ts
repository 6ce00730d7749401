import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { RecordingSegmentRecord } from '../../src/store/models/recordingModels.js';
import type { TestAula } from './testAula.js';

const run = promisify(execFile);

/** One recorded track: whose, which, and from when to when (ms after the recording's start). */
export interface StoredTrack {
  participantId: string;
  role: 'teacher' | 'student';
  source: RecordingSegmentRecord['source'];
  kind: RecordingSegmentRecord['kind'];
  from: number;
  to: number;
}

/** A WebM file as the recorder writes it: VP8 (a test picture) or Opus (a tone), `seconds` long. */
async function encode(file: string, kind: StoredTrack['kind'], seconds: number): Promise<void> {
  const input =
    kind === 'video'
      ? [
          '-f',
          'lavfi',
          '-i',
          `testsrc=size=640x360:rate=15:duration=${seconds}`,
          '-c:v',
          'libvpx',
          '-b:v',
          '300k',
        ]
      : ['-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`, '-c:a', 'libopus'];
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...input, file]);
}

/**
 * An ended recording of `classroomId` in Aula's real store: a segment per
 * track with its WebM file written by ffmpeg where the recorder would have
 * written it, and a stage event (slide `slide`) at its start. Answers its id.
 */
export async function storedRecording(
  aula: TestAula,
  classroomId: string,
  tracks: StoredTrack[],
  slide = 2,
): Promise<string> {
  const store = aula.services.recordings;
  const recording = await store.create({
    classroomId,
    lessonId: `lesson-of-${classroomId}`,
    startedBy: 'teacher',
  });
  const origin = recording.startedAt.getTime();
  for (const track of tracks) {
    const segment = await store.addSegment({
      recordingId: recording._id,
      userKey: `user-${track.participantId}`,
      participantId: track.participantId,
      role: track.role,
      source: track.source,
      kind: track.kind,
    });
    const file = store.files.pathFor(recording._id, segment.file);
    await encode(file, track.kind, (track.to - track.from) / 1000);
    await store.closeSegment(segment._id, {
      startedAt: origin + track.from,
      endedAt: origin + track.to,
      bytes: fs.statSync(file).size,
      outcome: 'closed',
    });
  }
  await store.addEvent(recording._id, 'stage', { mode: 'slides', deckId: null, page: slide, boardPage: 0 });
  await aula.database.models.recordingEvents.updateMany(
    { recordingId: recording._id },
    { $set: { at: recording.startedAt } },
  );
  await store.end(recording._id, 'teacher');
  return recording._id;
}
