import type { MediaKind, RtpParameters } from '../../../protocol/index.js';
import { AppError } from '../../../shared/errors.js';

/** The codecs whose frames pages encrypt with their header left clear (VP8's payload header, Opus's TOC byte). */
const ENCRYPTED_CODECS: Record<MediaKind, string> = { video: 'video/vp8', audio: 'audio/opus' };

/**
 * An encrypted lesson takes only producers whose page says it encrypts them,
 * in the codecs the frame format knows: anything else would be media the
 * server (or anyone on its path) could watch, or frames no page can decrypt.
 */
export function checkEncryptedProducer(request: {
  kind: MediaKind;
  rtpParameters: RtpParameters;
  encrypted?: boolean;
}): void {
  if (request.encrypted !== true) {
    throw new AppError(
      403,
      'ENCRYPTION_REQUIRED',
      'This lesson is end-to-end encrypted: send encrypted media only',
    );
  }
  const media = request.rtpParameters.codecs.filter((codec) => !/\/(rtx|red|ulpfec)$/i.test(codec.mimeType));
  if (media.some((codec) => codec.mimeType.toLowerCase() !== ENCRYPTED_CODECS[request.kind])) {
    throw new AppError(
      403,
      'ENCRYPTION_REQUIRED',
      `An encrypted lesson sends ${request.kind} as ${ENCRYPTED_CODECS[request.kind]} only`,
    );
  }
}
