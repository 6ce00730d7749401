import type { MediaSourceName } from '@protocol';

/** What one consumer received, from its RTCInboundRtpStreamStats. */
export interface InboundStats {
  consumerId: string;
  participantId: string;
  source: MediaSourceName;
  kind: 'audio' | 'video';
  paused: boolean;
  packetsReceived: number;
  packetsLost: number;
  bytesReceived: number;
  /** Frames that arrived whole, decoded or not: what the network delivered. */
  framesReceived: number;
  framesDecoded: number;
  frameWidth: number;
  frameHeight: number;
  jitter: number;
}

/** What one producer sent, per simulcast layer. */
export interface OutboundStats {
  source: MediaSourceName;
  paused: boolean;
  /** The codec's format parameters as negotiated (Opus: useinbandfec, usedtx). */
  fmtp?: string;
  /** The sender's encodings as configured (dynacast switches them on and off), lowest first. */
  encodings: Array<{ rid?: string; active: boolean }>;
  layers: Array<{
    rid?: string;
    packetsSent: number;
    bytesSent: number;
    frameWidth: number;
    frameHeight: number;
  }>;
}
