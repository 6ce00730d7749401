import type { types } from 'mediasoup';
import type { ConsentChoice, MediaSourceName } from '../../../protocol/index.js';
import type { RecordingServices } from '../../../recording/RecordingServices.js';
import { TrackSegment } from '../../../recording/TrackSegment.js';
import type { Logger } from '../../../shared/logger.js';
import type { MediaSession } from '../media/MediaSession.js';
import type { Participant } from '../Participant.js';

/** A track the recorder consumes now, into its current segment. */
export interface RecordedTrack {
  producerId: string;
  segmentId: string;
  owner: Participant;
  source: MediaSourceName;
  segment: TrackSegment;
  /** The media of the group it is recorded in: its senders encode what the recorder takes. */
  media: MediaSession;
}

/**
 * Dynacast counts the recorder as a viewer: while a video records, its sender
 * encodes every layer even when no one else watches (a teacher alone in the
 * lesson); once it stops (`watching` false), only what people watch.
 */
export function recorderWatches(track: RecordedTrack, watching: boolean): void {
  const demand = track.media.routers?.demand;
  const layers = track.segment.spatialLayers;
  if (!demand || layers === 0) return;
  if (watching) demand.set(track.producerId, track.segment.consumerId, layers);
  else demand.forget(track.producerId, track.segment.consumerId);
  track.media.announceDemand();
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

/** A new segment of someone's track: its record in the manifest, then ffmpeg taking it (undefined: no router for it). */
export async function startRecordedTrack(
  services: RecordingServices,
  recordingId: string,
  what: { owner: Participant; source: MediaSourceName; producer: types.Producer; media: MediaSession },
  logger: Logger,
): Promise<RecordedTrack | undefined> {
  const { owner, source, producer, media } = what;
  const router = media.routers?.producerRouter(producer.id);
  if (!router) return undefined;
  const stored = await services.store.addSegment({
    recordingId,
    userKey: owner.userKey,
    participantId: owner.id,
    role: owner.role,
    source,
    kind: producer.kind,
  });
  const segment = await TrackSegment.start({
    router,
    producerId: producer.id,
    file: services.store.files.pathFor(recordingId, stored.file),
    ffmpegPath: services.ffmpegPath,
    logger,
  });
  const track = { producerId: producer.id, segmentId: stored._id, owner, source, segment, media };
  recorderWatches(track, true);
  return track;
}
