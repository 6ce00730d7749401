import type { ConsentChoice, MediaSourceName } from '../../../protocol/index.js';
import type { TrackSegment } from '../../../recording/TrackSegment.js';
import type { Participant } from '../Participant.js';

/** A track the recorder consumes now, into its current segment. */
export interface RecordedTrack {
  producerId: string;
  segmentId: string;
  owner: Participant;
  source: MediaSourceName;
  segment: TrackSegment;
}

/** What the recorder may take of someone: teachers who started it all they send; everyone else within their answer. */
export function recordableSources(choice: ConsentChoice | undefined): ReadonlySet<MediaSourceName> {
  switch (choice) {
    case 'cameraAndMic':
      return new Set(['mic', 'camera', 'screen', 'screenAudio']);
    case 'micOnly':
      return new Set(['mic']);
    default:
      return new Set();
  }
}

/** The latest answer per person, from every answer in the order given. */
export function latestAnswers(
  answers: ReadonlyArray<{ userKey: string; choice: ConsentChoice }>,
): Map<string, ConsentChoice> {
  const latest = new Map<string, ConsentChoice>();
  for (const answer of answers) latest.set(answer.userKey, answer.choice);
  return latest;
}
