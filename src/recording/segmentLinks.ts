import crypto from 'node:crypto';
import { sameSecret } from '../shared/secrets.js';

/** How long a playback page's segment links work. */
const LINK_TTL_MS = 4 * 60 * 60_000;

export interface SegmentLink {
  classroomId: string;
  recordingId: string;
  segmentId: string;
  /** A download (attachment) rather than playback in the page. */
  download: boolean;
}

/**
 * Short-lived signed links to a recorded segment: a <video> element sends no
 * token, so the link carries the permission. The signature binds classroom,
 * recording, segment and whether it downloads: a link from another classroom
 * or a watch link turned into a download is refused.
 */
export class SegmentLinks {
  constructor(private readonly key: Uint8Array) {}

  url(link: SegmentLink, now = Date.now()): string {
    const expires = now + LINK_TTL_MS;
    const base = `/api/classrooms/${link.classroomId}/recordings/${link.recordingId}/segments/${link.segmentId}`;
    return `${base}?e=${expires}${link.download ? '&dl=1' : ''}&s=${this.sign(link, expires)}`;
  }

  valid(link: SegmentLink, expires: unknown, signature: unknown, now = Date.now()): boolean {
    const at = Number(expires);
    if (!Number.isInteger(at) || at < now || typeof signature !== 'string') return false;
    return sameSecret(signature, this.sign(link, at));
  }

  private sign(link: SegmentLink, expires: number): string {
    const text = [
      link.classroomId,
      link.recordingId,
      link.segmentId,
      link.download ? 'dl' : 'watch',
      expires,
    ];
    return crypto.createHmac('sha256', this.key).update(text.join(':')).digest('base64url');
  }
}
