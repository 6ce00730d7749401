import type { RecordingStore } from './RecordingStore.js';

/** What a live classroom needs to record: the store of recordings (and their files) and Debian's ffmpeg. */
export interface RecordingServices {
  store: Pick<
    RecordingStore,
    | 'create'
    | 'end'
    | 'resumable'
    | 'reopen'
    | 'addSegment'
    | 'closeSegment'
    | 'closeOrphanedSegments'
    | 'addEvent'
    | 'addConsent'
    | 'consents'
    | 'files'
  >;
  ffmpegPath: string;
}
