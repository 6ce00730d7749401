import type { types } from 'mediasoup';
import { BadRequestError } from '../shared/errors.js';

/** Simulcast sends at most this many encodings; audio one. */
const MAX_VIDEO_ENCODINGS = 3;

/**
 * Checks a producer's RTP parameters against what the router can take,
 * before mediasoup sees them: every codec one the router has (same clock
 * rate and channels), distinct payload types, RTX pointing at a codec of
 * the list, known header extensions with distinct ids, and a sane number of
 * encodings with distinct SSRCs and rids. What mediasoup would reject late,
 * or accept and forward broken, is refused here as the client's mistake.
 */
export function checkProducerParameters(
  kind: types.MediaKind,
  rtpParameters: types.RtpParameters,
  router: types.RtpCapabilities,
): void {
  const refuse = (why: string): never => {
    throw new BadRequestError(`Invalid RTP parameters: ${why}`);
  };
  const offered = (router.codecs ?? []).filter((codec) => codec.kind === kind);
  const payloadTypes = new Set<number>();
  let mediaCodecs = 0;
  for (const codec of rtpParameters.codecs) {
    const known = offered.find(
      (candidate) => candidate.mimeType.toLowerCase() === codec.mimeType.toLowerCase(),
    );
    if (!known) refuse(`${codec.mimeType} is not a ${kind} codec of this room`);
    if (known!.clockRate !== codec.clockRate) refuse(`${codec.mimeType} runs at ${known!.clockRate} Hz`);
    if (kind === 'audio' && (codec.channels ?? 1) > (known!.channels ?? 1))
      refuse(`${codec.mimeType} has too many channels`);
    if (payloadTypes.has(codec.payloadType)) refuse(`payload type ${codec.payloadType} is used twice`);
    payloadTypes.add(codec.payloadType);
    if (!/\/(rtx|red|ulpfec)$/i.test(codec.mimeType)) mediaCodecs += 1;
  }
  if (mediaCodecs === 0) refuse(`no ${kind} codec`);
  for (const codec of rtpParameters.codecs) {
    if (!/\/rtx$/i.test(codec.mimeType)) continue;
    const apt = Number((codec.parameters as Record<string, unknown> | undefined)?.apt);
    if (!payloadTypes.has(apt)) refuse(`RTX payload type ${codec.payloadType} repairs no codec of the list`);
  }

  const extensions = new Set(
    (router.headerExtensions ?? []).filter((e) => e.kind === kind).map((e) => e.uri),
  );
  const ids = new Set<number>();
  for (const extension of rtpParameters.headerExtensions ?? []) {
    if (!extensions.has(extension.uri)) refuse(`header extension ${extension.uri} is not one of this room`);
    if (ids.has(extension.id)) refuse(`header extension id ${extension.id} is used twice`);
    ids.add(extension.id);
  }

  const encodings = rtpParameters.encodings ?? [];
  if (encodings.length > (kind === 'video' ? MAX_VIDEO_ENCODINGS : 1))
    refuse(`too many encodings for ${kind}`);
  const ssrcs = new Set<number>();
  const rids = new Set<string>();
  for (const encoding of encodings) {
    for (const ssrc of [encoding.ssrc, encoding.rtx?.ssrc]) {
      if (ssrc === undefined) continue;
      if (ssrcs.has(ssrc)) refuse(`SSRC ${ssrc} is used twice`);
      ssrcs.add(ssrc);
    }
    if (encoding.rid !== undefined) {
      if (rids.has(encoding.rid)) refuse(`rid ${encoding.rid} is used twice`);
      rids.add(encoding.rid);
    }
    if (encoding.codecPayloadType !== undefined && !payloadTypes.has(encoding.codecPayloadType)) {
      refuse(`encoding asks for payload type ${encoding.codecPayloadType}, which is not in the list`);
    }
  }
}
