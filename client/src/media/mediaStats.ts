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

/** What a stats reader needs of a consumer or producer; mediasoup-client's have it. */
interface Measured {
  readonly paused: boolean;
  getStats(): Promise<RTCStatsReport>;
}

/** What one consumer received so far, from its inbound-rtp report. */
export async function inboundStatsOf(
  consumer: Measured,
  info: Pick<InboundStats, 'consumerId' | 'participantId' | 'source' | 'kind'>,
): Promise<InboundStats> {
  const report = await consumer.getStats();
  let inbound: Record<string, number> = {};
  report.forEach((stat: Record<string, unknown>) => {
    if (stat.type === 'inbound-rtp') inbound = stat as Record<string, number>;
  });
  return {
    consumerId: info.consumerId,
    participantId: info.participantId,
    source: info.source,
    kind: info.kind,
    paused: consumer.paused,
    packetsReceived: inbound.packetsReceived ?? 0,
    packetsLost: inbound.packetsLost ?? 0,
    bytesReceived: inbound.bytesReceived ?? 0,
    framesReceived: inbound.framesReceived ?? inbound.framesDecoded ?? 0,
    framesDecoded: inbound.framesDecoded ?? 0,
    frameWidth: inbound.frameWidth ?? 0,
    frameHeight: inbound.frameHeight ?? 0,
    jitter: inbound.jitter ?? 0,
  };
}

/** What one producer sent so far per layer, with its encodings as configured and its codec's fmtp. */
export async function outboundStatsOf(
  source: MediaSourceName,
  producer: Measured & { readonly rtpSender: RTCRtpSender | undefined },
): Promise<OutboundStats> {
  const report = await producer.getStats();
  const layers: OutboundStats['layers'] = [];
  let fmtp: string | undefined;
  report.forEach((stat: Record<string, unknown>) => {
    if (stat.type === 'codec') fmtp = stat.sdpFmtpLine as string | undefined;
    if (stat.type !== 'outbound-rtp') return;
    layers.push({
      rid: stat.rid as string | undefined,
      packetsSent: (stat.packetsSent as number) ?? 0,
      bytesSent: (stat.bytesSent as number) ?? 0,
      frameWidth: (stat.frameWidth as number) ?? 0,
      frameHeight: (stat.frameHeight as number) ?? 0,
    });
  });
  const encodings = (producer.rtpSender?.getParameters().encodings ?? []).map((encoding) => ({
    ...(encoding.rid ? { rid: encoding.rid } : {}),
    active: encoding.active !== false,
  }));
  return { source, paused: producer.paused, layers, encodings, ...(fmtp ? { fmtp } : {}) };
}
