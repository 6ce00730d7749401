// The media half of the wire contract: mediasoup's parameter objects as the
// page sends them, bounded to what RTP allows (mediasoup checks their
// structure but not every range: a payload type of 100000 or a negative SSRC
// would reach the worker). The types are inferred from the schemas; the
// server's media plane passes them to mediasoup unchanged, so the compiler
// checks they fit mediasoup's own, without this module importing mediasoup.
import { z } from 'zod';

export const id = z.string().min(1).max(128);
export const mediaSource = z.enum(['mic', 'camera', 'screen', 'screenAudio']);
export const mediaKind = z.enum(['audio', 'video']);

const payloadType = z.number().int().min(0).max(127);
const ssrc = z.number().int().min(0).max(0xffff_ffff);
const mimeType = z.string().regex(/^(audio|video)\/[A-Za-z0-9_.+-]{1,40}$/, 'must be like audio/opus');
const clockRate = z.number().int().min(1000).max(1_000_000);
const channels = z.number().int().min(1).max(8);
const codecParameters = z.record(z.string().max(64), z.union([z.string().max(256), z.number(), z.boolean()]));
const rtcpFeedback = z.object({ type: z.string().max(32), parameter: z.string().max(32).optional() });
const headerExtensionId = z.number().int().min(1).max(255);

export const rtpCapabilitiesSchema = z.object({
  codecs: z
    .array(
      z.object({
        kind: mediaKind,
        mimeType,
        preferredPayloadType: payloadType.optional(),
        clockRate,
        channels: channels.optional(),
        parameters: codecParameters.optional(),
        rtcpFeedback: z.array(rtcpFeedback).max(16).optional(),
      }),
    )
    .max(64)
    .optional(),
  headerExtensions: z
    .array(
      z.object({
        kind: mediaKind,
        uri: z.string().max(256),
        preferredId: headerExtensionId,
        preferredEncrypt: z.boolean().optional(),
        direction: z.enum(['sendrecv', 'sendonly', 'recvonly', 'inactive']).optional(),
      }),
    )
    .max(64)
    .optional(),
});

export const rtpParametersSchema = z.object({
  mid: z.string().max(32).optional(),
  codecs: z
    .array(
      z.object({
        mimeType,
        payloadType,
        clockRate,
        channels: channels.optional(),
        parameters: codecParameters.optional(),
        rtcpFeedback: z.array(rtcpFeedback).max(16).optional(),
      }),
    )
    .min(1)
    .max(16),
  headerExtensions: z
    .array(
      z.object({
        uri: z.string().max(256),
        id: headerExtensionId,
        encrypt: z.boolean().optional(),
        parameters: codecParameters.optional(),
      }),
    )
    .max(32)
    .optional(),
  encodings: z
    .array(
      z.object({
        ssrc: ssrc.optional(),
        rid: z
          .string()
          .regex(/^[A-Za-z0-9_-]{1,16}$/)
          .optional(),
        codecPayloadType: payloadType.optional(),
        rtx: z.object({ ssrc }).optional(),
        dtx: z.boolean().optional(),
        scalabilityMode: z
          .string()
          .regex(/^[LS][1-4]T[1-4](_KEY)?(_SHIFT)?h?$/)
          .optional(),
        scaleResolutionDownBy: z.number().min(1).max(64).optional(),
        maxBitrate: z.number().int().min(1000).max(100_000_000).optional(),
      }),
    )
    .max(8)
    .optional(),
  rtcp: z
    .object({
      cname: z.string().max(256).optional(),
      reducedSize: z.boolean().optional(),
      mux: z.boolean().optional(),
    })
    .optional(),
});

export const dtlsParametersSchema = z.object({
  role: z.enum(['auto', 'client', 'server']).optional(),
  fingerprints: z
    .array(
      z.object({
        algorithm: z.string().regex(/^sha-(1|224|256|384|512)$/, 'must be a SHA hash name'),
        value: z.string().regex(/^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){15,63}$/, 'must be a hex fingerprint'),
      }),
    )
    .min(1)
    .max(8),
});

export type MediaSourceName = z.infer<typeof mediaSource>;
export type MediaKind = z.infer<typeof mediaKind>;
export type RtpCapabilities = z.infer<typeof rtpCapabilitiesSchema>;
export type RtpParameters = z.infer<typeof rtpParametersSchema>;
export type DtlsParameters = z.infer<typeof dtlsParametersSchema>;

/** What the server sends of a transport's ICE side (mediasoup's own shapes). */
export interface IceParameters {
  usernameFragment: string;
  password: string;
  iceLite?: boolean;
}

export interface IceCandidate {
  foundation: string;
  priority: number;
  ip: string;
  protocol: 'udp' | 'tcp';
  port: number;
  type: 'host';
  tcpType: 'passive' | undefined;
}

export interface TransportInfo {
  id: string;
  iceParameters: IceParameters;
  iceCandidates: IceCandidate[];
  dtlsParameters: DtlsParameters;
}

export interface MediaSetup {
  routerRtpCapabilities: RtpCapabilities;
  iceServers: Array<{ urls: string | string[]; username?: string; credential?: string }>;
}
