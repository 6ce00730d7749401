import type { types } from 'mediasoup';

/**
 * The SDP that tells ffmpeg what arrives on a port: one stream, as the
 * recorder's consumer sends it (payload type, codec, clock rate, channels,
 * format parameters). RTCP comes on the next port, as ffmpeg expects.
 */
export function rtpSdp(rtpParameters: types.RtpParameters, kind: types.MediaKind, port: number): string {
  const codec = rtpParameters.codecs[0];
  if (!codec) throw new Error('rtpSdp() | consumer has no codec');
  const name = codec.mimeType.split('/')[1]!;
  const channels = codec.channels && codec.channels > 1 ? `/${codec.channels}` : '';
  const fmtp = Object.entries(codec.parameters ?? {})
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(';');
  return [
    'v=0',
    'o=- 0 0 IN IP4 127.0.0.1',
    's=aula-recording',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    `m=${kind} ${port} RTP/AVP ${codec.payloadType}`,
    `a=rtpmap:${codec.payloadType} ${name}/${codec.clockRate}${channels}`,
    ...(fmtp ? [`a=fmtp:${codec.payloadType} ${fmtp}`] : []),
    'a=recvonly',
    '',
  ].join('\r\n');
}
