// Live captions: typed by a captioner the teacher chose, or recognised by the
// server from the active speaker's audio when the operator configured a
// speech engine. They reach only the pages that switched captions on.
import { z } from 'zod';
import { id } from './media.js';

/** The longest caption line a captioner sends at once (a sentence or two). */
export const CAPTION_TEXT_MAX = 500;
/** How many lines a page that switches captions on gets as history. */
export const CAPTION_HISTORY_LINES = 50;
/** Caption lines a captioner may send: this many per 10 seconds. */
export const CAPTION_LINES_PER_10S = 20;

export const CAPTION_SOURCES = ['typed', 'automatic'] as const;
export type CaptionSource = (typeof CAPTION_SOURCES)[number];

/** One line of captions as pages show it. */
export interface CaptionLine {
  id: string;
  text: string;
  source: CaptionSource;
  /** Who typed it, or whose speech it recognised. */
  speaker: { id: string; displayName: string } | null;
  /** Automatic captions send the words of an utterance as they come; the final line replaces them. */
  final: boolean;
  at: number;
}

/** What a page knows about captions in its lesson. */
export interface CaptionsState {
  /** False in an end-to-end encrypted lesson: the server cannot hear or relay what is said. */
  available: boolean;
  /** The operator configured a speech engine: the active speaker is captioned automatically. */
  automatic: boolean;
  /** The language the speech engine recognises (en, de). */
  language: string | null;
  /** This page receives captions. */
  enabled: boolean;
  /** Participants of the lesson who may type captions (teachers always may). */
  captioners: string[];
  /** The teacher keeps a transcript of this lesson's captions. */
  transcript: boolean;
}

export const captionsRequestSchemas = {
  /** Switches captions on (answered with the recent lines) or off for this page. */
  'captions:enable': z.object({ enabled: z.boolean() }).strict(),
  /** A captioner's line of text. */
  'captions:send': z.object({ text: z.string().trim().min(1).max(CAPTION_TEXT_MAX) }).strict(),
  /** The teacher makes someone a captioner, or takes the role back. */
  'captions:captioner': z.object({ participantId: id, allowed: z.boolean() }).strict(),
  /** The teacher keeps (or stops keeping) a transcript of the lesson's captions. */
  'captions:transcript': z.object({ keep: z.boolean() }).strict(),
} as const;

export interface CaptionsResults {
  'captions:enable': { state: CaptionsState; history: CaptionLine[] };
  'captions:send': { line: CaptionLine };
  'captions:captioner': { ok: true };
  'captions:transcript': { ok: true };
}

export interface CaptionsEvents {
  /** A caption line, only to pages with captions on. */
  'captions:line': CaptionLine;
  /** Captioners, the transcript or availability changed. */
  'captions:state': CaptionsState;
}
