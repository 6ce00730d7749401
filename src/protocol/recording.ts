// Recording a lesson, consent first: what pages ask and are told.
import { z } from 'zod';

/** What someone lets the recorder take of them. */
export const consentChoice = z.enum(['cameraAndMic', 'micOnly', 'none']);
export type ConsentChoice = z.infer<typeof consentChoice>;

/**
 * The version of the consent text pages show (client locales `recording.consent.*`).
 * Change it with the text: each answer is kept with the version its person saw.
 */
export const CONSENT_TEXT_VERSION = '2026-12-1';

export const recordingRequestSchemas = {
  'recording:start': z.object({}).strict(),
  'recording:stop': z.object({}).strict(),
  /** The participant's own answer; `participantId`, if sent, must be theirs (nobody answers for another). */
  'recording:consent': z
    .object({
      choice: consentChoice,
      textVersion: z.string().min(1).max(40),
      participantId: z.string().min(1).max(128).optional(),
    })
    .strict(),
} as const;

/** Who answered what, for the teacher. */
export interface ConsentSummary {
  counts: Record<ConsentChoice | 'unanswered', number>;
  people: Array<{ participantId: string; displayName: string; choice: ConsentChoice | null }>;
}

/** The lesson's recording as a page sees it. */
export interface RecordingView {
  /** Whether this classroom may record at all (operator and teacher both allowed it). */
  available: boolean;
  active: boolean;
  startedAt: number | null;
  /** The viewer's own answer while a recording runs; null: not asked yet or not answered. */
  mine: ConsentChoice | null;
  textVersion: string;
  /** Teachers only. */
  consents?: ConsentSummary;
}

export interface RecordingResults {
  'recording:start': RecordingView;
  'recording:stop': RecordingView;
  'recording:consent': RecordingView;
}

export interface RecordingEvents {
  'recording:state': RecordingView;
  /** To the teacher: the recording stopped by itself (the disk is full); the lesson goes on. */
  'recording:failed': { reason: 'diskFull' | 'recorderFailed' };
}

/** A recorded lesson in the lesson history. */
export interface RecordingSummary {
  id: string;
  lessonId: string;
  startedAt: string;
  endedAt: string | null;
  published: boolean;
  downloadable: boolean;
  expiresAt: string;
}

/** What the playback page plays: every segment on one time line, and the slide/board changes. */
export interface RecordingManifest {
  recording: RecordingSummary;
  segments: Array<{
    id: string;
    participantId: string;
    role: string;
    source: 'mic' | 'camera' | 'screen' | 'screenAudio';
    kind: 'audio' | 'video';
    /** Milliseconds from the recording's start. */
    start: number;
    end: number | null;
    url: string;
    /** Teachers, and everyone once the teacher allows downloads. */
    downloadUrl?: string;
  }>;
  events: Array<{ at: number; type: 'stage' | 'gap'; data: Record<string, unknown> }>;
}

export const recordingPublishSchema = z
  .object({ published: z.boolean(), downloadable: z.boolean().optional() })
  .strict();
